"""Contract cases for the grok estimators: a tiny group, few epochs / steps."""

from __future__ import annotations

import numpy as np

from tests.contract.contract import Call, Case


def _data():
    from learnless.grok.groups import parse_group, split_pairs

    g = parse_group("Z5")
    return g, split_pairs(g, 0.6, seed=0)


def cases() -> list[Case]:
    from learnless.grok.construct import EnergyConstruction
    from learnless.grok.energy import EnergyAscent
    from learnless.grok.forecast import GrokForecaster, load_runs
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
        Case("construct", lambda: EnergyConstruction(hidden=8, blocks=2, sweeps=1, max_steps=20), _data,
             [Call("predict", (a, b)), Call("score", (a, b, c))], bad_params={"stage": "IV"},
             huge={"hidden": 10**12}),
        Case("forecast", GrokForecaster, lambda: (load_runs(),),
             [Call("forecast", (_forecast_request(),))], bad_params={"level": 1.5},
             huge=lambda: (_ManyRuns(),)),
    ]


def _forecast_request() -> dict:
    return {"group": "Z31", "order": 31, "n_train": 300, "hidden": 256, "lr": 0.01, "weight_decay": 1e-3,
            "epochs": 2000, "centring": "sample"}


class _ManyRuns:
    """A shape-only stand-in for 10**13 journaled runs: only its length is ever read before the refusal."""

    def __len__(self) -> int:
        return 10**13
