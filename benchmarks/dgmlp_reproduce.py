"""Reproduce the paper's Table 1 (Planetoid public splits, mean ± std test accuracy at the best validation
epoch over seeds) for DGMLP and the baselines, plus DGMLP on the other node-classification datasets.

    LEARNLESS_DATA=/work/shared/data PYTHONPATH=src python benchmarks/dgmlp_reproduce.py [--part
    planetoid|others|all]

Writes benchmarks/results/dgmlp_reproduce[_<part>].json and .md. PubMed is reported as skipped when its files
are not in the data directory. Timings come from a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from learnless.classify.presets import preset
from learnless.classify.runs import run_model
from learnless.data import load_graph
from learnless.errors import LearnlessError
from learnless.report import save_result
from learnless.runtime.provenance import provenance
from learnless.runtime.rundir import write_bytes_atomic, write_json_atomic

PAPER = {  # Table 1 of the paper (Cora / Citeseer / PubMed)
    "dgmlp-paper": (84.6, 73.4, 81.2),
    "gcn": (81.8, 70.8, 79.3),
    "appnp": (83.3, 71.8, 80.1),
    "sgc": (81.0, 71.3, 78.9),
    "sign": (82.1, 72.4, 79.5),
    "s2gc": (82.7, 73.0, 79.9),
}
PLANETOID = ("cora", "citeseer", "pubmed")
PLANETOID_MODELS = (
    "dgmlp-paper",
    "dgmlp-released",
    "gcn",
    "appnp",
    "gcnii",
    "sgc",
    "sign",
    "s2gc",
    "mlp",
    "resmlp",
)
OTHERS = (
    "cora-gnnbench",
    "citeseer-gnnbench",
    "cora_ml",
    "actor",
    "chameleon",
    "chameleon_filtered",
    "squirrel",
    "squirrel_filtered",
    "cornell",
    "texas",
    "wisconsin",
    "minesweeper",
    "tolokers",
)
OTHER_MODELS = ("dgmlp-paper", "dgmlp-released", "mlp", "sgc", "gcn")


def params_for(model: str, dataset: str) -> dict:
    p = preset(model, dataset)
    if model == "dgmlp-released" and not p:
        p = preset(model, "cora")  # no released values outside Planetoid: Cora's
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="all", choices=("planetoid", "others", "all"))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--gcnii-seeds", type=int, default=10, help="GCNII is ~2 min per seed on 2 cores")
    ap.add_argument("--models", default=None, help="comma-separated subset")
    ap.add_argument("--datasets", default=None, help="comma-separated subset")
    ap.add_argument("--tag", default="", help="suffix of the output files (runs split over processes)")
    ap.add_argument(
        "--merge",
        action="store_true",
        help="merge the per-process result files (dgmlp_reproduce_*.json) into dgmlp_reproduce.md",
    )
    args = ap.parse_args()
    if args.merge:
        return merge()
    rows, skipped = [], []
    jobs = []
    if args.part in ("planetoid", "all"):
        jobs += [(d, m) for d in PLANETOID for m in PLANETOID_MODELS]
    if args.part in ("others", "all"):
        jobs += [(d, m) for d in OTHERS for m in OTHER_MODELS]
    if args.models:
        keep = set(args.models.split(","))
        jobs = [j for j in jobs if j[1] in keep]
    if args.datasets:
        keep = set(args.datasets.split(","))
        jobs = [j for j in jobs if j[0] in keep]
    graphs = {}
    for dataset, model in jobs:
        if dataset not in graphs:
            try:
                graphs[dataset] = load_graph(dataset)
            except LearnlessError as exc:
                graphs[dataset] = None
                skipped.append({"dataset": dataset, "reason": str(exc)})
                print(f"SKIPPED {dataset}: {exc}", flush=True)
        g = graphs[dataset]
        if g is None:
            continue
        seeds = args.gcnii_seeds if model == "gcnii" else args.seeds
        res = run_model(g, model, params_for(model, dataset), seeds)
        res.update(dataset=dataset, params=params_for(model, dataset))
        paper = PAPER.get(model)
        if paper and dataset in PLANETOID:
            res["paper"] = paper[PLANETOID.index(dataset)]
        rows.append(res)
        write(args, rows, skipped)
        print(
            f"{dataset:20s} {model:15s} {res['test_acc_mean'] * 100:6.2f} ± {res['test_acc_std'] * 100:4.2f} "
            f"(paper {res.get('paper', '-')}) {res['seconds']:.1f}s [{res['split']}]",
            flush=True,
        )
    write(args, rows, skipped, final=True)


def table_lines(title: str, rows, skipped) -> list[str]:
    """The Markdown table of result rows (accuracy ± std beside the paper's figure), then the skipped
    datasets."""
    lines = [
        title,
        "",
        "| dataset | model | test acc (%) | paper | Δ | seeds | split | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        paper = r.get("paper")
        delta = f"{r['test_acc_mean'] * 100 - paper:+.1f}" if paper else ""
        lines.append(
            f"| {r['dataset']} | {r['model']} | "
            f"{r['test_acc_mean'] * 100:.2f} ± {r['test_acc_std'] * 100:.2f} "
            f"| {paper or ''} | {delta} | {r['seeds']} | {r['split']} | {r['seconds']:.1f} |"
        )
    for s in skipped:
        lines.append(f"\nSKIPPED {s['dataset']}: {s['reason']}")
    return lines


def write(args, rows, skipped, final=False):
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stem = (
        "dgmlp_reproduce"
        + ("" if args.part == "all" else f"_{args.part}")
        + (f"_{args.tag}" if args.tag else "")
    )
    params = {"seeds": args.seeds, "gcnii_seeds": args.gcnii_seeds, "part": args.part, "tag": args.tag}
    save_result(stem, rows, directory=out, params=params, summary={"skipped": skipped})
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = table_lines(f"# DGMLP reproduction ({when}, {platform.machine()}, {os.cpu_count()} cores)", rows,
                        skipped)
    write_bytes_atomic(out / f"{stem}.md", ("\n".join(lines) + "\n").encode())
    if final:
        print("\n".join(lines))


def merge():
    """One table from runs split over processes; a later file's (dataset, model) row replaces an earlier one,
    except that a row run with the current preset is never replaced by one run with other parameters."""
    out = Path(__file__).parent / "results"
    by_key, skipped, metas = {}, {}, []
    # "later" is the run time each file records, not its mtime (a checkout gives every file the same mtime)
    # the canonical merged file is a source too, so new shards add to it rather than replace it
    runs = [(path, json.loads(path.read_text())) for path in out.glob("dgmlp_reproduce*.json")]
    for path, data in sorted(runs, key=lambda run: run[1]["provenance"]["date"]):
        prov = data["provenance"]
        metas.extend(prov.get("merged_from") or [f"{path.name}: {prov['date']}"])
        for r in data["results"]:
            key = (r["dataset"], r["model"])
            current = params_for(r["model"], r["dataset"])
            if key in by_key and by_key[key].get("params") == current and r.get("params") != current:
                continue  # a run with the current preset beats a later one with outdated parameters
            by_key[key] = r
        for s in data["summary"]["skipped"]:
            skipped[s["dataset"]] = s
    order = {d: i for i, d in enumerate(PLANETOID + OTHERS)}
    models = {m: i for i, m in enumerate(PLANETOID_MODELS)}
    rows = sorted(by_key.values(), key=lambda r: (order.get(r["dataset"], 99), models.get(r["model"], 99)))
    lines = table_lines(
        "# DGMLP reproduction (merged; wall seconds on a 2-core machine shared with other jobs)",
        rows,
        skipped.values(),
    )
    lines += ["", "Sources: " + "; ".join(metas)]
    write_bytes_atomic(out / "dgmlp_reproduce.md", ("\n".join(lines) + "\n").encode())
    # the merged file is dated by its latest source (the order above), and names every source
    latest = max(data["provenance"]["date"] for _, data in runs)
    merged = {"name": "dgmlp_reproduce", "provenance": {**provenance(), "date": latest, "merged_from": metas},
              "params": {}, "results": rows, "summary": {"skipped": list(skipped.values())}}
    write_json_atomic(out / "dgmlp_reproduce.json", merged)
    for path, _ in runs:  # one canonical result file: the merged shards are removed
        if path.name != "dgmlp_reproduce.json":
            path.unlink()
            path.with_suffix(".md").unlink(missing_ok=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
