"""Honest hyper-parameter search for the classify presets: random search over a small grid, every point
scored by its mean VALIDATION accuracy over a few seeds (test accuracy is logged but never used to choose).

    LEARNLESS_DATA=/work/shared/data PYTHONPATH=src python benchmarks/classify_tune.py \
        --model dgmlp-paper --dataset cora [--trials 60] [--seeds 3]

Appends one row per trial to benchmarks/results/classify_tune/<model>_<dataset>.csv (a re-run with the same
arguments resumes: trials already logged are skipped), then prints the best point by validation accuracy
(ties: fewer parameters is not judged — the earlier trial wins). The chosen values go into
`learnless.classify.presets` by hand, with a comment pointing at this log.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from learnless.classify.runs import run_model
from learnless.classify.transforms import row_normalize
from learnless.data import load_graph

SPACES = {
    "dgmlp-paper": {
        "prop_depth": [5, 10, 15, 20, 30],
        "trans_depth": [2, 3, 4, 6],
        "hidden": [64, 128, 256],
        "lr": [0.005, 0.01, 0.02, 0.05, 0.1],
        "weight_decay": [5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2],
        "dropout": [0.3, 0.5, 0.6, 0.7, 0.8],
        "input_dropout": [0.0, 0.2, 0.5, 0.7],
        "temperature": [0.25, 0.5, 1.0, 2.0],
        "row_normalize": [False, True],
    },
    # stage 2 for DGMLP: around stage 1's best points, plus Dt = 1 (the released model's depth) and the larger
    # learning rates of the official code
    "dgmlp-paper:refine": {
        "prop_depth": [10, 15, 20, 30],
        "trans_depth": [1, 2, 3],
        "hidden": [64, 128],
        "lr": [0.01, 0.05, 0.1, 0.2],
        "weight_decay": [1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2],
        "dropout": [0.3, 0.5, 0.7],
        "input_dropout": [0.0, 0.1, 0.2, 0.5],
        "temperature": [0.5, 1.0, 2.0],
        "row_normalize": [False],
    },
    # stage 3 (a later session): a wider and longer search around Dt 1..3, deeper Dp and sharper or flatter
    # hop
    # weights, since stages 1-2 had sampled only 56 points of a grid of ~10^5
    "dgmlp-paper:wide": {
        "prop_depth": [10, 15, 20, 25, 30, 40],
        "trans_depth": [1, 2, 3],
        "hidden": [64, 128, 256],
        "lr": [0.01, 0.02, 0.05, 0.1, 0.2],
        "weight_decay": [1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2],
        "dropout": [0.3, 0.5, 0.7],
        "input_dropout": [0.0, 0.1, 0.2, 0.3, 0.5],
        "temperature": [0.5, 1.0, 2.0, 4.0],
        "row_normalize": [False],
    },
    "sign": {
        "prop_depth": [2, 3, 4, 5],
        "hidden": [64, 128, 256],
        "lr": [0.001, 0.005, 0.01, 0.05],
        "weight_decay": [5e-5, 5e-4, 1e-3, 5e-3, 1e-2],
        "dropout": [0.3, 0.5, 0.7],
        "input_dropout": [0.0, 0.2, 0.5],
        "row_normalize": [False, True],
    },
    "s2gc": {
        "prop_depth": [4, 8, 16, 32],
        "alpha": [0.0, 0.05, 0.1, 0.2],
        "lr": [0.05, 0.2],
        "weight_decay": [1e-5, 1e-4, 5e-4, 1e-3, 3e-3, 1e-2, 3e-2],
        "row_normalize": [False, True],
    },
    "sgc": {
        "prop_depth": [2, 3],
        "lr": [0.2],
        "weight_decay": [1e-5, 1e-4, 5e-4, 1e-3, 3e-3, 1e-2, 3e-2],
        "row_normalize": [False, True],
    },
}


def draws(space: dict, trials: int, seed: int) -> list[dict]:
    """`trials` distinct random points of the grid, the same sequence for the same seed (for resuming)."""
    rng = random.Random(seed)
    seen, out = set(), []
    size = 1
    for v in space.values():
        size *= len(v)
    while len(out) < min(trials, size):
        point = {k: rng.choice(v) for k, v in space.items()}
        key = json.dumps(point, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(point)
    return out


def log_fields(res: dict, seeds: int) -> dict:
    """The CSV columns every search log shares: accuracies of one point over `seeds` seeds, its cost, when."""
    return {
        "val_acc_mean": f"{res['val_acc_mean']:.5f}",
        "test_acc_mean": f"{res['test_acc_mean']:.5f}",
        "test_acc_std": f"{res['test_acc_std']:.5f}",
        "seeds": seeds,
        "seconds": f"{res['seconds']:.1f}",
        "time": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--model",
        required=True,
        choices=sorted(SPACES),
        help="model[:stage] — the part before ':' is the model, the whole name the search space",
    )
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--trials", type=int, default=60)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--search-seed", type=int, default=0)
    args = ap.parse_args()
    out = Path(__file__).parent / "results" / "classify_tune"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.model.replace(':', '-')}_{args.dataset}.csv"
    model = args.model.split(":")[0]
    done = {}
    if path.exists():
        with open(path) as fh:
            for row in csv.DictReader(fh):
                done[row["params"]] = row
    raw = load_graph(args.dataset)
    graphs = {False: raw, True: row_normalize(raw)}
    fields = ["trial", "params", "val_acc_mean", "test_acc_mean", "test_acc_std", "seeds", "seconds", "time"]
    new_file = not path.exists()
    with open(path, "a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        if new_file:
            w.writeheader()
        for i, point in enumerate(draws(SPACES[args.model], args.trials, args.search_seed)):
            key = json.dumps(point, sort_keys=True)
            if key in done:
                continue
            params = {k: v for k, v in point.items() if k != "row_normalize"}
            res = run_model(
                graphs[point.get("row_normalize", False)],
                model,
                params,
                args.seeds,
                progress_desc=f"trial {i}",
            )
            row = {"trial": i, "params": key, **log_fields(res, args.seeds)}
            w.writerow(row)
            fh.flush()
            done[key] = row
            print(
                f"{i:3d} val {res['val_acc_mean'] * 100:.2f} test {res['test_acc_mean'] * 100:.2f} "
                f"{res['seconds']:.1f}s {key}",
                flush=True,
            )
    rows = sorted(done.values(), key=lambda r: (-float(r["val_acc_mean"]), int(r["trial"])))
    print(f"\n{len(rows)} trials; best 5 by mean validation accuracy ({args.seeds} seeds):")
    for r in rows[:5]:
        print(
            f"  val {float(r['val_acc_mean']) * 100:.2f}"
            f"  (test {float(r['test_acc_mean']) * 100:.2f})  {r['params']}"
        )


if __name__ == "__main__":
    main()
