"""Contract cases for every recommender in learnless.recommend.models.MODELS: small synthetic interactions and
parameters that fit in well under a second."""

from __future__ import annotations

import numpy as np

from tests.contract.contract import Call, Case

_CALLS = [
    Call("score", (np.arange(5),)),
    Call("recommend", (np.arange(5),), {"N": 5}),
    Call("recommend", (3,), {"N": 5, "filter_items": [0, 1], "items": np.arange(30)}),
    Call("similar_items", (2,), {"N": 5}),
]


def _data():
    from learnless.data import user_item_graph

    return (user_item_graph(60, 40, seed=3),)


def _trained(name: str, **extra):
    from learnless.recommend.models import MODELS

    fast = {"dim": 8, "batch_size": 256, "max_epochs": 2, "eval_every": 1, "val_users": 20, "seed": 0}
    return lambda: MODELS[name](**fast, **extra)


def _huge():
    """Interactions of 10^9 users x 10^8 items, 10^13 pairs: the shape and count, nothing allocated."""
    from types import SimpleNamespace

    return (SimpleNamespace(shape=(10**9, 10**8), nnz=10**13),)


def cases() -> list[Case]:
    from learnless.recommend.models import MODELS

    return [
        Case("gte", lambda: MODELS["gte"](k=3), _data, _CALLS, bad_params={"k": 0}, huge=_huge),
        Case(
            "itemknn", lambda: MODELS["itemknn"](neighbours=10), _data, _CALLS, bad_params={"neighbours": 0},
            huge=_huge,
        ),
        Case("ease", lambda: MODELS["ease"](l2=50.0), _data, _CALLS, bad_params={"l2": -1.0}, huge=_huge),
        Case("bprmf", _trained("bprmf"), _data, _CALLS, bad_params={"lr": 0.0}, huge={"dim": 10**12}),
        Case("lightgcn", _trained("lightgcn", layers=2), _data, _CALLS, bad_params={"layers": 0},
             huge={"dim": 10**12}),
    ]
