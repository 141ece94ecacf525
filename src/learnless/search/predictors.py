"""Objective predictors on the estimator contract: Ridge, RBF-SVR and gradient-boosted trees, and
`AutoPredictor`,
which picks among them (and their small grids) by K-fold cross-validated MAE at every fit.

Targets are standardised before fitting, so one SVR epsilon / Ridge alpha grid serves accuracy in % and MACs
in
the hundreds of millions alike.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from learnless.base import (
    Estimator,
    Integral,
    Interval,
    Real,
    StrOptions,
    positive,
    positive_int,
    seed_constraint,
)
from learnless.errors import ConfigError
from learnless.registry import Registry

PREDICTORS = Registry(
    "predictor",
    {
        "auto": "learnless.search.predictors:AutoPredictor",
        "ridge": "learnless.search.predictors:RidgePredictor",
        "svr": "learnless.search.predictors:SVRPredictor",
        "gbt": "learnless.search.predictors:GBTPredictor",
    },
    capability="search",
)


def kendall_tau(y_true, y_pred) -> float:
    from scipy.stats import kendalltau

    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    if len(y_true) < 2 or np.ptp(y_true) == 0 or np.ptp(y_pred) == 0:
        return float("nan")
    return float(kendalltau(y_true, y_pred).statistic)


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error, in %."""
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    nz = y_true != 0
    if not nz.any():
        return float("nan")
    return float(100 * np.mean(np.abs((y_pred[nz] - y_true[nz]) / y_true[nz])))


class _Predictor(Estimator):
    _abstract = True

    def _model(self):
        raise NotImplementedError

    def memory_bytes(self, X, y=None) -> int:
        """The design matrix, its scaled copy and the model's working arrays (float64)."""
        n, d = _shape2(X)
        return 8 * n * (d + 1) * 4

    def fit(self, X, y):
        self.validate()
        X, y = np.asarray(X, float), np.asarray(y, float)
        if X.ndim != 2 or len(X) != len(y) or len(y) < 2:
            raise ConfigError(
                f"{type(self).__name__}.fit: need X (n, d) and y (n,) with n >= 2, got "
                f"{X.shape} and {y.shape}"
            )
        self.y_mean_ = float(y.mean())
        self.y_scale_ = float(y.std()) or 1.0
        self.model_ = self._model().fit(X, (y - self.y_mean_) / self.y_scale_)
        return self

    def predict(self, X):
        self._check_fitted("model_")
        return self.model_.predict(np.asarray(X, float)) * self.y_scale_ + self.y_mean_


def _shape2(X) -> tuple[int, int]:
    shape = getattr(X, "shape", None) or np.shape(X)
    return int(shape[0]), int(shape[1]) if len(shape) > 1 else 1


class RidgePredictor(_Predictor):
    """Linear model with an L2 penalty (exact for metrics additive over slots, like MACs)."""

    _parameter_constraints: ClassVar[dict] = {"alpha": [Interval(Real, 0, None, closed="left")]}

    def __init__(self, alpha: float = 1e-3):
        self.alpha = alpha

    def _model(self):
        from sklearn.linear_model import Ridge

        return Ridge(alpha=self.alpha)


class SVRPredictor(_Predictor):
    """Support-vector regression with an RBF kernel (DyNAS-T's accuracy predictor family)."""

    _parameter_constraints: ClassVar[dict] = {
        "C": [positive],
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "gamma": [StrOptions({"scale", "auto"}), positive],
    }

    def __init__(self, C: float = 10.0, epsilon: float = 0.01, gamma="scale"):
        self.C = C
        self.epsilon = epsilon
        self.gamma = gamma

    def memory_bytes(self, X, y=None) -> int:
        n, d = _shape2(X)
        return 8 * n * (d + 1) * 4 + min(8 * n * n, 200 * 2**20)  # libsvm's kernel cache is 200 MiB at most

    def _model(self):
        from sklearn.svm import SVR

        return SVR(kernel="rbf", C=self.C, epsilon=self.epsilon, gamma=self.gamma)


class GBTPredictor(_Predictor):
    """scikit-learn's histogram gradient-boosted trees."""

    _parameter_constraints: ClassVar[dict] = {
        "max_iter": [positive_int],
        "learning_rate": [positive],
        "max_leaf_nodes": [Interval(Integral, 2, None, closed="left")],
        "seed": [seed_constraint],
    }

    def __init__(
        self, max_iter: int = 200, learning_rate: float = 0.1, max_leaf_nodes: int = 15, seed: int = 0
    ):
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.seed = seed

    def predict(self, X):
        import copy

        self._check_fitted("model_")
        # HistGradientBoostingRegressor.predict re-assigns private attributes; a copy keeps this pure.
        model = copy.deepcopy(self.model_)
        return model.predict(np.asarray(X, float)) * self.y_scale_ + self.y_mean_

    def _model(self):
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            random_state=self.seed,
        )


