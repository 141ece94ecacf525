"""The depth study of the paper (Sec. 4): what makes deep GNNs fail — large propagation depth Dp
(over-smoothing) or large transformation depth Dt (model degradation)?

Three experiments on one graph, every point a mean over seeds:
  vary_dp — accuracy vs Dp with Dt fixed: SGC (Dt = 1) and DGMLP (Dt = `fixed_dt`), beside GSL(Dp);
  vary_dt — accuracy vs Dt with Dp fixed (`fixed_dp`), the MLP with and without residual connections;
  gcn     — a GCN whose every layer propagates twice (Dp = 2·Dt), vs its number of layers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from learnless.classify.baselines import GCN, SGC
from learnless.classify.dgmlp import DGMLP
from learnless.classify.smoothness import gsl
from learnless.report import new_figure, save_figure
from learnless.runtime.experiment import Experiment

FIELDS = (
    "experiment",
    "model",
    "prop_depth",
    "trans_depth",
    "residual",
    "seed",
    "train_acc",
    "val_acc",
    "test_acc",
    "gsl",
)


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
    first_seed: int = 0  # seeds first_seed .. first_seed + seeds - 1


def _points(cfg: DepthStudyConfig) -> list[dict]:
    """Every point of the study as a JSON-able config (its journal key, with the seed)."""
    out = []
    for dp in cfg.prop_depths:
        out.append(
            {"experiment": "vary_dp", "model": "SGC", "prop_depth": dp, "trans_depth": 1, "residual": False}
        )
        out.append(
            {
                "experiment": "vary_dp",
                "model": "DGMLP",
                "prop_depth": dp,
                "trans_depth": cfg.fixed_dt,
                "residual": True,
            }
        )
    for dt in cfg.trans_depths:
        for res in (True, False):
            out.append(
                {
                    "experiment": "vary_dt",
                    "model": "DGMLP" if res else "DGMLP w/o residual",
                    "prop_depth": cfg.fixed_dp,
                    "trans_depth": dt,
                    "residual": res,
                }
            )
    for layers in cfg.gcn_layers:
        out.append(
            {
                "experiment": "gcn",
                "model": "GCN (Dp = 2·Dt)",
                "prop_depth": 2 * layers,
                "trans_depth": layers,
                "residual": False,
            }
        )
    return [{**p, "hidden": cfg.hidden, "epochs": cfg.epochs} for p in out]


def _estimator(point: dict, seed: int):
    if point["model"] == "SGC":
        return SGC(prop_depth=point["prop_depth"], seed=seed, epochs=point["epochs"])
    if point["experiment"] == "gcn":
        return GCN(
            layers=point["trans_depth"],
            hidden=point["hidden"],
            hops_per_layer=2,
            seed=seed,
            epochs=point["epochs"],
        )
    return DGMLP(
        variant="paper",  # the paper's study: its weighting, not the robust default's choices
        prop_depth=point["prop_depth"],
        trans_depth=point["trans_depth"],
        residual=point["residual"],
        hidden=point["hidden"],
        seed=seed,
        epochs=point["epochs"],
    )


def fit_point(graph, point: dict, seed: int, device: str = "cpu") -> dict:
    """One trained point of the study (module level: worker processes receive it)."""
    r = _estimator(point, seed).fit(graph, device=device).result_
    return {"train_acc": r.train_acc, "val_acc": r.val_acc, "test_acc": r.test_acc}


def point_unit(point: dict, seed: int, graph, device: str = "cpu") -> dict:
    """`fit_point` as an Experiment unit: the graph arrives as the experiment's shared data."""
    return fit_point(graph, point, seed, device)


