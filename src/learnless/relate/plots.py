"""Figures of the relate experiments (through learnless.report; pyplot only inside functions)."""

from __future__ import annotations

import numpy as np


def stitching_matrix(pairs: list[dict], path, title: str):
    """Heatmaps (absolute | relative) of stitched accuracy: rows encoders, columns heads."""
    from learnless.report import new_figure, save_figure

    fig, first = new_figure(11, 4.8)
    first.remove()
    spaces = ("absolute", "relative")
    for i, space in enumerate(spaces):
        ax = fig.add_subplot(1, 2, i + 1)
        rows = [p for p in pairs if p["space"] == space]
        names = sorted({p["encoder"] for p in rows} | {p["head"] for p in rows})
        m = np.full((len(names), len(names)), np.nan)
        for p in rows:
            m[names.index(p["encoder"]), names.index(p["head"])] = 100 * p["accuracy"]
        im = ax.imshow(m, vmin=0, vmax=100, cmap="viridis")
        ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
        ax.set_yticks(range(len(names)), names, fontsize=7)
        ax.set_title(f"{space}: mean {np.nanmean(m):.1f} %", fontsize=9)
        ax.set_xlabel("head (trained on its own space)")
        ax.set_ylabel("encoder")
    fig.colorbar(im, ax=fig.axes, shrink=0.8, label="test accuracy %")
    fig.suptitle(title, fontsize=10)
    return save_figure(fig, path)


def metric_curve(rows: list[dict], x: str, ys: list[str], path, title: str):
    """Line plot of mean ± std of `ys` against `x` over rows (e.g. metric vs number of anchors)."""
    from learnless.report import new_figure, save_figure

    fig, ax = new_figure()
    xs = sorted({r[x] for r in rows})
    for y in ys:
        mean = [np.mean([r[y] for r in rows if r[x] == v]) for v in xs]
        std = [np.std([r[y] for r in rows if r[x] == v]) for v in xs]
        ax.errorbar(xs, mean, yerr=std, marker="o", capsize=3, label=y)
    ax.set_xlabel(x)
    ax.set_xscale("log")
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return save_figure(fig, path)


def sentence_bars(summary: list[dict], path, title: str, chance: float | None = None):
    """Grouped bars: non-stitched vs stitched accuracy per (kind, head) row of the sentence summary."""
    from learnless.report import new_figure, save_figure

    fig, ax = new_figure(8, 4.2)
    labels = [f"{r['kind'].split(' ')[0]}\nhead: {r['head trained on']}\nencoder: {r['encoder at test']}"
              for r in summary]
    own = [float(r["non-stitched %"].split(" ")[0]) for r in summary]
    st = [float(r["stitched %"].split(" ")[0]) for r in summary]
    x = np.arange(len(summary))
    ax.bar(x - 0.2, own, 0.4, label="non-stitched (head on its own space)")
    ax.bar(x + 0.2, st, 0.4, label="stitched (head on the other space)")
    if chance is not None:
        ax.axhline(100 * chance, color="k", ls="--", lw=1, label="majority class")
    ax.set_xticks(x, labels, fontsize=7)
    ax.set_ylabel("test accuracy %")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return save_figure(fig, path)