# The candidates AutoPredictor compares: Ridge over alphas, one GBT, and SVR as DyNAS-T sets it up (RBF,
# gamma "auto", epsilon 0) over a log-spaced subset of its C grid (DyNAS-T: C = 1, 2, ..., 100, 5-fold
# GridSearchCV). DyNAS-T divides targets by a power of ten; here they are standardised, which for accuracy
# in % gives the same scale.
GRID = {
    "ridge": [{"alpha": a} for a in (1e-4, 1e-2, 1.0, 10.0)],
    "svr": [{"C": c, "epsilon": 0.0, "gamma": "auto"} for c in (1.0, 3.0, 10.0, 30.0, 100.0)],
    "gbt": [{"max_iter": 100}],
}
FAMILIES = {"ridge": RidgePredictor, "svr": SVRPredictor, "gbt": GBTPredictor}


def _views(X) -> dict:
    if isinstance(X, dict):
        return {k: np.asarray(v, float) for k, v in X.items()}
    return {"features": np.asarray(X, float)}


class AutoPredictor(Estimator):
    """Chooses, at every `fit`, the candidate with the lowest K-fold cross-validated MAE, then refits it on
    all
    rows. `chosen_` names it; `cv_mae_` holds every candidate's CV MAE.

    X is an (n, d) array or a dict of named feature views of the same rows (the masked one-hot encoding, and
    whatever a super-network adds); every (family, grid point, view) is a candidate."""

    _parameter_constraints: ClassVar[dict] = {
        "families": [list, tuple],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "max_cv_rows": [Interval(Integral, 6, None, closed="left"), None],
        "seed": [seed_constraint],
    }

    def __init__(
        self, families=("ridge", "svr", "gbt"), cv: int = 3, max_cv_rows: int | None = 500, seed: int = 0
    ):
        self.families = families
        self.cv = cv
        self.max_cv_rows = max_cv_rows
        self.seed = seed

    def _validate_extra(self):
        bad = [f for f in self.families if f not in FAMILIES]
        if bad or not self.families:
            raise ConfigError(
                f"AutoPredictor: families must be a non-empty subset of {list(FAMILIES)}, got "
                f"{list(self.families)}"
            )

    def _candidates(self):
        for fam in self.families:
            for params in GRID[fam]:
                extra = {"seed": self.seed} if fam == "gbt" else {}
                yield fam, FAMILIES[fam](**params, **extra)

    def memory_bytes(self, X, y=None) -> int:
        """Its candidates are fitted one at a time: the largest of theirs (SVR's kernel cache among them)."""
        n, d = _shape2(X)
        return 8 * n * (d + 1) * 4 + min(8 * n * n, 200 * 2**20)

    def fit(self, X, y):
        self.validate()
        from threadpoolctl import threadpool_limits

        # One BLAS/OpenMP thread: these fits are small, and on a shared machine extra threads only spin.
        with threadpool_limits(1):
            return self._fit(X, y)

    def _fit(self, X, y):
        from sklearn.model_selection import KFold

        views, y = _views(X), np.asarray(y, float)
        folds = min(self.cv, len(y))
        scores, best = {}, None
        first = next(iter(views))
        if folds >= 2 and len(y) >= 6:
            # Selection only needs a ranking of the candidates: cross-validate on at most `max_cv_rows` rows
            # (SVR's fit is quadratic in rows), then refit the winner on all of them.
            rows = np.arange(len(y))
            if self.max_cv_rows is not None and len(y) > self.max_cv_rows:
                pick = np.random.default_rng(self.seed).choice(len(y), self.max_cv_rows, replace=False)
                rows = np.sort(pick)
            splits = list(KFold(folds, shuffle=True, random_state=self.seed).split(rows))
            for view, V in views.items():
                Vs, ys = V[rows], y[rows]
                for fam, est in self._candidates():
                    err = 0.0
                    for tr, te in splits:
                        err += np.abs(est.fit(Vs[tr], ys[tr]).predict(Vs[te]) - ys[te]).sum()
                    name = f"{fam}{est.get_params()}@{view}"
                    scores[name] = err / len(rows)
                    if best is None or scores[name] < best[0]:
                        best = (scores[name], name, est, view)
        else:  # too few rows to cross-validate: the first candidate
            fam, est = next(self._candidates())
            best = (float("nan"), f"{fam}{est.get_params()}@{first}", est, first)
        self.cv_mae_ = scores
        self.chosen_ = best[1]
        self.view_ = best[3]
        self.model_ = best[2].fit(views[self.view_], y)
        return self

    def refit(self, X, y):
        """Refit the chosen candidate on new rows, without cross-validating again (cheap LINAS iterations)."""
        self._check_fitted("model_")
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            self.model_ = self.model_.fit(_views(X)[self.view_] if isinstance(X, dict) else X, y)
        return self

    def predict(self, X):
        self._check_fitted("model_")
        return self.model_.predict(_views(X)[self.view_] if isinstance(X, dict) else X)