def run_depth_study(
    graph,
    cfg: DepthStudyConfig | None = None,
    journal_path: str | Path | None = None,
    executor=None,
    device: str = "cpu",
    split: dict | None = None,
) -> list[dict]:
    """Every (experiment, model, depth, seed) as one row; GSL(Dp) filled in for the vary_dp rows.

    An `Experiment` over (points x seeds): with `journal_path`, each finished point is journaled at once and
    points already in it (same graph content, split, model, depths, seed, hidden size and epochs: the runtime
    keys them) are not trained again, so a killed study resumes. `split`: the split spec the graph's masks
    were drawn from (part of the experiment's identity). `device` ("cpu" or "cuda") is where each point
    trains; it is not part of the identity (it does not change what is learned)."""
    cfg = cfg or DepthStudyConfig()
    smooth = gsl(graph.adj, graph.x, max(cfg.prop_depths))
    points = [{"graph": graph.name, **p} for p in _points(cfg)]
    records = Experiment(
        partial(point_unit, device=device),
        points,
        range(cfg.first_seed, cfg.first_seed + cfg.seeds),
        shared=graph,
        split=split,
        journal=journal_path,
        executor=executor,
        description="depth study",
    ).run()
    rows = []
    for rec in records:
        p, r = rec["config"], rec["result"]
        rows.append(
            {
                "experiment": p["experiment"],
                "model": p["model"],
                "prop_depth": p["prop_depth"],
                "trans_depth": p["trans_depth"],
                "residual": p["residual"],
                "seed": rec["seed"],
                **r,
                "gsl": float(smooth[p["prop_depth"]]) if p["experiment"] == "vary_dp" else "",
            }
        )
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
        train = [
            r["train_acc"] for r in rs if r.get("train_acc", "") != ""
        ]  # model degradation: train acc falls too
        out.append(
            {
                "experiment": exp,
                "model": model,
                "prop_depth": dp,
                "trans_depth": dt,
                "test_acc_mean": float(acc.mean()),
                "test_acc_std": float(acc.std()),
                "train_acc_mean": float(np.mean(train)) if train else float("nan"),
                "gsl": rs[0]["gsl"],
                "seeds": len(rs),
            }
        )
    return out


def read_csv(path: str | Path) -> list[dict]:
    """Rows written by `write_csv`, with their numbers parsed back (for re-plotting a finished study)."""

    def parse(key, value):
        if key in ("experiment", "model") or value == "":
            return value
        if key == "residual":
            return value == "True"
        return int(value) if key in ("prop_depth", "trans_depth", "seed") else float(value)

    with open(path, newline="") as fh:
        return [{k: parse(k, v) for k, v in row.items()} for row in csv.DictReader(fh)]


def plot_depth_study(rows: list[dict], path: str | Path, title: str = "") -> Path:
    """The three panels side by side; every legend sits below its panel, where it can hide no point."""
    summary = summarize(rows)
    fig, ax0 = new_figure(13, 4.6)
    fig.delaxes(ax0)
    axes = fig.subplots(1, 3)
    panels = [
        ("vary_dp", "prop_depth", "propagation depth Dp", axes[0]),
        ("vary_dt", "trans_depth", "transformation depth Dt", axes[1]),
        ("gcn", "trans_depth", "GCN layers (Dp = 2·Dt)", axes[2]),
    ]
    for exp, key, xlabel, ax in panels:
        models = dict.fromkeys(s["model"] for s in summary if s["experiment"] == exp)
        handles = []
        for model in models:
            pts = sorted(
                (s[key], s["test_acc_mean"] * 100, s["test_acc_std"] * 100)
                for s in summary
                if s["experiment"] == exp and s["model"] == model
            )
            x, m, e = map(np.array, zip(*pts))
            handles.append(ax.errorbar(x, m, yerr=e, marker="o", ms=3, capsize=2, label=model))
        if exp == "vary_dp":
            pts = sorted({(s["prop_depth"], s["gsl"]) for s in summary if s["experiment"] == exp})
            if pts:
                ax2 = ax.twinx()
                handles += ax2.plot(*zip(*pts), "k--", lw=1, label="GSL")
                ax2.set_ylabel("GSL (dashed)")
        ax.set_xscale("log", base=2)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("test accuracy (%)")
        ax.grid(alpha=0.3)
        if handles:
            ax.legend(
                handles=handles,
                fontsize=7,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.2),
                ncol=2,
                frameon=False,
            )
    fixed = next((r for r in rows if r["experiment"] == "vary_dt"), None)
    if fixed:
        axes[1].set_title(f"Dp = {fixed['prop_depth']}", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    return save_figure(fig, path)


def plot_gsl(values: np.ndarray, path: str | Path, title: str = "") -> Path:
    fig, ax = new_figure(5, 3.2)
    ax.plot(np.arange(len(values)), values, marker="o", ms=2)
    ax.set_xlabel("propagation depth Dp")
    ax.set_ylabel("GSL")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    return save_figure(fig, path)
