"""Stage 2 of the preset choice: re-score the best points of the random search (`classify_tune.py` logs), plus
the incumbent preset, with more seeds — still on VALIDATION accuracy only — and pick the best mean.

    LEARNLESS_DATA=/work/shared/data PYTHONPATH=src python benchmarks/classify_select.py \
        --model dgmlp-paper --dataset cora [--top 5] [--seeds 10]

Reads every benchmarks/results/classify_tune/<model>*_<dataset>.csv, writes
benchmarks/results/classify_tune/<model>_<dataset>_select[_<tag>].csv (val and test per candidate; test is
logged,
never used) and prints the winner.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from classify_tune import log_fields  # a sibling script: benchmarks/ is sys.path[0]

from learnless.classify.presets import preset
from learnless.classify.runs import run_model
from learnless.classify.transforms import row_normalize
from learnless.data import load_graph


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument(
        "--tag", default="", help="suffix of the output log, so a later round keeps the earlier one"
    )
    args = ap.parse_args()
    logs = Path(__file__).parent / "results" / "classify_tune"
    trials = []
    for path in sorted(logs.glob(f"{args.model}*_{args.dataset}.csv")):
        if "_select" in path.stem:
            continue
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
        candidates.append((key, "incumbent preset"))
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


if __name__ == "__main__":
    main()
