"""Benchmark (Fig. 6 of the Li2 paper): the learning rate near the generalisation/memorisation boundary.

The paper (Fig. 6, K 1024, M = 23, 71, 127): around the critical data ratio a small learning rate more often
ends on generalising solutions (gsol), a large one on non-generalising solutions (ngsol) of higher energy E
(Fig. 7). Here: Z_M for each of --groups, K --hidden, Adam at each of --lrs, the reference code's wd 1e-4
and the paper's sample-centred MSE (the `dyn_madd` preset otherwise), n = r M ln M training pairs for r in
--ratios, --seeds seeds, --epochs epochs. Per run: test accuracy (gsol: >= 0.95), the share of active nodes
that are single-frequency / memorisation-like, and the median energy E of the active nodes on the unit
sphere. Writes benchmarks/results/NAME.{json,md} and, with more than one ratio, docs/img/NAME.png (NAME:
--name, grok_lr_boundary).

    PYTHONPATH=src python benchmarks/grok_lr_boundary.py [--groups Z23,Z41] [--seeds 3] [--workers 2] \
        [--journal DIR]
    PYTHONPATH=src python benchmarks/grok_lr_boundary.py --groups Z23 --ratios 2.5 --epochs 15000 \
        --name grok_lr_boundary_long          # the boundary ratio with a 5x budget
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import numpy as np

from learnless.grok.groups import parse_group
from learnless.grok.lr_energy import measure_run
from learnless.grok.presets import preset, trainer_params
from learnless.report import new_figure, save_figure, save_result
from learnless.runtime import Experiment, get_executor

ROOT = Path(__file__).resolve().parents[1]
GSOL_ACC = 0.95
COLUMNS = [
    "group", "ratio", "n_train", "lr", "seed", "train_acc", "test_acc", "grok_epoch", "n_active",
    "feature_frac", "memorisation_frac", "energy_median", "seconds",
]


def pairs_for_ratio(order: int, ratio: float) -> int:
    return round(ratio * order * math.log(order))


def summarise(rows: list[dict]) -> dict:
    """Per (group, ratio, lr): the share of seeds ending on a generalising solution, mean test accuracy and
    the mean of the runs' median node energy."""
    cells: dict[tuple, list[dict]] = {}
    for r in rows:
        cells.setdefault((r["group"], r["ratio"], r["lr"]), []).append(r)
    table = []
    for (g, ratio, lr), rs in sorted(cells.items()):
        table.append({
            "group": g, "ratio": ratio, "lr": lr, "runs": len(rs),
            "gsol_frac": float(np.mean([r["test_acc"] >= GSOL_ACC for r in rs])),
            "test_acc_mean": float(np.mean([r["test_acc"] for r in rs])),
            "memorisation_frac_mean": float(np.mean([r["memorisation_frac"] for r in rs])),
            "feature_frac_mean": float(np.mean([r["feature_frac"] for r in rs])),
            "energy_median_mean": float(np.mean(
                [r["energy_median"] for r in rs if r["energy_median"] is not None] or [np.nan])),
        })
    by_ratio: dict[tuple, dict] = {}  # one row per (group, ratio), the learning rates side by side
    for c in table:
        row = by_ratio.setdefault((c["group"], c["ratio"]), {"group": c["group"], "ratio": c["ratio"]})
        lr = f"{c['lr']:g}"
        row |= {f"test_acc_{lr}": c["test_acc_mean"], f"gsol_{lr}": c["gsol_frac"],
                f"energy_{lr}": c["energy_median_mean"], f"memorisation_{lr}": c["memorisation_frac_mean"]}
    # Fig. 7 reads the energy against the outcome: the median node energy of every run, split by outcome
    by_outcome: dict[str, dict] = {}
    for r in rows:
        if r["energy_median"] is not None:
            side = "generalised" if r["test_acc"] >= GSOL_ACC else "not_generalised"
            by_outcome.setdefault(r["group"], {"generalised": [], "not_generalised": []})[side].append(
                round(r["energy_median"], 4))
    for sides in by_outcome.values():
        for v in sides.values():
            v.sort()
    return {"cells": table, "by_ratio": list(by_ratio.values()), "energy_by_outcome": by_outcome}


