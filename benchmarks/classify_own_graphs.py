"""Node classification on graphs the DGMLP paper never saw: `auto` beside every fixed model at its defaults,
every model tuned on validation, and the oracle (the best column by TEST accuracy in hindsight, for
reference only — nothing chooses by it).

    LEARNLESS_DATA=../shared/data nice -n 5 python benchmarks/classify_own_graphs.py \
        [--seeds 5] [--large-seeds 2] [--auto-budget 20] [--tune-trials 4] [--tune-end-to-end]
        [--only sbm|shared] [--graphs a,b]
    python benchmarks/classify_own_graphs.py --timing cora|100k [--timing-budget S]
    python benchmarks/classify_own_graphs.py --summarise-only [the run's settings]

Generated graphs: stochastic block models (1,200 nodes, 4 classes, 16 raw Gaussian features with per-column
offsets and scales; `learnless.classify.synthetic`) over edge homophily {0.1, 0.5, 0.9} x feature signal
{weak 0.3, strong 1.0} x mean degree {3, 15}; each written as graph-files (every undirected edge once) and
read back with the CLI's loader. Split per seed: 20 training and 30 validation nodes per class, the rest
tests. Shared datasets: planetoid (published split; seeds vary the initialisation), gnn-benchmark (a
per-class 20 / 30 split per seed), heterophilous (published split i for seed i). Graphs over 5,000 nodes
run --large-seeds seeds.

Columns: auto (`make("auto", time_budget=B)`); every fixed model at its estimator defaults ("dgmlp" is the
robust default, "dgmlp-paper" the paper's weighting); "tuned": Optuna restricted to one family for
--tune-trials trials (the first at the defaults; APPNP and GCN only with --tune-end-to-end), the trial with
the best validation accuracy; advise's
edge-homophily estimate from the training labels beside the true one (generated graphs). Every (graph,
seed) unit is journaled (results/classify_own_graphs_journal.jsonl): re-running resumes.

--timing: wall seconds of `learnless classify run --model auto` through the console script on Cora, or on
a generated 100,000-node SBM (mean degree 10, 16 features), at the CLI's default time budget (or
--timing-budget).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import HERE, RESULTS, save_rows

sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np

FIXED = ("mlp", "sgc", "s2gc", "sign", "dgmlp", "dgmlp-paper", "appnp", "gcn")
TUNED = ("mlp", "sgc", "s2gc", "sign", "sign-hp", "dgmlp", "appnp", "gcn")
# tuning the end-to-end models (APPNP, GCN) costs ~40 s per (graph, seed) on a loaded 2-core machine;
# --tune-end-to-end adds them to the tuned columns
DECOUPLED_TUNED = TUNED[:6]
SBM_GRID = [(h, s, d) for h in (0.1, 0.5, 0.9) for s in (0.3, 1.0) for d in (3, 15)]
# small and varied first, so a run cut short still covers homophilous and heterophilous graphs
SHARED = ("cora", "texas", "chameleon_filtered", "citeseer", "cornell", "wisconsin", "squirrel_filtered",
          "cora_ml", "cora-gnnbench", "citeseer-gnnbench", "chameleon", "squirrel", "actor", "minesweeper",
          "tolokers")
LARGE = 5000
PER_CLASS = {"kind": "per-class", "train_per_class": 20, "val_per_class": 30, "n_test": None}
_GRAPHS: dict = {}


def sbm_name(h, s, d) -> str:
    return f"sbm-h{h}-{'strong' if s >= 1 else 'weak'}-d{d}"


def load(name: str):
    """The graph through the CLI's loader (generated ones written as graph-files first); cached."""
    from learnless.data import load_graph

    if name not in _GRAPHS:
        if name.startswith("sbm-"):
            from learnless.classify.synthetic import sbm_arrays, write_graph_files

            h, s, d = next(c for c in SBM_GRID if sbm_name(*c) == name)
            folder = Path(tempfile.mkdtemp(prefix="own_graph_")) / name
            write_graph_files(folder, *sbm_arrays(homophily=h, signal=s, mean_degree=d, seed=0))
            _GRAPHS[name] = load_graph(str(folder), format="graph-files")
        else:
            _GRAPHS[name] = load_graph(name)
    return _GRAPHS[name]


def split_for(name: str, graph, seed: int):
    from learnless.classify.runs import graph_for_seed

    published = graph.train_mask is not None
    return graph_for_seed(graph, seed, {"kind": "published"} if published else PER_CLASS)[0]


def fixed_estimator(col: str, seed: int):
    from learnless.classify import make

    if col == "dgmlp-paper":
        return make("dgmlp", variant="paper", seed=seed)
    return make(col, seed=seed)


