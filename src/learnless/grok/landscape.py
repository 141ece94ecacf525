"""The energy landscape with less data (Thm 4 / Thm 5): which of Thm 2's maxima survive on a random subset of
the pairs, what the memorisation maxima look like, and where random starts end.

Per training fraction and seed (one `Experiment` unit each):
  * every non-trivial component's full-table maximum w* (found by ascent inside the component on the full
    table, its energy checked against the closed form) is the start of a free ascent of the empirical energy
    E^ to convergence; it *persists* when the critical point reached keeps >= `persist_share` of its weight
    energy on that component. Reported: the share that persist, their distance ||w^ - w*||, their energies;
  * focused memorisation (Thm 5, sigma = x^2): w = (e_a, e_b)/sqrt(2) for training pairs (a, b), climbed to
    convergence; their energies, and how much weight the critical point keeps on its two coordinates;
  * random starts: the share that end on one component (>= 0.9 of the weight) and the share that end
    memorising (>= 0.5 of the weight on one a- and one b-coordinate).
"""

from __future__ import annotations

import numpy as np
import torch

from learnless.grok.energy import (
    ascend,
    closed_form_energy,
    component_projector,
    energy_of,
    training_tensors,
)
from learnless.grok.groups import Split, parse_group, split_pairs

DEFAULTS = {
    "act": "sqr",
    "centring": "sample",
    "input_norm": "unit",
    "lr": 0.02,
    "max_steps": 4000,
    "tol": 1e-5,
    "persist_share": 0.9,
    "memo_starts": 8,
    "random_starts": 16,
}


def full_table_maxima(group, act="sqr", input_norm="unit", lr=0.02, max_steps=4000, tol=1e-5, seed=0):
    """{component index: w*} for every non-trivial component: the maximum of E inside it on the full table."""
    full = Split(train=np.arange(group.order**2), test=np.arange(0))
    a, b, yt = training_tensors(group, full, "sample")
    n = group.order
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for i in range(len(group.components)):
        if closed_form_energy(group, i) == 0.0:
            continue
        proj = component_projector(group, i)
        w, _, _ = ascend(
            torch.randn(2, 2 * n, generator=gen) @ proj,
            a,
            b,
            yt,
            n,
            act,
            input_norm,
            lr,
            max_steps,
            tol,
            proj=proj,
        )
        e = energy_of(w, a, b, yt, n, act, input_norm)
        out[i] = w[int(e.argmax())]
    return out


def _memo_share(w: torch.Tensor, n: int) -> torch.Tensor:
    """Weight share on the largest a-coordinate plus the largest b-coordinate."""
    w2 = w.pow(2)
    return (w2[:, :n].max(1).values + w2[:, n:].max(1).values) / w2.sum(1)


def landscape_unit(config: dict, seed: int) -> dict:
    """One (fraction, seed) of the landscape (module level: the executor pickles it)."""
    cfg = {**DEFAULTS, **config}
    torch.set_num_threads(1)
    group = parse_group(cfg["group"])
    n, total = group.order, group.order**2
    frac = float(cfg["train_frac"])
    split = (
        Split(train=np.arange(total), test=np.arange(0))
        if frac >= 1.0
        else split_pairs(group, frac, seed=seed)
    )
    a, b, yt = training_tensors(group, split, cfg["centring"])
    kw = {
        "act": cfg["act"],
        "input_norm": cfg["input_norm"],
        "lr": cfg["lr"],
        "max_steps": cfg["max_steps"],
        "tol": cfg["tol"],
    }
    stars = full_table_maxima(group, cfg["act"], cfg["input_norm"])
    idx = sorted(stars)
    w_star = torch.stack([stars[i] for i in idx])
    w_hat, steps, conv = ascend(w_star, a, b, yt, n, **kw)
    shares = torch.stack([(w_hat[j] @ component_projector(group, i)).pow(2).sum() for j, i in enumerate(idx)])
    persist = shares >= cfg["persist_share"]
    # the maxima of a complex pair form a circle (Cor. 1), so the ascent may slide along it: report both the
    # distance from the w* it started at and the distance to the component (sqrt of the weight share off it)
    dist = torch.minimum((w_hat - w_star).norm(dim=1), (w_hat + w_star).norm(dim=1))
    off = (1 - shares).clamp_min(0).sqrt()
    e_hat = energy_of(w_hat, a, b, yt, n, cfg["act"], cfg["input_norm"])
    closed = [closed_form_energy(group, i, cfg["input_norm"]) for i in idx]

    gen = torch.Generator().manual_seed(seed)
    tr = torch.as_tensor(split.train)
    a_all, b_all, _ = (torch.as_tensor(x) for x in group.pairs())
    pick = tr[torch.randperm(len(tr), generator=gen)[: cfg["memo_starts"]]]
    w_memo = torch.zeros(len(pick), 2 * n)
    w_memo[torch.arange(len(pick)), a_all[pick]] = 1.0
    w_memo[torch.arange(len(pick)), n + b_all[pick]] = 1.0
    w_memo, _, _ = ascend(w_memo, a, b, yt, n, **kw)
    e_memo = energy_of(w_memo, a, b, yt, n, cfg["act"], cfg["input_norm"])

    w_rand, _, _ = ascend(torch.randn(cfg["random_starts"], 2 * n, generator=gen), a, b, yt, n, **kw)
    bases = [torch.as_tensor(c.basis, dtype=torch.float32) for c in group.components]
    comp_share = (
        torch.stack(
            [(w_rand[:, :n] @ q).pow(2).sum(1) + (w_rand[:, n:] @ q).pow(2).sum(1) for q in bases], dim=1
        )
        .max(1)
        .values
    )
    e_rand = energy_of(w_rand, a, b, yt, n, cfg["act"], cfg["input_norm"])
    med = lambda x: float(x.median()) if len(x) else None
    return {
        "n_train": len(split.train),
        "ratio": len(split.train) / (n * np.log(n)),
        "persist_frac": float(persist.float().mean()),
        "persist_share_median": float(shares.median()),
        "distance_median": med(dist[persist]),
        "distance_to_component_median": med(off[persist]),
        "maxima_energy": med(e_hat[persist]),
        # the same median (torch's: the lower middle value) over the same persisting components
        "closed_form_energy": med(torch.tensor(closed)[persist])
        if persist.any()
        else med(torch.tensor(closed)),
        "closed_form_energy_scaled": med(torch.tensor(closed)) * (len(split.train) / total) ** 2,
        "full_table_energy_error": float(
            max(
                abs(float(e) - c) / c
                for e, c in zip(
                    energy_of(
                        w_star,
                        *training_tensors(group, Split(np.arange(total), np.arange(0))),
                        n,
                        cfg["act"],
                        cfg["input_norm"],
                    ),
                    closed,
                )
            )
        )
        if cfg["act"] == "sqr"
        else None,
        "memorisation_energy": med(e_memo),
        "memorisation_share_median": float(_memo_share(w_memo, n).median()),
        "random_on_component_frac": float((comp_share >= 0.9).float().mean()),
        "random_memorising_frac": float((_memo_share(w_rand, n) >= 0.5).float().mean()),
        "random_energy_median": float(e_rand.median()),
        "converged_frac": float(conv.float().mean()),
        "steps_median": float(steps.float().median()),
        "components": [group.components[i].label for i in idx],
        "component_shares": [round(float(s), 4) for s in shares],
    }


