"""Plots for the grokking lab, on learnless.report (object-oriented matplotlib, no backend chosen here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from learnless.report import new_figure, save_figure

# ASCII labels: the default font renders them everywhere
STAGE_STYLE = {
    "memorize_epoch": ("stage I->II: memorised", "tab:purple"),
    "feature_epoch": ("stage II->III: features", "tab:brown"),
    "grok_epoch": ("grokked (test >= 0.95)", "black"),
}


def _figure(width, height, rows=1):
    fig, ax = new_figure(width, height)
    if rows == 1:
        return fig, [ax]
    fig.delaxes(ax)
    axes = fig.subplots(rows, 1, sharex=True)
    return fig, list(axes)


def grokking_curve(
    history: dict, stages: dict, path, title: str = "", diagnostics: dict | None = None
) -> Path:
    """Train/test accuracy vs epoch (log x) with the detected stage boundaries; feature concentration and
    G_F label alignment on a second panel when diagnostics are given."""
    rows = 2 if diagnostics else 1
    fig, axes = _figure(6.4, 2.8 * rows, rows)
    ax = axes[0]
    ep = np.maximum(np.asarray(history["epoch"]), 1)
    ax.plot(ep, history["train_acc"], label="train acc")
    ax.plot(ep, history["test_acc"], label="test acc")
    ax.set_xscale("log")
    ax.set_ylabel("accuracy")
    ax.set_ylim(-0.02, 1.02)
    for key, (name, colour) in STAGE_STYLE.items():
        if stages.get(key) is not None:
            x = max(stages[key], 1)
            for a in axes:
                a.axvline(
                    x, color=colour, ls="--", lw=1, label=f"{name}: epoch {stages[key]}" if a is ax else None
                )
    ax.legend(loc="center left", fontsize=7)
    ax.set_title(title, fontsize=9)
    if diagnostics:
        d = axes[1]
        de = np.maximum(np.asarray(diagnostics["epoch"]), 1)
        d.plot(de, diagnostics["concentrated_frac"], label="active nodes >= 90% on one component")
        d.plot(de, diagnostics["concentrated_energy"], label="share of ||W||^2 in such nodes")
        d.plot(de, diagnostics["gf_label_align"], label="cos(G_F, Y~ Y~^T F)")
        d.plot(de, np.minimum(diagnostics["w_change"], 1), label="||W - W0|| / ||W0|| (clipped at 1)")
        d.set_xscale("log")
        d.set_ylim(-0.02, 1.02)
        d.legend(loc="upper left", fontsize=6)
    axes[-1].set_xlabel("epoch (log scale)")
    return save_figure(fig, path)


def spectrum_heatmap(
    spectrum: np.ndarray, labels: list[str], path, title: str = "", max_nodes: int = 256
) -> Path:
    """Nodes (sorted by dominant component) x components: share of each node's weight energy."""
    s = np.asarray(spectrum)[:max_nodes]
    order = np.lexsort((-s.max(1), s.argmax(1)))
    fig, ax = new_figure(6.4, 3.4)
    im = ax.imshow(s[order].T, aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    step = max(1, len(labels) // 12)
    ax.set_yticks(range(0, len(labels), step))
    ax.set_yticklabels(labels[::step], fontsize=6)
    ax.set_xlabel(f"hidden node ({len(s)} shown, sorted by dominant component)")
    ax.set_ylabel("component")
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, label="energy share")
    return save_figure(fig, path)


def component_energy_bar(
    labels: list[str], values: np.ndarray, path, title: str = "", closed_form: np.ndarray | None = None
) -> Path:
    fig, ax = new_figure(6.4, 2.6)
    ax.bar(range(len(values)), values, label="max E found in the component")
    if closed_form is not None:
        ax.scatter(range(len(values)), closed_form, color="k", marker="_", s=200, label="Thm 2 closed form")
        ax.legend(fontsize=7)
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], fontsize=6, rotation=45)
    ax.set_ylabel("max E in component")
    ax.set_title(title, fontsize=9)
    return save_figure(fig, path)


def scaling_plot(points: list[dict], c: float, c_lo: float, c_hi: float, path, title: str = "") -> Path:
    """n* vs M ln M with the fitted line n* = c M ln M and its interval."""
    fig, ax = new_figure(5.2, 3.6)
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
    return save_figure(fig, path)


def landscape_plot(result: dict, path, title: str = "") -> Path:
    """Per training fraction: the share of Thm-2 maxima persisting, random starts on one component and
    memorising (left axis); median energies of persisting and memorisation maxima (right axis)."""
    rows = sorted(result["fractions"], key=lambda r: r["ratio"])
    x = [r["ratio"] for r in rows]
    fig, ax = new_figure(6.0, 3.6)
    ax.plot(x, [r["persist_frac"] for r in rows], "o-", label="Thm-2 maxima persisting")
    ax.plot(x, [r["random_on_component_frac"] for r in rows], "s--", label="random starts -> one component")
    ax.plot(x, [r["random_memorising_frac"] for r in rows], "^--", label="random starts -> memorisation")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("n / (M ln M)")
    ax.set_ylabel("share")
    e = ax.twinx()
    e.plot(
        x,
        [r["maxima_energy"] if r["maxima_energy"] is not None else np.nan for r in rows],
        "k.-",
        lw=0.8,
        label="E of persisting maxima",
    )
    e.plot(x, [r["memorisation_energy"] for r in rows], "k:", lw=0.8, label="E of memorisation maxima")
    e.set_ylabel("energy (median)")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = e.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=6, loc="center right")
    ax.set_title(title or result["group"], fontsize=9)
    return save_figure(fig, path)