def unit(config: dict, seed: int) -> dict:
    """Every column on one (graph, seed)."""
    from learnless.classify import make

    graph = load(config["graph"])
    g = split_for(config["graph"], graph, seed)
    out: dict = {"nodes": int(graph.num_nodes)}
    t = time.perf_counter()
    auto = make("auto", time_budget=config["auto_budget"], seed=seed).fit(g)
    out["auto"] = {"val": auto.result_.val_acc, "test": auto.score(g, "test"),
                   "seconds": time.perf_counter() - t, "choice": auto.choice_["family"],
                   "scaling": auto.choice_["feature_scaling"], "trials": len(auto.trials_)}
    for col in FIXED:
        t = time.perf_counter()
        r = fixed_estimator(col, seed).fit(g).result_
        out[col] = {"val": r.val_acc, "test": r.test_acc, "seconds": time.perf_counter() - t}
    for fam in TUNED if config["tune_end_to_end"] else DECOUPLED_TUNED:
        t = time.perf_counter()
        tuned = make("auto", families=[fam], n_trials=config["tune_trials"], time_budget=1e6, seed=seed)
        tuned.fit(g)
        out[f"tuned-{fam}"] = {"val": tuned.result_.val_acc, "test": tuned.score(g, "test"),
                               "seconds": time.perf_counter() - t}
    if config["graph"].startswith("sbm-"):
        out.update(homophily(g))
    return out


def homophily(g) -> dict:
    """The true edge homophily of a split graph and advise's estimate of it from its training labels."""
    from learnless.classify.advise import estimated_homophily, observed_homophily

    train = np.flatnonzero(g.train_mask)
    labels = np.full(g.num_nodes, -1)
    labels[train] = g.y[train]
    return {"homophily_true": observed_homophily(g.adj, g.y)["edge"],
            "homophily_estimated": estimated_homophily(g.adj, labels)["edge"]}


def recompute_homophily(records: list[dict]) -> None:
    """advise's estimate of every generated graph's (graph, seed) by the code of this checkout: cheap, and
    the estimator may have changed since a unit was journaled."""
    for r in records:
        name = r["config"]["graph"]
        if name.startswith("sbm-") and "result" in r:
            r["result"].update(homophily(split_for(name, load(name), r["seed"])))


def summarise(records: list[dict], names: list[str]) -> tuple[list[dict], dict]:
    rows = []
    for name in names:
        recs = [r["result"] for r in records if r["config"]["graph"] == name and "result" in r]
        if not recs:
            continue
        cols = ["auto", *FIXED, *(f"tuned-{f}" for f in TUNED if f"tuned-{f}" in recs[0])]
        mean = {c: float(np.mean([r[c]["test"] for r in recs])) * 100 for c in cols}
        oracle_col = max(cols, key=lambda c: mean[c])
        best_fixed = max(FIXED, key=lambda c: mean[c])
        row = {"graph": name, "nodes": recs[0]["nodes"], "seeds": len(recs),
               "auto": mean["auto"], "auto_std": float(np.std([r["auto"]["test"] for r in recs])) * 100,
               "auto_seconds": float(np.mean([r["auto"]["seconds"] for r in recs])),
               "auto_choices": ", ".join(sorted({r["auto"]["choice"] for r in recs})),
               **{c: mean[c] for c in cols[1:]},
               **{f"tuned-{f}": None for f in TUNED if f"tuned-{f}" not in mean},
               "best_fixed": best_fixed, "best_fixed_acc": mean[best_fixed],
               "oracle": oracle_col, "oracle_acc": mean[oracle_col],
               "auto_minus_oracle": mean["auto"] - mean[oracle_col],
               "auto_minus_best_fixed": mean["auto"] - mean[best_fixed]}
        if "homophily_true" in recs[0]:
            row["homophily_true"] = float(np.mean([r["homophily_true"] for r in recs]))
            row["homophily_estimated"] = float(np.mean([r["homophily_estimated"] for r in recs]))
            row["homophily_abs_error"] = float(np.mean([abs(r["homophily_estimated"] - r["homophily_true"])
                                                        for r in recs]))
        rows.append(row)
    gen = [r for r in rows if r["graph"].startswith("sbm-")]
    summary = {"graphs": len(rows), "generated_graphs": len(gen)}
    if rows:
        summary.update(
            auto_minus_oracle_mean=float(np.mean([r["auto_minus_oracle"] for r in rows])),
            auto_minus_oracle_worst=float(min(r["auto_minus_oracle"] for r in rows)),
            auto_minus_best_fixed_worst=float(min(r["auto_minus_best_fixed"] for r in rows)),
            graphs_auto_within_1_of_best_fixed=int(sum(r["auto_minus_best_fixed"] >= -1 for r in rows)),
            graphs_auto_within_3_of_oracle=int(sum(r["auto_minus_oracle"] >= -3 for r in rows)))
    if gen:
        summary.update(
            dgmlp_minus_paper_generated=float(np.mean([r["dgmlp"] - r["dgmlp-paper"] for r in gen])),
            homophily_abs_error_mean=float(np.mean([r["homophily_abs_error"] for r in gen])),
            homophily_abs_error_max=float(max(r["homophily_abs_error"] for r in gen)),
            graphs_homophily_within_005=int(sum(r["homophily_abs_error"] <= 0.05 for r in gen)))
    return rows, summary


