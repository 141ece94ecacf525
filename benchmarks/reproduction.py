"""The README "Reproduction" table: every model x every recommendation dataset in the data directory,
exact protocol (Recall@20 / NDCG@20), with wall time (load + fit + evaluate) and peak memory per cell.

    LEARNLESS_DATA=../shared/data python benchmarks/reproduction.py [--datasets tmall,...] [--models ...]
        [--lightgcn-budget 240] [--bprmf-budget 120]

Each cell runs in its own process. Trained models stop at their time budget (seconds) or by early stopping
on a validation split carved out of train (sparse_yelp: its published validation split), whichever first.
Results accumulate in benchmarks/results/reproduction.json, so datasets can be run in separate invocations.
"""

from __future__ import annotations

import argparse
import json
import sys

from _common import HERE, RESULTS, machine, run_cell

sys.path.insert(0, str(HERE.parent / "src"))

DATASETS = ["amazon_beauty", "tmall", "sparse_tmall", "sparse_yelp", "gowalla"]
MODELS = ["gte", "itemknn", "ease", "bprmf", "lightgcn"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--datasets", default=",".join(DATASETS))
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--lightgcn-budget", type=float, default=180)
    p.add_argument("--bprmf-budget", type=float, default=90)
    p.add_argument(
        "--ease-max-items",
        type=int,
        default=32000,
        help="EASE's in-place float32 inverse costs n_items^3 flops (4 n_items^2 bytes): beyond ~32k "
        "items it takes over half an hour per cell on this shared 2-core machine",
    )
    a = p.parse_args()
    from learnless.data import load_interactions

    path = RESULTS / "reproduction.json"
    store = _read(path)
    store["machine"] = machine()
    store.setdefault("budgets_seconds", {})
    for ds in a.datasets.split(","):
        for model in a.models.split(","):
            budget = {"lightgcn": a.lightgcn_budget, "bprmf": a.bprmf_budget}.get(model)
            if budget:
                store["budgets_seconds"][model] = budget
            n_items = load_interactions(ds).n_items
            if model == "ease" and n_items > a.ease_max_items:
                store["cells"][f"{model}|{ds}"] = {
                    "skipped": (f"{n_items} items > --ease-max-items {a.ease_max_items} "
                                "(time; LAPACK crash > 32767)")
                }
                continue
            args = [model, ds] + (["--time-budget", str(budget)] if budget else [])
            cell = run_cell(*args)
            cell["when"] = machine()["when"]
            store["cells"][f"{model}|{ds}"] = cell
            print(
                model,
                ds,
                {
                    k: cell.get(k)
                    for k in (
                        "recall@20",
                        "ndcg@20",
                        "wall_seconds",
                        "peak_rss_mb",
                        "skipped",
                        "error",
                        "epochs",
                        "stopped_by",
                    )
                },
                flush=True,
            )
            _write(store)
    _write(store)
    print(markdown(store))


def _read(path) -> dict:
    """The cells saved so far ("model|dataset" -> cell), so datasets can be run in separate invocations."""
    if not path.exists():
        return {"cells": {}}
    doc = json.loads(path.read_text())
    return {"cells": {f"{r['model']}|{r['dataset']}": r for r in doc["results"]},
            "budgets_seconds": doc["params"].get("budgets_seconds", {})}


def _write(store) -> None:
    from learnless.report import save_result

    rows = [{"model": key.split("|")[0], "dataset": key.split("|")[1], **cell}
            for key, cell in store["cells"].items()]
    save_result("reproduction", rows, directory=RESULTS, params={"budgets_seconds": store["budgets_seconds"]})


def markdown(store) -> str:
    datasets = [d for d in DATASETS if any(k.endswith("|" + d) for k in store["cells"])]
    b = store["budgets_seconds"]
    when = sorted(c["when"] for c in store["cells"].values() if "when" in c)
    span = f"{when[0]} and {when[-1]}" if when else store["machine"]["when"]
    lines = [
        (
            f"Exact protocol, Recall@20 / NDCG@20; wall time (load + fit + evaluate) and peak RSS per cell. "
            f"LightGCN budget {b.get('lightgcn', 0):.0f} s, BPR-MF {b.get('bprmf', 0):.0f} s of training "
            f"(batch 8192, lr 4e-3, early stopping on validation carved out of train). "
            f"Cells finished between {span} "
            "(each cell's time and load are in reproduction.json)."
        ),
        "",
        "| model | " + " | ".join(datasets) + " |",
        "|---|" + "---|" * len(datasets),
    ]
    for model in MODELS:
        cells = []
        for ds in datasets:
            c = store["cells"].get(f"{model}|{ds}")
            if c is None:
                cells.append("—")
            elif "skipped" in c or "error" in c:
                cells.append(f"skipped: {c.get('skipped') or c.get('error')}"[:90])
            else:
                extra = f", {c['epochs']} ep ({c['stopped_by']})" if "epochs" in c else ""
                cells.append(
                    f"{c['recall@20']:.4f} / {c['ndcg@20']:.4f}<br>{c['wall_seconds']:.0f} s, "
                    f"{c['peak_rss_mb'] / 1024:.2f} GB{extra}"
                )
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
