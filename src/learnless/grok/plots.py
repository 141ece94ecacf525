"""Plots for the grokking lab (matplotlib, Agg): grokking curves, spectrum heatmaps, the scaling law."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

STAGE_STYLE = {"memorize_epoch": ("I|II memorised", "tab:orange"), "feature_epoch": ("II|III features", "tab:green"),
               "grok_epoch": ("grokked", "tab:red")}


def grokking_curve(history: dict, stages: dict, path, title: str = "", diagnostics: dict | None = None) -> Path:
    """Train/test accuracy vs epoch (log x) with the detected stage boundaries; feature concentration and
    G_F label alignment on a second panel when diagnostics are given."""
    rows = 2 if diagnostics else 1
    fig, axes = plt.subplots(rows, 1, figsize=(6, 2.6 * rows), sharex=True, squeeze=False)
    ax = axes[0, 0]
    ep = np.maximum(np.asarray(history["epoch"]), 1)
    ax.plot(ep, history["train_acc"], label="train acc")
    ax.plot(ep, history["test_acc"], label="test acc")
    ax.set_xscale("log")
    ax.set_ylabel("accuracy")
    ax.set_ylim(-0.02, 1.02)
    for key, (name, colour) in STAGE_STYLE.items():
        if stages.get(key) is not None:
            for a in axes[:, 0]:
                a.axvline(max(stages[key], 1), color=colour, ls="--", lw=1)
            ax.text(max(stages[key], 1), 0.5, name, rotation=90, color=colour, fontsize=7, va="center")
    ax.legend(loc="upper left", fontsize=7)
    ax.set_title(title, fontsize=9)
    if diagnostics:
        d = axes[1, 0]
        de = np.maximum(np.asarray(diagnostics["epoch"]), 1)
        d.plot(de, diagnostics["concentrated_frac"], label="active nodes >=90% on one component")
        d.plot(de, diagnostics["concentrated_energy"], label="share of ||W||^2 in such nodes")
        d.plot(de, diagnostics["gf_label_align"], label="cos(G_F, Y~ Y~^T F)")
        d.plot(de, np.minimum(diagnostics["w_change"], 1), label="||W-W0||/||W0|| (clipped 1)")
        d.set_xscale("log")
        d.set_ylim(-0.02, 1.02)
        d.legend(loc="upper left", fontsize=6)
    axes[-1, 0].set_xlabel("epoch (log)")
    return _save(fig, path)


def spectrum_heatmap(spectrum: np.ndarray, labels: list[str], path, title: str = "", max_nodes: int = 256) -> Path:
    """Nodes (sorted by dominant component) x components: share of each node's weight energy."""
    s = np.asarray(spectrum)[:max_nodes]
    order = np.lexsort((-s.max(1), s.argmax(1)))
    fig, ax = plt.subplots(figsize=(6, 3.2))
    im = ax.imshow(s[order].T, aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    step = max(1, len(labels) // 12)
    ax.set_yticks(range(0, len(labels), step))
    ax.set_yticklabels(labels[::step], fontsize=6)
    ax.set_xlabel(f"hidden node ({len(s)} shown, sorted by dominant component)")
    ax.set_ylabel("component")
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, label="energy share")
    return _save(fig, path)


def component_energy_bar(labels: list[str], values: np.ndarray, path, title: str = "") -> Path:
    fig, ax = plt.subplots(figsize=(6, 2.4))
    ax.bar(range(len(values)), values)
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], fontsize=6, rotation=45)
    ax.set_ylabel("max E in component")
    ax.set_title(title, fontsize=9)
    return _save(fig, path)


def scaling_plot(points: list[dict], c: float, c_lo: float, c_hi: float, path, title: str = "") -> Path:
    """n* vs M ln M with the fitted line n* = c M ln M and its interval."""
    fig, ax = plt.subplots(figsize=(5, 3.4))
    x = np.array([p["m_ln_m"] for p in points])
    y = np.array([p["n_star"] if p["n_star"] is not None else np.nan for p in points], dtype=float)
    ax.scatter(x, y, s=14, alpha=0.7, label="n* (one seed)")
    xs = np.linspace(0, x.max() * 1.05, 50)
    ax.plot(xs, c * xs, "k-", lw=1, label=f"c = {c:.2f} [{c_lo:.2f}, {c_hi:.2f}]")
    ax.fill_between(xs, c_lo * xs, c_hi * xs, color="k", alpha=0.1)
    ax.set_xlabel("M ln M")
    ax.set_ylabel("smallest generalising n")
    ax.legend(fontsize=7)
    ax.set_title(title, fontsize=9)
    return _save(fig, path)


def _save(fig, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