def landscape(group: str, fracs, seeds: int = 1, executor=None, journal=None, first_seed: int = 0,
              **options) -> dict:
    """Run `landscape_unit` over fractions x seeds (an Experiment) and aggregate per fraction (medians over
    seeds; persist_frac is the mean)."""
    from learnless.errors import ConfigError
    from learnless.runtime import Experiment

    g = parse_group(group)
    unknown = sorted(set(options) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"landscape: unknown option(s) {', '.join(unknown)}; valid: {', '.join(DEFAULTS)}")
    fracs = [float(f) for f in fracs]
    if not fracs or any(not 0 < f <= 1 for f in fracs):
        raise ConfigError(f"--fracs: each fraction must be in (0, 1], got {fracs}")
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ConfigError(f"seeds: must be an integer >= 1, got {seeds!r}")
    for f in fracs:
        if f < 1.0:
            split_pairs(g, f)  # a fraction leaving an empty side fails here, before any work
    configs = [{"group": g.name, "train_frac": f, **DEFAULTS, **options} for f in fracs]
    seed_list = list(range(first_seed, first_seed + seeds))
    from learnless.runtime.identity import generated

    recs = Experiment(
        landscape_unit,
        configs,
        [first_seed] if all(f >= 1 for f in fracs) and seeds == 1 else seed_list,
        data=generated("learnless.grok.groups.split_pairs"),  # group, fraction and seed are in the key
        journal=journal,
        executor=executor,
        description=f"landscape {g.name}",
    ).run()
    out = []
    for cfg in configs:
        rows = [r["result"] for r in recs if r["config"] == cfg]
        agg = {
            "train_frac": cfg["train_frac"],
            "n_train": rows[0]["n_train"],
            "ratio": rows[0]["ratio"],
            "seeds": len(rows),
            "persist_frac": float(np.mean([r["persist_frac"] for r in rows])),
        }
        for k in (
            "maxima_energy",
            "closed_form_energy",
            "closed_form_energy_scaled",
            "memorisation_energy",
            "distance_median",
            "distance_to_component_median",
            "full_table_energy_error",
            "persist_share_median",
            "memorisation_share_median",
            "random_on_component_frac",
            "random_memorising_frac",
            "random_energy_median",
            "converged_frac",
            "steps_median",
        ):
            vals = [r[k] for r in rows if r[k] is not None]
            agg[k] = float(np.median(vals)) if vals else None
        agg["per_seed"] = rows
        out.append(agg)
    return {"group": g.name, "order": g.order, "options": {**DEFAULTS, **options}, "fractions": out}


def critical_ratio(result: dict, level: float = 0.5) -> float | None:
    """The smallest n/(M ln M) among the fractions at which at least `level` of the maxima persist, with
    every larger fraction also at or above it (None when none qualifies)."""
    rows = sorted(result["fractions"], key=lambda r: r["ratio"])
    ok = [r["persist_frac"] >= level for r in rows]
    for i in range(len(rows)):
        if all(ok[i:]):
            return rows[i]["ratio"]
    return None
