"""Benchmark: the guide's single grokking runs with the reference code's label-centred MSE — Z71 at 27 % and
9 % of the pairs (K 512, Adam lr 0.01, wd 1e-4) and S4 at 50 % (K 256) — with their test-accuracy curve at
fixed epochs, the stage boundaries, the stage signals (G_F's alignment with its stage-II form, ||W - W0||,
the share of ||W||^2 in single-component nodes) and the features of the final model (which components the
active nodes sit on). One seed each. Writes benchmarks/results/grok_train_runs.{json,md} and the guide's
figures of these runs: docs/img/grok_z71_curve.png, grok_z71_memorise.png (the curves of Z71 at 27 % and 9 %),
grok_z71_spectrum.png and grok_s4_irreps.png (the spectra of the active nodes of Z71 at 27 % and of S4).

    PYTHONPATH=src python benchmarks/grok_train_runs.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from learnless.grok import plots
from learnless.grok.features import analyse_features
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result

ROOT = Path(__file__).resolve().parents[1]
RUNS = [("Z71", 0.27, 512, 4000), ("Z71", 0.09, 512, 3000), ("S4", 0.5, 256, 3000)]
ACC_EPOCHS = (1500, 2000, 2250)
ENERGY_EPOCHS = (1000, 2150, 2500)
CURVE_FIGURES = {("Z71", 0.27): "grok_z71_curve", ("Z71", 0.09): "grok_z71_memorise"}
SPECTRUM_FIGURES = {("Z71", 0.27): "grok_z71_spectrum", ("S4", 0.5): "grok_s4_irreps"}


def at(hist: dict, key: str, epoch: int):
    return hist[key][hist["epoch"].index(epoch)] if epoch in hist["epoch"] else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    args = ap.parse_args()
    rows = []
    for spec, frac, hidden, epochs in RUNS:
        g = parse_group(spec)
        split = split_pairs(g, frac, seed=0)
        t = GrokTrainer(hidden=hidden, lr=args.lr, weight_decay=args.weight_decay, epochs=epochs,
                        centring="label", seed=0).fit(g, split)
        h, d = t.history_, t.diagnostics_
        early = [a for e, a in zip(h["epoch"], h["test_acc"]) if 100 <= e <= 1050]
        an = analyse_features(g, t.model_.W.detach().numpy())
        counts = list(an["emerged"].values())
        row = {"group": spec, "train_frac": frac, "n_train": len(split.train), "hidden": hidden,
               "epochs": epochs, "memorize_epoch": t.memorize_epoch_, "grok_epoch": t.grok_epoch_,
               "feature_epoch": t.feature_epoch_, "train_acc": round(t.train_acc_, 4),
               "test_acc": round(t.test_acc_, 4), "test_acc_100_1050_min": round(min(early), 4),
               "test_acc_100_1050_max": round(max(early), 4)}
        row |= {f"test_acc_at_{e}": at(h, "test_acc", e) for e in ACC_EPOCHS}
        row |= {"gf_align_0": round(at(d, "gf_label_align", 0), 3),
                "gf_align_10": round(at(d, "gf_label_align", 10), 3),
                "gf_align_median_after_100": round(float(np.median(
                    [v for e, v in zip(d["epoch"], d["gf_label_align"]) if e >= 100])), 3),
                "w_change_10": round(at(d, "w_change", 10), 3)}
        row |= {f"concentrated_energy_at_{e}": at(d, "concentrated_energy", e) for e in ENERGY_EPOCHS}
        row |= {"concentrated_energy_end": d["concentrated_energy"][-1],
                "active_nodes": an["active_nodes"], "concentrated_frac_active": an["concentrated_frac"],
                "concentrated_frac_all": an["concentrated_frac_all"], "mean_top_share": an["mean_top_share"],
                "components_emerged": an["n_emerged"], "components_total": len(g.components) - 1,
                "nodes_per_component_min": min(counts) if counts else 0,
                "nodes_per_component_max": max(counts) if counts else 0,
                "emerged": an["emerged"], "seconds": round(t.seconds_, 1)}
        print(row, flush=True)
        rows.append(row)
        title = (f"{g.name}, {frac:.0%} of the pairs, K={hidden}, Adam lr {args.lr:g}, "
                 f"wd {args.weight_decay:g}")
        if (spec, frac) in CURVE_FIGURES:
            plots.grokking_curve(h, t.stages(), ROOT / "docs" / "img" / f"{CURVE_FIGURES[spec, frac]}.png",
                                 title, d)
        if (spec, frac) in SPECTRUM_FIGURES:
            plots.spectrum_heatmap(an["spectrum"][an["active"]], an["labels"],
                                   ROOT / "docs" / "img" / f"{SPECTRUM_FIGURES[spec, frac]}.png",
                                   f"{g.name}: weight energy per component "
                                   f"({an['active_nodes']} active nodes)")
    save_result("grok_train_runs", rows, directory=ROOT / "benchmarks" / "results",
                params={**vars(args), "runs": RUNS, "centring": "label", "optimizer": "adam", "act": "sqr",
                        "seed": 0})


if __name__ == "__main__":
    main()
