"""Benchmark (Thm 3): K = 2M - 2 hidden nodes suffice for an abelian group. For Z_M, the smallest width K on a
grid that generalises (test >= 0.95 within the epoch budget, any of the seeds) at a generous training
fraction, against 2M - 2. Writes benchmarks/results/grok_width.{json,md}.

    PYTHONPATH=src python benchmarks/grok_width.py [--groups Z11,Z13,Z17] [--seeds 2] [--frac 0.7]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result
from learnless.runtime import Experiment, get_executor

ROOT = Path(__file__).resolve().parents[1]


def one(config: dict, seed: int) -> dict:
    g = parse_group(config["group"])
    split = split_pairs(g, config["frac"], seed=seed)
    t = GrokTrainer(
        hidden=config["hidden"],
        lr=config["lr"],
        weight_decay=config["wd"],
        epochs=config["epochs"],
        seed=seed,
        stop_after_grok=0,
        diag_every=10**9,
    ).fit(g, split)
    return {"grok_epoch": t.grok_epoch_, "test_acc": t.test_acc_}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="Z11,Z13,Z17")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--frac", type=float, default=0.7)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    load0 = os.getloadavg()
    rows = []
    with get_executor("local", workers=args.workers) as ex:
        for spec in args.groups.split(","):
            m = parse_group(spec).order
            ks = sorted({2, 4, 6, 8, 10, 12, 16, 20, 24, 32, 48, 2 * m - 2, m, m - 1, 2 * m})
            configs = [
                {
                    "group": spec,
                    "hidden": k,
                    "frac": args.frac,
                    "lr": args.lr,
                    "wd": args.wd,
                    "epochs": args.epochs,
                }
                for k in ks
            ]
            recs = Experiment(one, configs, range(args.seeds), executor=ex).run()
            ok = {
                k: any(r["result"]["grok_epoch"] is not None for r in recs if r["config"]["hidden"] == k)
                for k in ks
            }
            smallest = next((k for k in ks if ok[k] and all(ok[j] for j in ks if j >= k)), None)
            rows.append(
                {
                    "group": spec,
                    "M": m,
                    "2M-2": 2 * m - 2,
                    "smallest_K_grokking": smallest,
                    "grokked_by_K": {str(k): ok[k] for k in ks},
                }
            )
            print(rows[-1], flush=True)
    save_result(
        "grok_width",
        [{k: v for k, v in r.items() if k != "grokked_by_K"} for r in rows],
        directory=ROOT / "benchmarks" / "results",
        params={**vars(args), "load_at_start": load0},
        summary={
            r["group"]: " ".join(f"{k}:{'y' if v else 'n'}" for k, v in r["grokked_by_K"].items())
            for r in rows
        },
    )


if __name__ == "__main__":
    main()
