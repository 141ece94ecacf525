"""Benchmark (Fig. 7 of the Li2 paper): learning rate against the kind and the energy of the learned features.

The paper: Z_127, 20 % of the pairs (n = 3225), Adam; lr 0.001 / 0.002 reach Fourier features with lower E,
lr 0.005 reaches memorisation with higher E (semi-grokking). Here: the `dyn_madd` preset (the reference
code's K 512, wd 1e-4; the paper's Fig. 7 width is not used, K 2048 is 10x slower on CPU) with the paper's
sample-centred MSE, the three learning rates x `--seeds` seeds, `--epochs` epochs (the reference code's 3000).
Per run: test accuracy, the share of active nodes that are single-frequency / memorisation-like / mixed, and
the energy E of the active nodes on the unit sphere (learnless's normalisation: E* = M/16 for a frequency on
the full table). Writes benchmarks/results/NAME.{json,md} and docs/img/NAME.png (NAME: --name, grok_fig7).

    PYTHONPATH=src python benchmarks/grok_fig7.py [--seeds 3] [--epochs 3000] [--workers 2] [--journal DIR]
    PYTHONPATH=src python benchmarks/grok_fig7.py --centring label --lrs 0.001,0.005 --seeds 1 --epochs 2000 \
        --workers 1 --name grok_fig7_label      # the reference code's label-centred loss
    ... --loss ce --name grok_fig7_ce; ... --hidden 2048 --lrs 0.005 --name grok_fig7_k2048
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.lr_energy import measure_run, reference_energies
from learnless.grok.presets import preset, trainer_params
from learnless.report import new_figure, save_figure, save_result
from learnless.runtime import Experiment, get_executor

ROOT = Path(__file__).resolve().parents[1]
LRS = (0.001, 0.002, 0.005)
COLUMNS = [
    "lr", "seed", "train_acc", "test_acc", "grok_epoch", "n_active", "feature_frac", "memorisation_frac",
    "mixed_frac", "frequencies_emerged", "energy_median", "energy_feature_median",
    "energy_memorisation_median", "seconds",
]


def summarise(rows: list[dict], ref: dict) -> dict:
    by = {lr: [r for r in rows if r["lr"] == lr] for lr in sorted({r["lr"] for r in rows})}
    per_lr = {
        f"{lr:g}": {
            "runs": len(rs),
            "test_acc_mean": float(np.mean([r["test_acc"] for r in rs])),
            "grokked": sum(r["grok_epoch"] is not None for r in rs),
            "feature_frac_mean": float(np.mean([r["feature_frac"] for r in rs])),
            "memorisation_frac_mean": float(np.mean([r["memorisation_frac"] for r in rs])),
            "energy_median_mean": float(np.mean([r["energy_median"] for r in rs])),
        }
        for lr, rs in by.items()
    }
    small = [v for k, v in per_lr.items() if float(k) < 0.005]
    big = per_lr.get("0.005")
    holds = None
    if small and big:
        holds = {
            "higher_energy_at_0.005": all(big["energy_median_mean"] > s["energy_median_mean"] for s in small),
            "more_memorisation_at_0.005": all(
                big["memorisation_frac_mean"] > s["memorisation_frac_mean"] for s in small
            ),
            "fewer_fourier_at_0.005": all(big["feature_frac_mean"] < s["feature_frac_mean"] for s in small),
        }
    return {"per_lr": per_lr, "reference_energies": ref, "paper_ordering": holds}


def plot(rows: list[dict], ref: dict, path: Path, title: str) -> None:
    fig, ax = new_figure(7.6, 3.4)
    fig.delaxes(ax)
    ax1, ax2 = fig.subplots(1, 2)
    lrs = sorted({r["lr"] for r in rows})
    for i, lr in enumerate(lrs):
        rs = [r for r in rows if r["lr"] == lr]
        e = np.concatenate([r["energies"] for r in rs])
        ax1.violinplot([e], positions=[i], showmedians=True, widths=0.8)
        for r in rs:
            c = r["test_acc_curve"]
            ax2.plot(np.maximum(c["epoch"], 1), c["test_acc"], color=f"C{i}", lw=0.8,
                     label=f"lr {lr:g}" if r is rs[0] else None)
    ax1.axhline(ref["fourier_on_train"], color="k", ls="--", lw=0.8, label="Fourier max on train")
    ax1.axhline(ref["memorisation_on_train"], color="k", ls=":", lw=0.8, label="memorisation point (Thm 5)")
    ax1.set_xticks(range(len(lrs)), [f"lr {lr:g}" for lr in lrs])
    ax1.set_ylabel("E of active nodes (unit sphere)")
    ax1.legend(fontsize=6)
    ax2.set_xscale("log")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("test accuracy")
    ax2.legend(fontsize=7)
    fig.suptitle(title, fontsize=9)
    save_figure(fig, path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--train-frac", type=float, default=0.2)
    ap.add_argument("--group", default=None, help="default: the preset's Z127")
    ap.add_argument("--centring", default="sample", help="sample (paper) or label")
    ap.add_argument("--lrs", default=",".join(f"{x:g}" for x in LRS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--journal", default=None, help="directory for the resumable journal and the weights")
    ap.add_argument("--tabulate", action="store_true", help="tabulate the runs finished in --journal")
    ap.add_argument("--name", default="grok_fig7", help="result and figure name (a variant's own file)")
    ap.add_argument("--loss", default=None, help="mse (default: the preset's) or ce")
    ap.add_argument("--hidden", type=int, default=None, help="default: the preset's K 512")
    ap.add_argument("--init-w", default="uniform", choices=("uniform", "linear"),
                    help="GrokTrainer init_w (the preset's is the reference code's 'linear')")
    args = ap.parse_args()
    load0 = os.getloadavg()
    base = preset("dyn_madd")
    base["group"] = args.group or base["group"]
    train = {
        **trainer_params(base),
        "centring": args.centring,
        "init_w": args.init_w,
        "epochs": args.epochs,
        **({"loss": args.loss} if args.loss else {}),
        **({"hidden": args.hidden} if args.hidden else {}),
        "eval_every": 50,
        "diag_every": 500,
    }
    save_dir = None
    if args.journal:
        Path(args.journal).mkdir(parents=True, exist_ok=True)
        save_dir = args.journal
    configs = [  # seed-major: an interrupted sweep has every learning rate for its first seeds
        {"group": base["group"], "train_frac": args.train_frac, "trainer": {**train, "lr": float(lr)},
         "save_dir": save_dir, "seed": seed}
        for seed in range(args.seeds)
        for lr in args.lrs.split(",")
    ]
    journal = Path(args.journal) / "journal.jsonl" if args.journal else None
    if args.tabulate:  # what the journal of a running or interrupted sweep holds so far
        recs = [json.loads(line)["value"] for line in journal.read_text().splitlines() if line.strip()]
        rows = [r["result"] for r in recs if r.get("status") == "ok"]
    else:
        with get_executor("local", workers=args.workers) as ex:
            exp = Experiment(measure_run, configs, [0], executor=ex, description="fig7 runs", journal=journal)
            rows = [r["result"] for r in exp.run()]
    rows.sort(key=lambda r: (r["lr"], r["seed"]))
    g = parse_group(base["group"])
    ref = reference_energies(g, split_pairs(g, args.train_frac, seed=0))
    summary = summarise(rows, ref)
    plot(rows, ref, ROOT / "docs" / "img" / f"{args.name}.png",
         f"{g.name}, {args.train_frac:.0%} pairs, K {train['hidden']}, Adam, wd {train['weight_decay']:g}, "
         f"{args.epochs} epochs, {args.seeds} seeds")
    flat = {
        **{f"lr{k}_{m}": v[m] for k, v in summary["per_lr"].items()
           for m in ("test_acc_mean", "feature_frac_mean", "memorisation_frac_mean", "energy_median_mean")},
        **{f"E_ref_{k}": v for k, v in ref.items()},
        **{k: v for k, v in (summary["paper_ordering"] or {}).items()},
    }
    save_result(
        args.name,
        rows,
        directory=ROOT / "benchmarks" / "results",
        params={**vars(args), "trainer": train, "load_at_start": load0},
        summary=flat,
        columns=COLUMNS,
    )
    for r in rows:
        print({k: r[k] for k in COLUMNS})
    print(summary)


if __name__ == "__main__":
    main()
