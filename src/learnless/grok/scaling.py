"""The sample-size scaling law: for each group Z_M and seed, the smallest training-set size n* that
generalises (test accuracy >= 0.95 within a fixed epoch budget), then a fit n* = c M ln M.

n is searched on a grid n = r M ln M (r in `ratios`) by bisection, assuming that generalisation is monotone in
n (one seed's training sets are nested, see groups.split_pairs); the report says where that assumption was
checked. Every (group, seed) search is one task for the executor (local process pool or Ray).
"""

from __future__ import annotations

import math
import os
import time

import numpy as np

from learnless.errors import ConfigError
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.runtime import Experiment, get_executor
from learnless.runtime.identity import generated

DEFAULT_RATIOS = tuple(np.round(np.arange(1.0, 5.01, 0.5), 2))


def _m_ln_m(order: int) -> float:
    return order * math.log(order)


def _generalises(spec: str, seed: int, n: int, train_kw: dict) -> tuple[bool, float, int | None]:
    group = parse_group(spec)
    split = split_pairs(group, seed=seed, n_train=n)
    kw = {"stop_after_grok": 0, "diag_every": 10**9, **train_kw, "seed": seed}
    t = GrokTrainer(**kw).fit(group, split)
    return t.grok_epoch_ is not None, t.seconds_, t.grok_epoch_


def search_n_star(config: dict, seed: int) -> dict:
    """Bisection over the ratio grid for one (group, seed): an Experiment unit (module level: pickled)."""
    spec, shared = config["group"], config
    group = parse_group(spec)
    mlm = _m_ln_m(group.order)
    total = group.order**2
    ns = sorted({min(total - 1, max(1, round(r * mlm))) for r in shared["ratios"]})
    trials, t0 = {}, time.perf_counter()

    def ok(i):
        if i not in trials:
            g, sec, ep = _generalises(spec, seed, ns[i], shared["train"])
            trials[i] = {"n": ns[i], "generalised": g, "grok_epoch": ep, "seconds": round(sec, 2)}
        return trials[i]["generalised"]

    lo, hi = -1, len(ns) - 1  # ns[-1 virtual] is taken to fail; n* = ns[0] is then only an upper bound
    if not ok(hi):
        n_star = None
    else:
        while hi - lo > 1:  # invariant: ns[lo] fails (or lo = -1), ns[hi] generalises
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if ok(mid) else (mid, hi)
        n_star = ns[hi]
    failed = [t["n"] for t in trials.values() if not t["generalised"] and (n_star is None or t["n"] < n_star)]
    return {
        "group": group.name,
        "order": group.order,
        "seed": seed,
        "m_ln_m": mlm,
        "n_star": n_star,
        "n_fail": max(failed) if failed else None,
        "ratio": None if n_star is None else n_star / mlm,
        "total_pairs": total,
        "at_grid_floor": n_star == ns[0],
        "at_grid_ceiling": n_star is None,
        "trials": sorted(trials.values(), key=lambda r: r["n"]),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def fit_c(points: list[dict], n_boot: int = 2000, seed: int = 0) -> dict:
    """Least squares through the origin, n* = c M ln M, with a 95 % bootstrap interval over the points."""
    pts = [(p["m_ln_m"], p["n_star"]) for p in points if p["n_star"] is not None]
    if len(pts) < 2:
        return {"c": None, "c_low": None, "c_high": None, "n_points": len(pts)}
    x, y = np.array(pts, dtype=float).T
    c = float((x @ y) / (x @ x))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    boots = (x[idx] * y[idx]).sum(1) / (x[idx] ** 2).sum(1)
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return {"c": c, "c_low": float(lo), "c_high": float(hi), "n_points": len(pts)}


def scaling_sweep(
    groups: list[str],
    seeds: int = 3,
    ratios=DEFAULT_RATIOS,
    trainer: dict | None = None,
    backend: str = "local",
    workers: int | None = None,
    address: str | None = None,
    journal_path: str | os.PathLike | None = None,
    first_seed: int = 0,
) -> dict:
    """Find n* for every (group, seed) and fit n* = c M ln M. `trainer`: GrokTrainer parameters (the class's
    defaults for the rest; `seed`, `stop_after_grok` and `diag_every` are set by the search).

    With `journal_path`, every finished (group, seed) search is journaled as it completes (an Experiment), and
    searches already there with the same settings are not run again: a killed sweep resumes where it
    stopped."""
    if not groups:
        raise ConfigError("groups: give at least one group, e.g. Z23,Z31,Z47")
    parsed = [parse_group(g) for g in groups]
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ConfigError(f"seeds: must be an integer >= 1, got {seeds!r}")
    ratios = tuple(float(r) for r in ratios)
    if not ratios or min(ratios) <= 0:
        raise ConfigError(f"ratios: must be positive numbers, got {ratios!r}")
    train = {k: v for k, v in (trainer or {}).items() if k not in ("seed", "stop_after_grok", "diag_every")}
    train = {
        k: v
        for k, v in GrokTrainer(**train).validate().get_params().items()
        if k not in ("seed", "stop_after_grok", "diag_every")
    }
    order = sorted(parsed, key=lambda g: -g.order)  # longest first keeps the workers busy
    configs = [{"group": g.name, "ratios": list(ratios), "train": train} for g in order]
    t0 = time.perf_counter()
    with get_executor(backend, workers=workers, address=address) as ex:
        exp = Experiment(
            search_n_star,
            configs,
            range(first_seed, first_seed + seeds),  # seeds SEED .. SEED+SEEDS-1, as the CLI's --seed/--seeds
            # generated data: each unit's pairs come from split_pairs(group, seed, n), all in its key
            data=generated("learnless.grok.groups.split_pairs"),
            journal=journal_path,
            executor=ex,
            description="scaling sweep",
        )
        resumed = len(exp.units()) - len(exp.pending())
        records = exp.run()
    points = [r["result"] for r in records]
    points.sort(key=lambda p: (p["order"], p["seed"]))
    fit = fit_c(points)
    # the grid brackets each n* between the largest failing size and n*: the same fit on the failing sizes is
    # a lower bound for c, so c lies in [c_grid_low, c] whatever the bootstrap says
    lower = [
        {"m_ln_m": p["m_ln_m"], "n_star": p["n_fail"]}
        for p in points
        if p["n_star"] is not None and p["n_fail"] is not None
    ]
    fit["c_grid_low"] = fit_c(lower)["c"] if len(lower) == fit["n_points"] else None
    return {
        "points": points,
        **fit,
        "resumed": resumed,
        "groups": [g.name for g in parsed],
        "seeds": seeds,
        "ratios": list(ratios),
        "train": train,
        "seconds": round(time.perf_counter() - t0, 1),
        "runs": int(sum(len(p["trials"]) for p in points)),
    }
