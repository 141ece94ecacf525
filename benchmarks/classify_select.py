"""Stage 2 of the preset choice: re-score the best points of the random search (`classify_tune.py` logs), plus
the incumbent preset, with more seeds — still on VALIDATION accuracy only — and pick the best mean.

    LEARNLESS_DATA=/work/shared/data PYTHONPATH=src python benchmarks/classify_select.py \
        --model dgmlp-paper --dataset cora [--top 5] [--seeds 10]

Reads every benchmarks/results/classify_tune/<model>*_<dataset>.csv, writes
benchmarks/results/classify_tune/<model>_<dataset>_select[_<tag>].csv (val and test per candidate; test is
logged, never used), prints the winner, and saves the finalists as the result
benchmarks/results/classify_select_<model>_<dataset>[_<tag>].json (learnless.report.save_result).

    PYTHONPATH=src python benchmarks/classify_select.py --from-csv \
        benchmarks/results/classify_tune/dgmlp-paper_cora_select_wide.csv

saves that result from a select log already written, without training: the figures are the log's, and the
result's params name the log (path and sha256) and the search logs it was drawn from.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from classify_tune import log_fields  # a sibling script: benchmarks/ is sys.path[0]

from learnless.classify.presets import preset
from learnless.classify.runs import run_model
from learnless.classify.transforms import row_normalize
from learnless.data import load_graph

RESULTS = Path(__file__).parent / "results"
LOGS = RESULTS / "classify_tune"
INCUMBENT = "incumbent preset"
_SELECT_LOG = re.compile(r"^(?P<model>.+)_(?P<dataset>[^_]+)_select(?:_(?P<tag>.+))?$")


def search_logs(model: str, dataset: str) -> list[Path]:
    """The random-search logs (`classify_tune.py`) of this model and dataset, every stage."""
    return [p for p in sorted(LOGS.glob(f"{model}*_{dataset}.csv")) if "_select" not in p.stem]


def _ranks(values: list[float]) -> list[int]:
    """1 for the largest value; ties share the better rank."""
    return [1 + sum(v > x for v in values) for x in values]


def save_select_result(select_csv: Path, model: str, dataset: str, tag: str, recorded_command: str | None,
                       directory: Path = RESULTS) -> Path:
    """Save the finalists of one select log as `classify_select_<model>_<dataset>[_<tag>]` (one schema)."""
    from learnless.data.integrity import sha256_file
    from learnless.report import save_result

    with open(select_csv) as fh:
        finalists = list(csv.DictReader(fh))
    started = min(r["time"] for r in finalists)
    searched = {}  # search points logged before this selection started: the pool its candidates came from
    for path in search_logs(model, dataset):
        with open(path) as fh:
            searched[path.name] = [r for r in csv.DictReader(fh) if r["time"] < started]
    points = [r for rows in searched.values() for r in rows]
    val = [float(r["val_acc_mean"]) for r in finalists]
    test = [float(r["test_acc_mean"]) for r in finalists]
    val_rank, test_rank = _ranks(val), _ranks(test)
    rows = [{"origin": r["origin"], "incumbent": r["origin"] == INCUMBENT, "val_acc_mean": v,
             "test_acc_mean": t, "test_acc_std": float(r["test_acc_std"]), "val_rank": vr, "test_rank": tr,
             "seeds": int(r["seeds"]), "seconds": float(r["seconds"]), "params": json.loads(r["params"])}
            for r, v, t, vr, tr in zip(finalists, val, test, val_rank, test_rank)]
    chosen = max(range(len(rows)), key=lambda i: val[i])  # the rule: best mean validation accuracy
    best_test = max(range(len(rows)), key=lambda i: test[i])
    searched_test = [float(r["test_acc_mean"]) for r in points]
    top_searched = max(range(len(points)), key=lambda i: searched_test[i])
    summary = {
        "finalists": len(rows),
        "from_search": sum(not r["incumbent"] for r in rows),
        "searched_points": len(points),
        "val_min": min(val), "val_max": max(val), "test_min": min(test), "test_max": max(test),
        "chosen_val": val[chosen], "chosen_test": test[chosen], "chosen_test_rank": test_rank[chosen],
        "best_test": test[best_test], "best_test_val_rank": val_rank[best_test],
        "searched_best_test": searched_test[top_searched],
        "searched_best_test_val_rank": _ranks([float(r["val_acc_mean"]) for r in points])[top_searched],
        "searched_seeds": sorted({int(r["seeds"]) for r in points}),
    }
    params = {
        "model": model, "dataset": dataset, "tag": tag or None,
        "rule": "best mean validation accuracy over the seeds; test accuracy logged, never used",
        "select_log": {"path": select_csv.resolve().relative_to(RESULTS.parents[1]).as_posix(),
                       "sha256": sha256_file(select_csv), "command": recorded_command},
        "search_logs": {name: len(rows) for name, rows in searched.items()},
    }
    name = f"classify_select_{model}_{dataset}{'_' + tag if tag else ''}"
    path = save_result(name, rows, directory=directory, params=params, summary=summary,
                       columns=["origin", "val_acc_mean", "test_acc_mean", "test_acc_std", "val_rank",
                                "test_rank", "seeds"])
    print(f"saved {path}")
    return path


def from_csv(select_csv: Path) -> None:
    """Save the result of a select log written earlier: its model, dataset and tag are in its name; the
    command that wrote it was not logged (null in the result)."""
    m = _SELECT_LOG.match(select_csv.stem)
    if m is None or not select_csv.is_file():
        sys.exit(f"error: --from-csv: {select_csv} is not a <model>_<dataset>_select[_<tag>].csv log")
    save_select_result(select_csv, m["model"], m["dataset"], m["tag"] or "", recorded_command=None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--dataset")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument(
        "--tag", default="", help="suffix of the output log, so a later round keeps the earlier one"
    )
    ap.add_argument("--from-csv", type=Path, nargs="+", help="save the result of select logs, no training")
    args = ap.parse_args()
    if args.from_csv:
        for path in args.from_csv:
            from_csv(path)
        return
    if not (args.model and args.dataset):
        ap.error("--model and --dataset are required (or --from-csv)")
    logs = LOGS
    trials = []
    for path in search_logs(args.model, args.dataset):
        with open(path) as fh:
            trials += [(float(r["val_acc_mean"]), r["params"], path.name) for r in csv.DictReader(fh)]
    trials.sort(key=lambda t: -t[0])
    candidates, seen = [], set()
    for val, params, source in trials:
        if params not in seen and len(candidates) < args.top:
            seen.add(params)
            candidates.append((params, f"{source} (val {val * 100:.2f}, 3 seeds)"))
    incumbent = {"row_normalize": False, **preset(args.model, args.dataset)}
    key = json.dumps(incumbent, sort_keys=True)
    if key not in seen:
        candidates.append((key, INCUMBENT))
    raw = load_graph(args.dataset)
    graphs = {False: raw, True: row_normalize(raw)}
    out = logs / f"{args.model}_{args.dataset}_select{'_' + args.tag if args.tag else ''}.csv"
    rows = []
    with open(out, "w", newline="") as fh:
        w = csv.DictWriter(
            fh,
            fieldnames=[
                "params",
                "origin",
                "val_acc_mean",
                "test_acc_mean",
                "test_acc_std",
                "seeds",
                "seconds",
                "time",
            ],
        )
        w.writeheader()
        for params, origin in candidates:
            p = json.loads(params)
            rn = p.pop("row_normalize", False)
            res = run_model(graphs[rn], args.model, p, args.seeds, progress_desc=origin[:30])
            row = {"params": params, "origin": origin, **log_fields(res, args.seeds)}
            w.writerow(row)
            fh.flush()
            rows.append(row)
            print(
                f"val {res['val_acc_mean'] * 100:.2f} test {res['test_acc_mean'] * 100:.2f} ± "
                f"{res['test_acc_std'] * 100:.2f}  {origin}  {params}",
                flush=True,
            )
    best = max(rows, key=lambda r: float(r["val_acc_mean"]))
    print(
        f"\nchosen on validation ({args.seeds} seeds): {best['params']}  "
        f"val {float(best['val_acc_mean']) * 100:.2f}, test {float(best['test_acc_mean']) * 100:.2f}"
    )
    command = " ".join(["classify_select.py", *sys.argv[1:]])
    save_select_result(out, args.model, args.dataset, args.tag, command)


if __name__ == "__main__":
    main()