def plot(cells: list[dict], path: Path, title: str) -> None:
    groups = sorted({c["group"] for c in cells}, key=lambda g: parse_group(g).order)
    fig, ax = new_figure(max(5.6, 3.6 * len(groups)), 5.6)
    fig.delaxes(ax)
    axes = fig.subplots(2, len(groups), squeeze=False)
    for j, g in enumerate(groups):
        for i, lr in enumerate(sorted({c["lr"] for c in cells})):
            cs = sorted((c for c in cells if c["group"] == g and c["lr"] == lr), key=lambda c: c["ratio"])
            x = [c["ratio"] for c in cs]
            axes[0, j].plot(x, [c["test_acc_mean"] for c in cs], "o-", color=f"C{i}", label=f"lr {lr:g}")
            axes[1, j].plot(x, [c["energy_median_mean"] for c in cs], "o-", color=f"C{i}", label=f"lr {lr:g}")
        axes[0, j].set_title(g, fontsize=9)
        axes[0, j].set_ylabel("test accuracy (mean over seeds)")
        axes[1, j].set_ylabel("median E of active nodes")
        axes[1, j].set_xlabel("n / (M ln M)")
        axes[0, j].legend(fontsize=7)
    fig.suptitle(title, fontsize=9)
    save_figure(fig, path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="Z23,Z41")
    ap.add_argument("--ratios", default="2,2.5,3,3.5,4,5,6")
    ap.add_argument("--lrs", default="0.001,0.002,0.005")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=1024)
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--journal", default=None, help="directory for the resumable journal")
    ap.add_argument("--name", default="grok_lr_boundary",
                    help="result and figure name (a variant's own file)")
    ap.add_argument("--init-w", default="uniform", choices=("uniform", "linear"),
                    help="GrokTrainer init_w (the preset's is the reference code's 'linear')")
    args = ap.parse_args()
    load0 = os.getloadavg()
    train = {**trainer_params(preset("dyn_madd")), "centring": "sample", "init_w": args.init_w,
             "epochs": args.epochs, "hidden": args.hidden, "eval_every": 50, "diag_every": args.epochs}
    configs = []
    for seed in range(args.seeds):  # seed-major: an interrupted sweep covers every cell for its first seeds
        for g in args.groups.split(","):
            m = parse_group(g).order
            for ratio in (float(r) for r in args.ratios.split(",")):
                n = pairs_for_ratio(m, ratio)
                if n >= m * m:
                    continue
                for lr in (float(x) for x in args.lrs.split(",")):
                    configs.append({"group": g, "train_frac": n / (m * m), "ratio": ratio,
                                    "trainer": {**train, "lr": lr}, "seed": seed})
    journal = Path(args.journal) / "journal.jsonl" if args.journal else None
    if journal:
        journal.parent.mkdir(parents=True, exist_ok=True)
    with get_executor("local", workers=args.workers) as ex:
        exp = Experiment(measure_run, configs, [0], executor=ex, description="lr x data ratio",
                         journal=journal)
        # the provenance's load is this invocation's: record how many runs it made (the rest: the journal)
        runs_here = len(exp.pending())
        runs = exp.run()
    nominal = {(c["group"], round(c["train_frac"] * parse_group(c["group"]).order ** 2)): c["ratio"]
               for c in configs}
    rows = []
    for r in runs:
        row = dict(r["result"])
        row["ratio"] = nominal[row["group"], row["n_train"]]
        row.pop("energies", None)  # per-node energies and the test curves stay in the journal
        row.pop("test_acc_curve", None)
        rows.append(row)
    rows.sort(key=lambda r: (parse_group(r["group"]).order, r["ratio"], r["lr"], r["seed"]))
    summary = summarise(rows)
    if len({r["ratio"] for r in rows}) > 1:  # a curve needs two ratios
        plot(summary["cells"], ROOT / "docs" / "img" / f"{args.name}.png",
             f"K {args.hidden}, Adam, wd {train['weight_decay']:g}, sample-centred MSE, "
             f"{args.epochs} epochs, {args.seeds} seeds")
    save_result(args.name, rows, directory=ROOT / "benchmarks" / "results",
                params={**vars(args), "trainer": train, "load_at_start": load0, "gsol_test_acc": GSOL_ACC,
                        "runs_made_here": runs_here, "runs_from_journal": len(runs) - runs_here},
                summary=summary, columns=COLUMNS)
    for c in summary["cells"]:
        print(c)


if __name__ == "__main__":
    main()
