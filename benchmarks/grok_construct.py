"""Benchmark: the network built from the energy (stage II alone, stages II + III) against trained networks of
the same width, by the data ratio n / (M ln M).

Per group, ratio and seed: EnergyConstruction (K --hidden, its defaults otherwise; one run gives stage II's
and stage III's network) and GrokTrainer (the `cpu_scaling` preset: K 256, Adam lr 0.01, wd 1e-3, 1000
epochs, stopped at grokking). Per arm and (group, seed) the boundary is the smallest ratio from which on every
ratio of the grid reaches test accuracy >= 0.95; the arm's boundary is their mean with a t-based 95 %
interval (a (group, seed) that never generalises on the grid counts as the grid's end, marked). Cost:
node-gradient evaluations (one node's energy gradient over all training pairs; a trained epoch costs K of
them). Writes
benchmarks/results/NAME.{json,md} and docs/img/NAME.png (NAME: --name, grok_construct).

    PYTHONPATH=src python benchmarks/grok_construct.py [--groups Z17,Z23,Z31,Z41,D12] [--seeds 3] \
        [--ratios 2,2.5,3,3.5,4,5,6] [--workers 2] [--journal DIR]
    PYTHONPATH=src python benchmarks/grok_construct.py --full-table   # the construction on every full table
        (NAME_full: accuracy over all |G|^2 pairs, components covered, node-gradient evaluations)
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import numpy as np
from scipy import stats

from learnless.grok.construct import boundary_run
from learnless.grok.groups import parse_group
from learnless.grok.presets import preset, trainer_params
from learnless.report import new_figure, save_figure, save_result
from learnless.runtime import Experiment, get_executor

ROOT = Path(__file__).resolve().parents[1]
GROK_ACC = 0.95
ARMS = {"II": "test_acc_II", "II+III": "test_acc_III", "trained": "test_acc"}
COLUMNS = ["group", "ratio", "seed", "arm", "n_train", "test_acc_II", "test_acc_III", "covered_III",
           "components_total", "gradient_evals_III", "test_acc", "grok_epoch", "gradient_evals", "seconds"]


def boundary(points: dict[float, float], grid: list[float]) -> tuple[float, bool]:
    """(smallest ratio from which on every grid ratio reaches GROK_ACC, reached); the grid's end + its last
    step when even the largest ratio fails (a lower bound, flagged False)."""
    ok = [points[r] >= GROK_ACC for r in grid]
    for i in range(len(grid)):
        if all(ok[i:]):
            return grid[i], True
    return grid[-1] + (grid[-1] - grid[-2] if len(grid) > 1 else 1.0), False


def summarise(construct: list[dict], trained: list[dict]) -> dict:
    cells, bounds = [], {}
    by_key: dict[tuple, dict] = {}
    for r in construct:
        by_key.setdefault((r["group"], r["seed"]), {}).setdefault("II", {})[r["ratio"]] = r["test_acc_II"]
        by_key[(r["group"], r["seed"])].setdefault("II+III", {})[r["ratio"]] = r["test_acc_III"]
    for r in trained:
        by_key.setdefault((r["group"], r["seed"]), {}).setdefault("trained", {})[r["ratio"]] = r["test_acc"]
    per_seed = []
    for (g, seed), arms in sorted(by_key.items(), key=lambda kv: (parse_group(kv[0][0]).order, kv[0])):
        row = {"group": g, "seed": seed}
        for arm, pts in arms.items():
            grid = sorted(pts)
            b, reached = boundary(pts, grid)
            row[f"boundary_{arm}"], row[f"reached_{arm}"] = b, reached
            bounds.setdefault(arm, []).append(b)
        per_seed.append(row)
    for arm, bs in bounds.items():
        bs = np.asarray(bs, dtype=float)
        half = 0.0
        if len(bs) > 1:
            half = float(stats.t.ppf(0.975, len(bs) - 1) * bs.std(ddof=1) / math.sqrt(len(bs)))
        missed = sum(not r[f"reached_{arm}"] for r in per_seed if f"reached_{arm}" in r)
        cells.append({"arm": arm, "boundary_mean": float(bs.mean()), "ci_low": float(bs.mean() - half),
                      "ci_high": float(bs.mean() + half), "points": len(bs),
                      "not_reached": int(missed)})
    by_ratio: dict[tuple, dict] = {}
    for r in construct:
        c = by_ratio.setdefault((r["group"], r["ratio"]), {"group": r["group"], "ratio": r["ratio"]})
        c.setdefault("II", []).append(r["test_acc_II"])
        c.setdefault("II+III", []).append(r["test_acc_III"])
        c.setdefault("covered", []).append(r["covered_III"] / r["components_total"])
        c.setdefault("evals_construct", []).append(r["gradient_evals_III"])
    for r in trained:
        c = by_ratio.setdefault((r["group"], r["ratio"]), {"group": r["group"], "ratio": r["ratio"]})
        c.setdefault("trained", []).append(r["test_acc"])
        c.setdefault("evals_trained", []).append(r["gradient_evals"])
    table = []
    for (g, ratio), c in sorted(by_ratio.items(), key=lambda kv: (parse_group(kv[0][0]).order, kv[0][1])):
        row = {"group": g, "ratio": ratio}
        for arm in ARMS:
            row[f"test_{arm}"] = float(np.mean(c.get(arm, [np.nan])))
            row[f"grok_{arm}"] = int(sum(v >= GROK_ACC for v in c.get(arm, [])))
        row["seeds"] = len(c.get("II", []))
        row["covered_share"] = float(np.mean(c.get("covered", [np.nan])))
        row["evals_construct"] = float(np.median(c.get("evals_construct", [np.nan])))
        row["evals_trained"] = float(np.median(c.get("evals_trained", [np.nan])))
        table.append(row)
    return {"boundaries": cells, "per_seed": per_seed, "by_ratio": table}


def plot(table: list[dict], boundaries: list[dict], path: Path, title: str) -> None:
    groups = sorted({c["group"] for c in table}, key=lambda g: parse_group(g).order)
    fig, ax = new_figure(3.3 * len(groups), 3.6)
    fig.delaxes(ax)
    axes = fig.subplots(1, len(groups), squeeze=False)[0]
    for j, g in enumerate(groups):
        rows = [r for r in table if r["group"] == g]
        x = [r["ratio"] for r in rows]
        for i, arm in enumerate(ARMS):
            axes[j].plot(x, [r[f"test_{arm}"] for r in rows], "o-", color=f"C{i}", label=arm)
        axes[j].axhline(GROK_ACC, color="grey", lw=0.6, ls=":")
        axes[j].set_title(g, fontsize=9)
        axes[j].set_xlabel("n / (M ln M)")
    axes[0].set_ylabel("test accuracy (mean over seeds)")
    bl = "; ".join(f"{b['arm']} {b['boundary_mean']:.2f} [{b['ci_low']:.2f}, {b['ci_high']:.2f}]"
                   for b in boundaries)
    axes[0].legend(fontsize=7)
    fig.suptitle(f"{title}\nboundary (mean, 95 % CI): {bl}", fontsize=8)
    save_figure(fig, path)


def full_tables(args) -> None:
    """The construction (stages I-III, K --hidden) on each group's full table, --seeds seeds."""
    from learnless.grok.construct import EnergyConstruction
    from learnless.grok.groups import Split

    load0 = os.getloadavg()
    rows = []
    for g_name in args.groups.split(","):
        g = parse_group(g_name)
        full = Split(train=np.arange(g.order**2), test=np.arange(0))
        for seed in range(args.seeds):
            est = EnergyConstruction(hidden=args.hidden, seed=seed).fit(g, full)
            h = {x["stage"]: x for x in est.stage_history_}
            rows.append({"group": g.name, "order": g.order, "seed": seed, "acc_I": h["I"]["train_acc"],
                         "acc_II": h["II"]["train_acc"], "acc_III": h["III"]["train_acc"],
                         "covered_II": h["II"]["components_covered"],
                         "covered_III": h["III"]["components_covered"],
                         "components_total": h["III"]["components_total"],
                         "gradient_evals": est.gradient_evals_, "seconds": round(est.seconds_, 2)})
            print(rows[-1], flush=True)
    save_result(f"{args.name}_full", rows, directory=ROOT / "benchmarks" / "results",
                params={"groups": args.groups, "seeds": args.seeds, "hidden": args.hidden,
                        "load_at_start": load0, "load_at_end": os.getloadavg()},
                summary={"min_acc_III": min(r["acc_III"] for r in rows),
                         "all_covered": all(r["covered_III"] == r["components_total"] for r in rows)})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="Z17,Z23,Z31,Z41,D12")
    ap.add_argument("--ratios", default="2,2.5,3,3.5,4,5,6")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--journal", default=None, help="directory for the resumable journal")
    ap.add_argument("--name", default="grok_construct")
    ap.add_argument("--full-table", action="store_true", help="construct on each group's full table only")
    args = ap.parse_args()
    if args.full_table:
        full_tables(args)
        return
    load0 = os.getloadavg()
    train = {**trainer_params(preset("cpu_scaling")), "hidden": args.hidden, "stop_after_grok": 0,
             "diag_every": 10**9}
    build = {"hidden": args.hidden, "stage": "III"}
    configs = []
    for seed in range(args.seeds):  # seed-major: an interrupted sweep covers every cell for its first seeds
        for g in args.groups.split(","):
            m = parse_group(g).order
            for ratio in (float(r) for r in args.ratios.split(",")):
                if round(ratio * m * math.log(m)) >= m * m:
                    continue
                for arm, params in (("construct", build), ("trained", train)):
                    configs.append({"group": g, "ratio": ratio, "arm": arm, "params": params, "seed": seed})
    journal = Path(args.journal) / "journal.jsonl" if args.journal else None
    if journal:
        journal.parent.mkdir(parents=True, exist_ok=True)
    with get_executor("local", workers=args.workers) as ex:
        exp = Experiment(boundary_run, configs, [0], executor=ex, description="construct vs trained",
                         journal=journal)
        runs_here = len(exp.pending())
        runs = exp.run()
    rows = sorted((r["result"] for r in runs),
                  key=lambda r: (parse_group(r["group"]).order, r["ratio"], r["arm"], r["seed"]))
    construct = [r for r in rows if r["arm"] == "construct"]
    trained = [r for r in rows if r["arm"] == "trained"]
    summary = summarise(construct, trained)
    plot(summary["by_ratio"], summary["boundaries"], ROOT / "docs" / "img" / f"{args.name}.png",
         f"built from the energy (K {args.hidden}) vs trained (cpu_scaling preset, K {args.hidden}), "
         f"{args.seeds} seeds")
    save_result(args.name, rows, directory=ROOT / "benchmarks" / "results",
                params={**vars(args), "trainer": train, "construction": build, "load_at_start": load0,
                        "grok_test_acc": GROK_ACC, "runs_made_here": runs_here,
                        "runs_from_journal": len(runs) - runs_here, "load_at_end": os.getloadavg()},
                summary=summary, columns=COLUMNS)
    for b in summary["boundaries"]:
        print(b)


if __name__ == "__main__":
    main()
