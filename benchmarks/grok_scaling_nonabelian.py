"""Benchmark (Fig. 5 bottom right, Thm 4): non-abelian groups with max d_k = 2 on the scaling plot of Z_M.

Thm 4 keeps the local maxima from n ~ d_k^2 M log(M / delta) pairs on, so with d_k = 2 it allows a constant
up to 4x the abelian one; the reference code instead scales its critical ratio by max d_k / 2 (= 1 for
d_k = 2). Measured here: n* (smallest generalising n, bisection over n = r M ln M, `scaling_sweep`) for the
dihedral groups D_n (order 2n, irreps of dimension 1 and 2; D3 = S3) and for cyclic groups Z_M of the same
orders, in one sweep with one setting (the `cpu_scaling` preset: K 256, Adam lr 0.01, wd 1e-3, 1000
epochs, label-centred MSE), then n* = c M ln M fitted per family; c_nonabelian / c_abelian is the measured
d_k factor. Writes benchmarks/results/grok_scaling_nonabelian.{json,md} and docs/img/grok_scaling.png
(with the Z_M points of benchmarks/results/grok_scaling.json when present).

    PYTHONPATH=src python benchmarks/grok_scaling_nonabelian.py [--dihedral 3,4,5,6,8,10,12,15,20]
        [--seeds 3] [--workers 2] [--journal DIR]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from learnless.grok.groups import parse_group
from learnless.grok.presets import preset, trainer_params
from learnless.grok.scaling import fit_c, scaling_sweep
from learnless.report import new_figure, save_figure, save_result

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
RATIOS = "1,1.25,1.5,1.75,2,2.25,2.5,2.75,3,3.25,3.5,3.75,4,4.5,5,5.5,6,7,8,10,12,16"


def family_fit(points: list[dict]) -> dict:
    fit = fit_c(points)
    censored = sum(p["n_star"] is None for p in points)
    lower = [{"m_ln_m": p["m_ln_m"], "n_star": p["n_fail"]} for p in points
             if p["n_star"] is not None and p["n_fail"] is not None]
    fit["c_grid_low"] = fit_c(lower)["c"] if len(lower) == fit["n_points"] else None
    return {**fit, "never_generalised": censored}


def plot(points: list[dict], fits: dict, old: list[dict], path: Path, title: str) -> None:
    fig, ax = new_figure(5.6, 3.8)
    xmax = 0.0
    series = (
        ("cyclic (this sweep)", "abelian", "o", "C0"),
        ("dihedral D_n (max d_k = 2)", "nonabelian", "s", "C3"),
    )
    for label, fam, marker, color in series:
        pts = [p for p in points if p["family"] == fam and p["n_star"] is not None]
        x = np.array([p["m_ln_m"] for p in pts])
        ax.scatter(x, [p["n_star"] for p in pts], s=16, marker=marker, color=color, alpha=0.7, label=label)
        xmax = max(xmax, x.max(initial=0))
    if old:
        x = np.array([p["m_ln_m"] for p in old if p["n_star"] is not None])
        ax.scatter(x, [p["n_star"] for p in old if p["n_star"] is not None], s=12, marker="^", color="C2",
                   alpha=0.6, label="Z_M, grok_scaling.json")
        xmax = max(xmax, x.max(initial=0))
    xs = np.linspace(0, xmax * 1.05, 50)
    for fam, color in (("abelian", "C0"), ("nonabelian", "C3")):
        c = fits[fam]["c"]
        if c is not None:
            ax.plot(xs, c * xs, color=color, lw=1, label=f"{fam}: c = {c:.2f}")
    if fits["abelian"]["c"] is not None:
        ax.plot(xs, 4 * fits["abelian"]["c"] * xs, "k:", lw=0.8, label="d_k^2 = 4 x abelian c")
    ax.set_ylim(0, None)
    ax.set_xlabel("M ln M  (M = |G|)")
    ax.set_ylabel("smallest generalising n")
    ax.legend(fontsize=6)
    ax.set_title(title, fontsize=8)
    save_figure(fig, path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dihedral", default="3,4,5,6,8,10,12,15,20", help="n of D_n (order 2n)")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--journal", default=None, help="journal file: a killed sweep resumes from it")
    args = ap.parse_args()
    load0 = os.getloadavg()
    ns = [int(x) for x in args.dihedral.split(",")]
    nonab = [f"D{n}" for n in ns]
    ab = [f"Z{2 * n}" for n in ns]
    dk = {g: max(parse_group(g).irrep_dims()) for g in nonab + ab}
    train = trainer_params(preset("cpu_scaling"))
    res = scaling_sweep(nonab + ab, seeds=args.seeds, ratios=[float(r) for r in RATIOS.split(",")],
                        trainer=train, workers=args.workers, journal_path=args.journal)
    points = res["points"]
    for p in points:
        p["family"] = "nonabelian" if p["group"] in nonab else "abelian"
        p["max_dk"] = dk[p["group"]]
    fits = {fam: family_fit([p for p in points if p["family"] == fam]) for fam in ("abelian", "nonabelian")}
    ca, cn = fits["abelian"]["c"], fits["nonabelian"]["c"]
    ratio = None if not (ca and cn) else cn / ca
    old_path = RESULTS / "grok_scaling.json"
    old = json.loads(old_path.read_text())["results"] if old_path.exists() else []
    plot(points, fits, old, ROOT / "docs" / "img" / "grok_scaling.png",
         f"n* vs M ln M: Z_M and D_n, {args.seeds} seeds, K 256, Adam lr 0.01, wd 1e-3, 1000 epochs")
    rows = [{k: p[k] for k in ("group", "family", "order", "max_dk", "seed", "m_ln_m", "n_star", "n_fail",
                               "ratio", "total_pairs", "at_grid_ceiling", "seconds")} for p in points]
    summary = {
        "c_abelian": ca, "c_abelian_low": fits["abelian"]["c_low"],
        "c_abelian_high": fits["abelian"]["c_high"],
        "c_nonabelian": cn, "c_nonabelian_low": fits["nonabelian"]["c_low"],
        "c_nonabelian_high": fits["nonabelian"]["c_high"],
        "c_ratio_nonabelian_over_abelian": ratio, "thm4_dk2_factor": 4.0, "reference_code_factor": 1.0,
        "never_generalised_abelian": fits["abelian"]["never_generalised"],
        "never_generalised_nonabelian": fits["nonabelian"]["never_generalised"],
        "runs": res["runs"], "seconds": res["seconds"],
    }
    save_result("grok_scaling_nonabelian", rows, directory=RESULTS,
                params={**vars(args), "ratios": RATIOS, "trainer": res["train"], "load_at_start": load0,
                        "fits": fits, "trials": {f"{p['group']}/s{p['seed']}": p["trials"] for p in points}},
                summary=summary)
    for r in rows:
        print(r)
    print(summary)


if __name__ == "__main__":
    main()
