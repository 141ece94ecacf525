"""Benchmark: the energy landscape of Z71 at 9 %, 27 % and 50 % of the pairs, Z11 on the full table and S4
at 50 % by `EnergyAscent` — what `learnless grok energy --group G --train-frac F --starts 16` reports:
where 16 random starts end (their mean top share on one component, their median energy, how concentrated
they are on a few input coordinates), how many components (frequencies, irreps) are local maxima of the
empirical energy (the free ascent from the component's own maximum keeps >= 90 % of its weight on it), and
the best single-component energy. Sample-centred energy, unit-norm inputs, sigma = x^2, seed 0. Writes
benchmarks/results/grok_energy_runs.{json,md}.

    PYTHONPATH=src python benchmarks/grok_energy_runs.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from learnless.grok.energy import EnergyAscent
from learnless.grok.features import memorisation_share
from learnless.grok.groups import Split, parse_group, split_pairs
from learnless.report import save_result

ROOT = Path(__file__).resolve().parents[1]
STABLE = 0.9


def participation_ratio(W: np.ndarray) -> np.ndarray:
    """1 / sum_i p_i^2 with p the weight-energy share per input coordinate: ~1-2 for a memorisation point."""
    p = W**2 / (W**2).sum(1, keepdims=True)
    return 1.0 / (p**2).sum(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", default="Z71:0.09,Z71:0.27,Z71:0.5,Z11:1.0,S4:0.5")
    ap.add_argument("--starts", type=int, default=16)
    args = ap.parse_args()
    rows = []
    for item in args.runs.split(","):
        spec, frac = item.split(":")
        g, frac = parse_group(spec), float(frac)
        split = (Split(train=np.arange(g.order**2), test=np.arange(0)) if frac >= 1.0
                 else split_pairs(g, frac, seed=0))
        asc = EnergyAscent(starts=args.starts, seed=0).fit(g, split)
        an = asc.analysis_
        stab = asc.component_stability_[1:]
        pr = participation_ratio(asc.W_)
        row = {"group": spec, "train_frac": frac, "n_train": len(split.train), "starts": args.starts,
               "converged_frac": float(asc.converged_.mean()),
               "random_mean_top_share": round(an["mean_top_share"], 3),
               "random_concentrated_frac": an["concentrated_frac"],
               "random_energy_median": round(float(np.median(asc.energy_)), 3),
               "random_memorisation_share_median": round(float(np.median(memorisation_share(asc.W_))), 3),
               "random_participation_ratio_max": round(float(pr.max()), 2),
               "frequencies": len(stab), "frequencies_local_max": int((stab >= STABLE).sum()),
               "stability_median": round(float(np.median(stab)), 3),
               "best_component_energy": round(float(asc.component_energy_[1:].max()), 3)}
        print(row, flush=True)
        rows.append(row)
    save_result("grok_energy_runs", rows, directory=ROOT / "benchmarks" / "results",
                params={**vars(args), "centring": "sample", "input_norm": "unit", "act": "sqr",
                        "stable_share": STABLE, "seed": 0})


if __name__ == "__main__":
    main()
