"""Benchmark: one grokking run on CPU — Z_71, K=512, sigma=x^2, centred MSE, Adam lr 0.01, wd 1e-4 — at 27 %
of the pairs (should grok) and 9 % (should memorise without generalising). Target: one run < 2 minutes on
2 cores. Writes benchmarks/results/grok_speed.json and .md (learnless.report.save_result's schema).

    PYTHONPATH=src python benchmarks/grok_speed.py [--epochs 3000] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from learnless.grok.features import analyse_features
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--fracs", default="0.27,0.09")
    args = ap.parse_args()
    g = parse_group("Z71")
    rows = []
    for frac in (float(f) for f in args.fracs.split(",")):
        split = split_pairs(g, frac, seed=0)
        t0 = time.perf_counter()
        tr = GrokTrainer(
            hidden=512,
            act="sqr",
            loss="mse",
            optimizer="adam",
            lr=0.01,
            weight_decay=1e-4,
            centring="label",  # the loss its recorded results were measured with
            epochs=args.epochs,
            threads=args.threads,
        ).fit(g, split)
        wall = time.perf_counter() - t0
        an = analyse_features(g, tr.model_.W.detach().numpy())
        h = tr.history_
        before = [
            a for e, a in zip(h["epoch"], h["test_acc"]) if 100 <= e < (tr.grok_epoch_ or args.epochs) - 300
        ]
        rows.append(
            {
                "train_frac": frac,
                "n_train": len(split.train),
                "epochs": tr.epochs_run_,
                "train_acc": tr.train_acc_,
                "test_acc": tr.test_acc_,
                "memorize_epoch": tr.memorize_epoch_,
                "grok_epoch": tr.grok_epoch_,
                "feature_epoch": tr.feature_epoch_,
                "test_acc_range_before_grok": [min(before), max(before)] if before else None,
                "concentrated_frac": an["concentrated_frac"],
                "seconds": round(wall, 1),
                "ms_per_epoch": round(1000 * wall / max(1, tr.epochs_run_), 2),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    params = {"group": "Z71", "hidden": 512, "threads": args.threads, "epochs": args.epochs,
              "torch": torch.__version__}
    save_result("grok_speed", rows, directory=RESULTS, params=params,
                columns=["train_frac", "n_train", "epochs", "train_acc", "test_acc", "memorize_epoch",
                         "grok_epoch", "seconds", "ms_per_epoch"])


if __name__ == "__main__":
    main()
