"""Benchmark: the sample-size scaling law n* = c M ln M. Runs the sweep (or, with --from, tabulates the
scaling.json of an earlier `learnless grok scaling` run) and writes benchmarks/results/grok_scaling.{json,md}.
Target: >= 5 values of M x 3 seeds in < 30 minutes, reporting c.

    PYTHONPATH=src python benchmarks/grok_scaling.py [--groups Z17,Z23,Z31,Z41,Z53,Z71] [--seeds 3]
    PYTHONPATH=src python benchmarks/grok_scaling.py --from runs/grok/<...>-scaling/scaling.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
RATIOS = "1,1.25,1.5,1.75,2,2.25,2.5,2.75,3,3.25,3.5,3.75,4,4.5,5"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", default=None, help="scaling.json of an earlier run to tabulate")
    ap.add_argument("--groups", default="Z17,Z23,Z31,Z41,Z53,Z71")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--wd", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--centring", default="label", help="sample (the paper's loss) or label (reference code's)"
    )
    args = ap.parse_args()
    if args.src:
        res = json.loads(Path(args.src).read_text())
        origin = f"tabulated from {args.src}"
    else:
        from learnless.grok.scaling import scaling_sweep

        trainer = {
            "hidden": args.hidden,
            "lr": 0.01,
            "weight_decay": args.wd,
            "epochs": args.epochs,
            "centring": args.centring,
        }
        res = scaling_sweep(
            args.groups.split(","),
            seeds=args.seeds,
            ratios=[float(r) for r in RATIOS.split(",")],
            trainer=trainer,
            workers=args.workers,
        )
        origin = "run by benchmarks/grok_scaling.py"
    res["origin"] = origin
    res["note"] = "measured on a shared 2-core machine (other jobs running)"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grok_scaling.json").write_text(json.dumps(res, indent=2) + "\n")
    lines = [
        (
            f"c = {res['c']:.3f}, 95 % bootstrap [{res['c_low']:.3f}, {res['c_high']:.3f}], grid lower "
            "bracket "
            f"{res.get('c_grid_low') or float('nan'):.3f}; {res['runs']} runs in {res['seconds']} s "
            f"({res['train']}; {origin})"
        ),
        "",
        "| group | seed | M ln M | n* | largest failing n | n*/(M ln M) | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in res["points"]:
        ratio = "-" if p["ratio"] is None else f"{p['ratio']:.2f}"
        lines.append(
            f"| {p['group']} | {p['seed']} | {p['m_ln_m']:.1f} | {p['n_star']} | {p.get('n_fail')} | "
            f"{ratio} | {p['seconds']} |"
        )
    (RESULTS / "grok_scaling.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
