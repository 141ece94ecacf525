"""The depth study of the paper (Sec. 4): what makes deep GNNs fail — large propagation depth Dp
(over-smoothing) or large transformation depth Dt (model degradation)?

Three experiments on one graph, every point a mean over seeds:
  vary_dp — accuracy vs Dp with Dt fixed: SGC (Dt = 1) and DGMLP (Dt = `fixed_dt`), beside GSL(Dp);
  vary_dt — accuracy vs Dt with Dp fixed (`fixed_dp`), the MLP with and without residual connections;
  gcn     — a GCN whose every layer propagates twice (Dp = 2·Dt), vs its number of layers.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from learnless.classify.baselines import GCN, SGC
from learnless.classify.dgmlp import DGMLP
from learnless.classify.smoothness import gsl
from learnless.runtime.journal import Journal
from learnless.runtime.progress import progress

FIELDS = ("experiment", "model", "prop_depth", "trans_depth", "residual", "seed", "train_acc", "val_acc", "test_acc",
          "gsl")


@dataclass
class DepthStudyConfig:
    prop_depths: tuple = (1, 2, 4, 8, 10, 16, 32, 64)
    trans_depths: tuple = (2, 4, 8, 16, 32)
    gcn_layers: tuple = (1, 2, 4, 8)
    fixed_dt: int = 2
    fixed_dp: int = 3
    hidden: int = 64
    seeds: int = 3
    epochs: int = 200


def _jobs(cfg: DepthStudyConfig):
    for dp in cfg.prop_depths:
        yield "vary_dp", "SGC", dp, 1, False, lambda s, dp=dp: SGC(prop_depth=dp, seed=s, epochs=cfg.epochs)
        yield "vary_dp", "DGMLP", dp, cfg.fixed_dt, True, lambda s, dp=dp: DGMLP(
            prop_depth=dp, trans_depth=cfg.fixed_dt, hidden=cfg.hidden, seed=s, epochs=cfg.epochs)
    for dt in cfg.trans_depths:
        for res in (True, False):
            yield "vary_dt", "DGMLP" if res else "DGMLP w/o residual", cfg.fixed_dp, dt, res, \
                lambda s, dt=dt, res=res: DGMLP(prop_depth=cfg.fixed_dp, trans_depth=dt, residual=res,
                                                hidden=cfg.hidden, seed=s, epochs=cfg.epochs)
    for layers in cfg.gcn_layers:
        yield "gcn", "GCN (Dp = 2·Dt)", 2 * layers, layers, False, lambda s, L=layers: GCN(
            layers=L, hidden=cfg.hidden, hops_per_layer=2, seed=s, epochs=cfg.epochs)


def run_depth_study(graph, cfg: DepthStudyConfig | None = None, journal_path: str | Path | None = None) -> list[dict]:
    """Every (experiment, model, depth, seed) as one row; GSL(Dp) filled in for the vary_dp rows.

    With `journal_path`, each finished row is appended to that journal at once, and rows already in it (same
    graph, model, depths, seed, hidden size and epochs) are not trained again: a killed study resumes."""
    cfg = cfg or DepthStudyConfig()
    smooth = gsl(graph.adj, graph.x, max(cfg.prop_depths))
    jobs = [(j, s) for j in _jobs(cfg) for s in range(cfg.seeds)]
    journal = Journal(journal_path) if journal_path is not None else None
    rows = []
    for (experiment, model, dp, dt, res, make), seed in progress(jobs, "depth study"):
        key = json.dumps([graph.name, experiment, model, dp, dt, res, seed, cfg.hidden, cfg.epochs])
        if journal is not None and key in journal:
            rows.append(journal[key])
            continue
        r = make(seed).fit(graph).result_
        row = {"experiment": experiment, "model": model, "prop_depth": dp, "trans_depth": dt,
               "residual": res, "seed": seed, "train_acc": r.train_acc, "val_acc": r.val_acc, "test_acc": r.test_acc,
               "gsl": float(smooth[dp]) if experiment == "vary_dp" else ""}
        if journal is not None:
            journal.append(key, row)
        rows.append(row)
    return rows


def write_csv(rows: list[dict], path: str | Path) -> Path:
    path = Path(path)
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    return path


def summarize(rows: list[dict]) -> list[dict]:
    """Mean and std of test accuracy per (experiment, model, depth)."""
    groups: dict = {}
    for r in rows:
        groups.setdefault((r["experiment"], r["model"], r["prop_depth"], r["trans_depth"]), []).append(r)
    out = []
    for (exp, model, dp, dt), rs in groups.items():
        acc = np.array([r["test_acc"] for r in rs])
        train = [r["train_acc"] for r in rs if r.get("train_acc", "") != ""]  # model degradation: train acc falls too
        out.append({"experiment": exp, "model": model, "prop_depth": dp, "trans_depth": dt,
                    "test_acc_mean": float(acc.mean()), "test_acc_std": float(acc.std()),
                    "train_acc_mean": float(np.mean(train)) if train else float("nan"),
                    "gsl": rs[0]["gsl"], "seeds": len(rs)})
    return out


def plot_depth_study(rows: list[dict], path: str | Path, title: str = "") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = summarize(rows)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    panels = [("vary_dp", "prop_depth", "propagation depth Dp", axes[0]),
              ("vary_dt", "trans_depth", "transformation depth Dt", axes[1]),
              ("gcn", "trans_depth", "GCN layers (Dp = 2·Dt)", axes[2])]
    for exp, key, xlabel, ax in panels:
        models = dict.fromkeys(s["model"] for s in summary if s["experiment"] == exp)
        for model in models:
            pts = sorted((s[key], s["test_acc_mean"] * 100, s["test_acc_std"] * 100) for s in summary
                         if s["experiment"] == exp and s["model"] == model)
            if not pts:
                continue
            x, m, e = map(np.array, zip(*pts))
            ax.errorbar(x, m, yerr=e, marker="o", ms=3, capsize=2, label=model)
        if exp == "vary_dp":
            pts = sorted({(s["prop_depth"], s["gsl"]) for s in summary if s["experiment"] == exp})
            if pts:
                ax2 = ax.twinx()
                ax2.plot(*zip(*pts), "k--", lw=1, label="GSL")
                ax2.set_ylabel("GSL (dashed)")
        ax.set_xscale("log", base=2)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("test accuracy (%)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower left")
    fixed = next((r for r in rows if r["experiment"] == "vary_dt"), None)
    if fixed:
        axes[1].set_title(f"Dp = {fixed['prop_depth']}", fontsize=9)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return Path(path)


def plot_gsl(values: np.ndarray, path: str | Path, title: str = "") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(np.arange(len(values)), values, marker="o", ms=2)
    ax.set_xlabel("propagation depth Dp")
    ax.set_ylabel("GSL")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return Path(path)
