"""Benchmark (Thm 8 / §5.3): Muon vs Adam — how many distinct irreducible components (frequencies of Z_M) the
concentrated hidden nodes cover over training, and when the model groks.

Muon as in the reference code (luckmatters `modular_addition_simple2.py`, optim=muon): Muon on the hidden
layer W, Adam on the top layer V. Here torch.optim.Muon (Nesterov momentum 0.95, 5 Newton-Schulz steps, lr
scaled by sqrt(max(1, rows/cols)), W stored as 2M x K) with its own lr and decoupled weight decay; V keeps
Adam.

1. Tuning (seed 0, K = --tune-hidden): each optimizer's (lr, weight decay) grid, and two choices from it:
   "fastest" (highest final test accuracy, then the earliest grok epoch: coverage plays no part) and
   "coverage" (most components covered at the end on seed 0, then test accuracy, then grok epoch).
2. Comparison (seeds 1..--seeds, each K in --hiddens; K 256 with --wide-seeds seeds for the "fastest"
   choice): per run the number of components covered by concentrated nodes (>= 90 % of a node's weight
   energy on one component) at each diagnostic epoch. Same seed = same split and same initial W for both
   optimizers, so the differences Muon - Adam are paired (mean and a bootstrap 95 % interval over seeds).

Writes benchmarks/results/grok_muon.{json,md}. CPU-sized: Z41 at 40 % of the pairs, 2000 epochs.

    PYTHONPATH=src python benchmarks/grok_muon.py [--group Z41] [--hiddens 24,32,48] [--seeds 5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result

ROOT = Path(__file__).resolve().parents[1]
ADAM_GRID = [(lr, wd) for lr in (0.005, 0.01, 0.02) for wd in (1e-4, 1e-3, 1e-2)]
MUON_GRID = [(lr, wd) for lr in (0.01, 0.02, 0.05) for wd in (0.1, 0.3, 1.0)]
V_LR, V_WD = 0.01, 1e-4  # Adam on V under Muon: the Adam baseline's standard setting
CURVE_EPOCHS = (100, 200, 500, 1000)


def trainer(opt: str, lr: float, wd: float, hidden: int, epochs: int, seed: int) -> GrokTrainer:
    if opt == "adam":
        return GrokTrainer(hidden=hidden, optimizer="adam", lr=lr, weight_decay=wd, epochs=epochs, seed=seed,
                           diag_every=50)
    return GrokTrainer(hidden=hidden, optimizer="muon", lr=V_LR, weight_decay=V_WD, muon_lr=lr,
                       muon_weight_decay=wd, epochs=epochs, seed=seed, diag_every=50)


def run(g, frac, opt, lr, wd, hidden, epochs, seed) -> dict:
    t = trainer(opt, lr, wd, hidden, epochs, seed).fit(g, split_pairs(g, frac, seed=seed))
    d = t.diagnostics_
    curve = dict(zip(d["epoch"], d["components_covered"]))
    total = len(g.components) - 1
    full = next((e for e, c in curve.items() if c == total), None)
    row = {"optimizer": opt, "lr": lr, "weight_decay": wd, "hidden": hidden, "seed": seed,
           "grok_epoch": t.grok_epoch_, "test_acc": round(t.test_acc_, 4),
           "covered_end": curve[d["epoch"][-1]], "covered_max": max(curve.values()),
           "components_total": total, "all_covered_epoch": full,
           "concentrated_frac_end": round(d["concentrated_frac"][-1], 3),
           "seconds": round(t.seconds_, 1)}
    row |= {f"covered_at_{e}": curve.get(e) for e in CURVE_EPOCHS}
    print(row, flush=True)
    return row


def _speed(r: dict) -> float:
    return -(r["grok_epoch"] if r["grok_epoch"] is not None else 1e9)


CRITERIA = {
    "fastest": lambda r: (r["test_acc"], _speed(r)),
    "coverage": lambda r: (r["covered_end"], r["test_acc"], _speed(r)),
}


def paired(diffs: list[float], rng: np.random.Generator, n_boot: int = 10000) -> tuple[float, float, float]:
    d = np.asarray(diffs, dtype=float)
    boots = rng.choice(d, size=(n_boot, d.size)).mean(1)
    return float(d.mean()), float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--group", default="Z41")
    ap.add_argument("--frac", type=float, default=0.4)
    ap.add_argument("--tune-hidden", type=int, default=48)
    ap.add_argument("--hiddens", default="24,32,48")
    ap.add_argument("--wide-seeds", type=int, default=3, help="seeds of the K 256 check")
    ap.add_argument("--seeds", type=int, default=5, help="comparison seeds 1..N (seed 0 tunes)")
    ap.add_argument("--epochs", type=int, default=2000)
    args = ap.parse_args()
    g = parse_group(args.group)
    tuning = {opt: [run(g, args.frac, opt, lr, wd, args.tune_hidden, args.epochs, 0) for lr, wd in grid]
              for opt, grid in (("adam", ADAM_GRID), ("muon", MUON_GRID))}
    rows = [r | {"phase": "tune"} for rs in tuning.values() for r in rs]
    chosen = {(crit, opt): max(rs, key=key) for crit, key in CRITERIA.items() for opt, rs in tuning.items()}
    summary = {f"{crit}_{opt}": [c["lr"], c["weight_decay"]] for (crit, opt), c in chosen.items()}
    rng = np.random.default_rng(0)
    cache: dict = {}

    def runs(opt, c, hidden, seeds):
        key = (opt, c["lr"], c["weight_decay"], hidden)
        if key not in cache:
            cache[key] = [run(g, args.frac, opt, c["lr"], c["weight_decay"], hidden, args.epochs, s)
                          for s in range(1, seeds + 1)]
        return cache[key]

    plan = [(crit, int(k), args.seeds) for crit in CRITERIA for k in args.hiddens.split(",")]
    plan.append(("fastest", 256, args.wide_seeds))
    for crit, hidden, seeds in plan:
        per = {opt: runs(opt, chosen[(crit, opt)], hidden, seeds) for opt in ("adam", "muon")}
        for key in ("covered_end", "covered_max", "covered_at_200"):
            diffs = [m[key] - a[key] for a, m in zip(per["adam"], per["muon"])]
            mean, lo, hi = paired(diffs, rng)
            summary[f"{crit}_K{hidden}_{key}_muon_minus_adam"] = [round(mean, 2), round(lo, 2), round(hi, 2)]
        for opt, rs in per.items():
            summary[f"{crit}_K{hidden}_{opt}_grokked"] = sum(r["grok_epoch"] is not None for r in rs)
    for (opt, lr, wd, hidden), rs in cache.items():
        by = [crit for (crit, o), c in chosen.items()
              if o == opt and (c["lr"], c["weight_decay"]) == (lr, wd)]
        rows += [r | {"phase": "compare", "selected_by": "+".join(by)} for r in rs]
    save_result("grok_muon", rows, directory=ROOT / "benchmarks" / "results",
                params={**vars(args), "adam_grid": ADAM_GRID, "muon_grid": MUON_GRID, "muon_v_lr": V_LR,
                        "muon_v_weight_decay": V_WD, "centring": "sample", "loss": "mse", "act": "sqr"},
                summary=summary)
    print(summary)


if __name__ == "__main__":
    main()
