"""Contract cases for the grok estimators: a tiny group, few epochs / steps."""

from __future__ import annotations

import numpy as np

from tests.contract.contract import Call, Case


def _data():
    from learnless.grok.groups import parse_group, split_pairs

    g = parse_group("Z5")
    return g, split_pairs(g, 0.6, seed=0)


def cases() -> list[Case]:
    from learnless.grok.energy import EnergyAscent
    from learnless.grok.trainer import GrokTrainer

    g, split = _data()
    a, b, c = (x[split.test] for x in g.pairs())
    W = np.random.default_rng(0).standard_normal((3, 10))
    return [
        Case("trainer", lambda: GrokTrainer(hidden=8, epochs=5, lr=0.01), _data,
             [Call("predict", (a, b)), Call("score", (a, b, c)), Call("stages")], bad_params={"hidden": 0},
             huge={"hidden": 10**12}),
        Case("energy", lambda: EnergyAscent(starts=2, max_steps=20, starts_per_component=1), _data,
             [Call("score", (W,))], bad_params={"centring": "rows"}, huge={"starts": 10**13}),
    ]
