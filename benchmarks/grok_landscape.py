"""Benchmark: the energy landscape's critical training-set size (Thm 4) against the grokking boundary of the
scaling sweep, for Z_M over several M. Writes benchmarks/results/grok_landscape.{json,md} and
docs/img/grok_landscape_vs_scaling.png.

    PYTHONPATH=src python benchmarks/grok_landscape.py [--groups Z17,Z23,Z31,Z41] [--ratios 2,3,4,5,6,8]

For each M the landscape is run at n = r M ln M (one seed); its critical ratio is the smallest r from which on
at least half of Thm 2's maxima persist. The grokking boundary is n*/(M ln M) from `scaling_sweep` with the
cpu_scaling preset, once with the paper's sample-centred loss and once with the reference code's label-centred
loss.
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import numpy as np

from learnless.grok.landscape import critical_ratio, landscape
from learnless.grok.presets import preset, trainer_params
from learnless.grok.scaling import scaling_sweep
from learnless.report import markdown_table, new_figure, save_figure, save_result
from learnless.runtime import get_executor

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="Z17,Z23,Z31,Z41")
    ap.add_argument("--ratios", default="2,3,4,5,6,8")
    ap.add_argument("--scaling-seeds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--journal-dir", default=str(ROOT / "runs" / "bench-grok-landscape"))
    args = ap.parse_args()
    groups = args.groups.split(",")
    ratios = [float(r) for r in args.ratios.split(",")]
    os.makedirs(args.journal_dir, exist_ok=True)
    rows, curves = [], {}
    load0 = os.getloadavg()
    with get_executor("local", workers=args.workers) as ex:
        for g in groups:
            m = int(g[1:])
            fracs = sorted({min(1.0, round(r * m * math.log(m)) / m**2) for r in ratios})
            res = landscape(g, fracs, seeds=1, executor=ex, journal=Path(args.journal_dir) / f"{g}.jsonl")
            curves[g] = res
            rows.append(
                {
                    "group": g,
                    "M": m,
                    "landscape_critical_ratio": critical_ratio(res),
                    "persist_by_ratio": {round(r["ratio"], 2): r["persist_frac"] for r in res["fractions"]},
                }
            )
    base = trainer_params(preset("cpu_scaling"))
    grid = [1, 1.5, 2, 2.25, 2.5, 2.75, 3, 3.5, 4, 5, 6]
    boundary = {}
    for centring in ("sample", "label"):
        sw = scaling_sweep(
            groups,
            seeds=args.scaling_seeds,
            ratios=grid,
            trainer={**base, "centring": centring},
            workers=args.workers,
            journal_path=Path(args.journal_dir) / f"scaling-{centring}.jsonl",
        )
        boundary[centring] = {
            "c": sw["c"],
            "c_low": sw["c_low"],
            "c_high": sw["c_high"],
            "points": [
                {k: p[k] for k in ("group", "seed", "n_star", "n_fail", "ratio")} for p in sw["points"]
            ],
        }
        for row in rows:
            rs = [p["ratio"] for p in sw["points"] if p["group"] == row["group"] and p["ratio"] is not None]
            row[f"grok_ratio_{centring}"] = float(np.median(rs)) if rs else None
    fig, ax = new_figure(6.4, 3.8)
    for g, res in curves.items():
        fr = sorted(res["fractions"], key=lambda r: r["ratio"])
        ax.plot(
            [r["ratio"] for r in fr], [r["persist_frac"] for r in fr], "o-", label=f"{g}: maxima persisting"
        )
    for centring, ls in (("sample", "--"), ("label", ":")):
        if boundary[centring]["c"] is not None:
            ax.axvline(
                boundary[centring]["c"],
                color="k",
                ls=ls,
                lw=1,
                label=f"grokking boundary c = {boundary[centring]['c']:.2f} ({centring}-centred loss)",
            )
    ax.set_xlabel("n / (M ln M)")
    ax.set_ylabel("share of Thm-2 maxima that persist")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=6)
    ax.set_title("energy landscape (Thm 4) vs grokking boundary", fontsize=9)
    save_figure(fig, ROOT / "docs" / "img" / "grok_landscape_vs_scaling.png")
    flat = [{k: v for k, v in r.items() if k != "persist_by_ratio"} for r in rows]
    summary = {f"c_{k}": v["c"] for k, v in boundary.items()}
    save_result(
        "grok_landscape",
        flat,
        directory=ROOT / "benchmarks" / "results",
        params={
            "groups": groups,
            "ratios": ratios,
            "scaling_trainer": base,
            "scaling_grid": grid,
            "scaling_seeds": args.scaling_seeds,
            "load_at_start": load0,
        },
        summary=summary,
    )
    # the curves behind the table: every landscape point (one row per group and training-set size) and the
    # scaling sweeps' per-seed n*
    curve_rows = [{"group": g, **{k: v for k, v in r.items() if k != "per_seed"}}
                  for g, res in curves.items() for r in res["fractions"]]
    save_result(
        "grok_landscape_curves",
        curve_rows,
        directory=ROOT / "benchmarks" / "results",
        params={"groups": groups, "ratios": ratios, "scaling_grid": grid,
                "scaling_seeds": args.scaling_seeds},
        summary={"boundary": boundary, "persist_by_ratio": {r["group"]: r["persist_by_ratio"] for r in rows}},
    )
    print(markdown_table(flat))


if __name__ == "__main__":
    main()
