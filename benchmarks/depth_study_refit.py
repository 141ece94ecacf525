"""Re-fit the points of one experiment of a saved depth study with the current code and compare them, per
seed, with the study's CSV: is the saved figure still what the code gives?

    LEARNLESS_DATA=/work/shared/data PYTHONPATH=src python benchmarks/depth_study_refit.py \
        [--experiment gcn] [benchmarks/results/depth_study_cora.csv]

Each (point, seed) is fitted in turn in this one process with one torch thread (the study's 200 epochs and
hidden size). Saves benchmarks/results/depth_study_<dataset>_refit_<experiment>.json: one row per (point,
seed) with the CSV's and the re-fitted test and training accuracy; the summary says how many rows are equal
and gives each point's mean test accuracy both ways.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    import torch

    from learnless.classify.depth_study import DepthStudyConfig, _points, fit_point, read_csv
    from learnless.data import load_graph
    from learnless.data.integrity import sha256_file
    from learnless.report import save_result

    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="?", type=Path, default=RESULTS / "depth_study_cora.csv")
    ap.add_argument("--experiment", default="gcn", choices=["vary_dp", "vary_dt", "gcn"])
    args = ap.parse_args()
    torch.set_num_threads(1)
    dataset = args.csv.stem.removeprefix("depth_study_")
    saved = [r for r in read_csv(args.csv) if r["experiment"] == args.experiment]
    graph = load_graph(dataset)
    points = {(p["model"], p["prop_depth"], p["trans_depth"]): p for p in _points(DepthStudyConfig())}
    rows = []
    for s in saved:
        point = points[(s["model"], s["prop_depth"], s["trans_depth"])]
        start = time.perf_counter()
        r = fit_point(graph, point, s["seed"])
        rows.append({"model": s["model"], "prop_depth": s["prop_depth"], "trans_depth": s["trans_depth"],
                     "seed": s["seed"], "csv_test_acc": s["test_acc"], "refit_test_acc": r["test_acc"],
                     "csv_train_acc": s["train_acc"], "refit_train_acc": r["train_acc"],
                     "equal": r["test_acc"] == s["test_acc"] and r["train_acc"] == s["train_acc"],
                     "seconds": time.perf_counter() - start})
        print(rows[-1], flush=True)
    means = {}
    for r in rows:
        means.setdefault(f"{r['model']} Dp={r['prop_depth']} Dt={r['trans_depth']}", []).append(r)
    summary = {"rows": len(rows), "equal": sum(r["equal"] for r in rows),
               "max_abs_test_diff": max(abs(r["refit_test_acc"] - r["csv_test_acc"]) for r in rows),
               "test_acc_mean": {k: {"csv": statistics.fmean(r["csv_test_acc"] for r in v),
                                     "refit": statistics.fmean(r["refit_test_acc"] for r in v)}
                                 for k, v in means.items()}}
    params = {"dataset": dataset, "experiment": args.experiment, "torch_threads": 1,
              "csv": {"path": args.csv.resolve().relative_to(RESULTS.parents[1]).as_posix(),
                      "sha256": sha256_file(args.csv)}}
    name = f"depth_study_{dataset}_refit_{args.experiment}"
    print(save_result(name, rows, directory=RESULTS, params=params, summary=summary))


if __name__ == "__main__":
    main()
