"""Contract cases of the search predictors."""

import numpy as np

from tests.contract.contract import Call, Case


def _data():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(30, 6)).astype(float)
    return (X, X @ np.arange(1, 7) + rng.normal(0, 0.1, 30))


def _huge():
    """A 10^8 x 10^6 design matrix that occupies one float (a zero-stride view)."""
    return np.broadcast_to(1.0, (10**8, 10**6)), np.broadcast_to(1.0, (10**8,))


def cases():
    from learnless.search.predictors import AutoPredictor, GBTPredictor, RidgePredictor, SVRPredictor

    X = _data()[0][:5]
    return [
        Case("ridge", lambda: RidgePredictor(), _data, [Call("predict", (X,))], {"alpha": -1}, huge=_huge),
        Case("svr", lambda: SVRPredictor(), _data, [Call("predict", (X,))], {"C": 0}, huge=_huge),
        Case("gbt", lambda: GBTPredictor(max_iter=10), _data, [Call("predict", (X,))], {"max_iter": 0},
             huge=_huge),
        Case("auto", lambda: AutoPredictor(families=("ridge",)), _data, [Call("predict", (X,))],
             {"families": ("nope",)}, huge=_huge),
    ]
