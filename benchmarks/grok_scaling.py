"""Benchmark: the sample-size scaling law n* = c M ln M. Runs the sweep and writes
benchmarks/results/grok_scaling.{json,md} in the results schema (learnless.report.save_result).
Target: >= 5 values of M x 3 seeds in < 30 minutes, reporting c.

    PYTHONPATH=src python benchmarks/grok_scaling.py [--groups Z17,Z23,Z31,Z41,Z53,Z71] [--seeds 3]
        [--journal FILE]

With --journal a killed sweep resumes: finished (group, seed) searches are not run again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from learnless.report import save_result

RESULTS = Path(__file__).parent / "results"
RATIOS = "1,1.25,1.5,1.75,2,2.25,2.5,2.75,3,3.25,3.5,3.75,4,4.5,5"
SUMMARY = ("c", "c_low", "c_high", "n_points", "c_grid_low", "seconds", "runs")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="Z17,Z23,Z31,Z41,Z53,Z71")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--wd", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--centring", default="label", help="sample (the paper's loss) or label (reference code's)"
    )
    ap.add_argument("--journal", default=None, help="journal file: a killed sweep resumes from it")
    ap.add_argument("--name", default="grok_scaling")
    args = ap.parse_args()
    from learnless.grok.scaling import scaling_sweep

    trainer = {"hidden": args.hidden, "lr": 0.01, "weight_decay": args.wd, "epochs": args.epochs,
               "centring": args.centring}
    ratios = [float(r) for r in RATIOS.split(",")]
    res = scaling_sweep(args.groups.split(","), seeds=args.seeds, ratios=ratios, trainer=trainer,
                        workers=args.workers, journal_path=args.journal)
    summary = {k: res.get(k) for k in SUMMARY}
    params = {"groups": res["groups"], "seeds": res["seeds"], "ratios": res["ratios"], "train": res["train"],
              "workers": args.workers}
    save_result(args.name, res["points"], directory=RESULTS, params=params, summary=summary,
                columns=["group", "seed", "m_ln_m", "n_star", "n_fail", "ratio", "seconds"])
    print(f"c = {res['c']}, 95 % bootstrap [{res['c_low']}, {res['c_high']}]; {res['runs']} runs in "
          f"{res['seconds']} s")


if __name__ == "__main__":
    main()
