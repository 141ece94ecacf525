"""The plots a search writes: the validated points and front (infeasible points greyed under a constraint),
hypervolume against evaluations, and several runs' fronts on one figure (`search show RUN1 RUN2`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def front_plot(search, path: Path) -> None:
    """Every validated sub-network of `search` on its first two objectives: feasible ones in colour,
    infeasible ones (violating a --constraint) grey, the validated front as a line."""
    from learnless.report import new_figure, save_figure

    objs = search.objectives
    if len(objs) < 2:
        return
    ok = [r for r in search.history.records if r["status"] == "ok"]
    if not ok:
        return
    a, b = objs[0].name, objs[1].name
    _, _, G = search.history.arrays(ok_only=True)
    feasible = np.all(G <= 0, axis=1) if G.shape[1] else np.ones(len(ok), bool)
    x = np.array([r["metrics"][b] for r in ok])
    y = np.array([r["metrics"][a] for r in ok])
    fig, ax = new_figure()
    if (~feasible).any():
        ax.scatter(x[~feasible], y[~feasible], s=8, color="0.7", marker="x",
                   label=f"infeasible ({', '.join(str(c) for c in search.constraints)})")
    ax.scatter(x[feasible], y[feasible], s=8, alpha=0.5, color="C0", label="validated, feasible")
    front = search.front()
    if front:
        ax.plot([r[b] for r in front], [r[a] for r in front], "o-", color="C3", ms=4, label="Pareto front")
    ax.set_xlabel(b)
    ax.set_ylabel(a)
    ax.legend()
    save_figure(fig, path)


def hypervolume_plot(search, path: Path) -> None:
    from learnless.report import new_figure, save_figure

    step = max(1, search.population)
    xs = list(range(step, search.evaluations + 1, step)) or [search.evaluations]
    ref = search.reference_point()
    fig, ax = new_figure()
    ax.plot(xs, [search.hypervolume(upto=k, reference=ref) for k in xs], "o-")
    ax.set_xlabel("validated evaluations")
    ax.set_ylabel("hypervolume")
    ax.set_title(f"reference point {np.round(ref, 4).tolist()}")
    save_figure(fig, path)


def fronts_plot(runs: list[tuple[str, list[dict], list[str]]], path: Path) -> None:
    """Several runs' fronts on one figure: (label, front rows, objectives as NAME:SENSE) per run, the same
    first two objectives in every run."""
    from learnless.report import new_figure, save_figure

    names = [o.split(":")[0] for o in runs[0][2]]
    a, b = names[0], names[1]
    fig, ax = new_figure()
    for i, (label, front, _) in enumerate(runs):
        rows = sorted(front, key=lambda r: r[b])
        ax.plot([r[b] for r in rows], [r[a] for r in rows], "o-", ms=4, color=f"C{i % 10}",
                label=f"{label} ({len(rows)})")
    ax.set_xlabel(b)
    ax.set_ylabel(a)
    ax.legend(fontsize="small")
    save_figure(fig, path)