def timing(which: str, budget: float | None) -> None:
    """Wall seconds of the console script's `classify run --model auto` (one seed), at its default time
    budget unless `budget` is given."""
    with tempfile.TemporaryDirectory() as tmp:
        if which == "cora":
            data = ["-d", "cora"]
            nodes = 2708
        else:
            from learnless.classify.synthetic import sbm_arrays, write_graph_files

            nodes = 100_000
            folder = write_graph_files(Path(tmp) / "sbm100k",
                                       *sbm_arrays(n_nodes=nodes, homophily=0.7, mean_degree=10, signal=0.5))
            data = ["-d", str(folder), "--format", "graph-files"]
        limit = [] if budget is None else ["--time-budget", str(budget)]
        cmd = ["learnless", "classify", "run", *data, "--model", "auto", *limit,
               "--seeds", "1", "--out", str(Path(tmp) / "run"), "--json", "-q"]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"error: {' '.join(cmd)} failed: {proc.stderr.strip()[-400:]}")
    import json

    metrics = json.loads(proc.stdout)
    from learnless.classify.auto import AutoClassifier

    budget = AutoClassifier().time_budget if budget is None else budget
    row = {"graph": which, "nodes": nodes, "time_budget": budget, "wall_seconds": wall,
           "test_acc": metrics["test_acc_mean"] * 100, "load_average_1min": os.getloadavg()[0]}
    save_rows(f"classify_own_graphs_timing_{which}", [row], params={"command": " ".join(cmd[:-6])},
              markdown=str(row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--large-seeds", type=int, default=2)
    ap.add_argument("--auto-budget", type=float, default=20.0)
    ap.add_argument("--tune-trials", type=int, default=4)
    ap.add_argument("--tune-end-to-end", action="store_true")
    ap.add_argument("--only", choices=["sbm", "shared"], default=None)
    ap.add_argument("--graphs", default=None, help="comma-separated graph names, run in this order")
    ap.add_argument("--timing", choices=["cora", "100k"], default=None)
    ap.add_argument("--timing-budget", type=float, default=None,
                    help="--time-budget of the timed command (default: the CLI's own)")
    ap.add_argument("--journal-suffix", default="", help="a separate journal for a concurrent run")
    ap.add_argument("--summarise-only", action="store_true",
                    help="train nothing: the results of every unit already in the journal (same settings)")
    args = ap.parse_args()
    if args.timing:
        timing(args.timing, args.timing_budget)
        return
    from learnless.runtime.experiment import Experiment

    names = [sbm_name(*c) for c in SBM_GRID] if args.only != "shared" else []
    names += list(SHARED) if args.only != "sbm" else []
    if args.graphs:  # in the order given
        names = [n for n in args.graphs.split(",") if n in names]
    # one journal per concurrent run (a journal has one writer); --summarise-only reads them all
    journal = RESULTS / f"classify_own_graphs_journal{args.journal_suffix}.jsonl"
    base = {"auto_budget": args.auto_budget, "tune_trials": args.tune_trials, "epochs": 200,
            "tune_end_to_end": args.tune_end_to_end}
    params = {**base, "seeds": args.seeds, "large_seeds": args.large_seeds, "large_nodes": LARGE}
    if args.summarise_only:  # several runs may have filled the journal (e.g. more seeds for some graphs)
        import json

        lines = [line for j in sorted(RESULTS.glob("classify_own_graphs_journal*.jsonl"))
                 for line in j.read_text().splitlines() if line.strip()]
        by_key = {}
        for r in (json.loads(line)["value"] for line in lines):
            if r.get("status") == "ok" and {k: r["config"].get(k) for k in base} == base:
                by_key[r["key"]] = r  # a unit run twice counts once
        records = list(by_key.values())
        recompute_homophily(records)
        rows, summary = summarise(records, names)
        save_rows("classify_own_graphs", rows, params={**params, "seeds": "as journaled (see rows)"},
                  summary=summary)
        print(summary)
        return
    records = []
    for name in names:  # graph by graph, so a cut-short run still holds whole graphs
        seeds = args.seeds
        if not name.startswith("sbm-") and load(name).num_nodes > LARGE:
            seeds = min(seeds, args.large_seeds)
        records += Experiment(unit, [{"graph": name, **base}], range(seeds), journal=journal,
                              catch=True, description=name).run()
        rows, summary = summarise(records, names)
        save_rows("classify_own_graphs", rows, params=params, summary=summary)
        _GRAPHS.clear()
    print(summary)


if __name__ == "__main__":
    main()
