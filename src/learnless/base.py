"""The estimator contract every model and analysis object follows (recommenders, node classifiers, the grok
trainer, energy ascent, search predictors, relative projections).

scikit-learn semantics, on scikit-learn's own `BaseEstimator`:
  * hyper-parameters are keyword arguments of `__init__`, stored unchanged, no work done there;
  * `get_params` / `set_params` / `sklearn.base.clone` / the repr come from those parameters;
  * learned state is set by `fit` in attributes ending in `_`; `fit` returns `self`;
  * `predict` / `score` / `embed` / `recommend` / `transform` never change fitted state;
  * the random seed is always the parameter `seed` (an int; scikit-learn's `random_state`).

Parameters are checked declaratively: a class lists `_parameter_constraints` (scikit-learn's constraint
vocabulary, re-exported here: `Interval`, `StrOptions`, `Options`, types, None) and may add cross-parameter
checks in `_validate_extra`. `validate()` runs both and is what the CLI calls before loading any data; `fit`
calls it too. A failed check is a `ConfigError` naming the parameter.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

from sklearn.base import BaseEstimator
from sklearn.base import clone as _sk_clone

# scikit-learn's parameter-constraint vocabulary (a private module with a stable API since 1.2); kept behind
# this one import so that a future move touches one line.
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)

from learnless.errors import ConfigError, NotFittedError

__all__ = [
    "Estimator",
    "HasMethods",
    "Integral",
    "Interval",
    "NotFittedError",
    "Options",
    "Real",
    "StrOptions",
    "clone",
    "non_negative",
    "positive",
    "positive_int",
    "rate",
    "seed_constraint",
]

# Constraints used across capabilities.
positive_int = Interval(Integral, 1, None, closed="left")
non_negative = Interval(Real, 0, None, closed="left")
positive = Interval(Real, 0, None, closed="neither")
rate = Interval(Real, 0, 1, closed="left")  # a dropout-like probability in [0, 1)
seed_constraint = Interval(Integral, 0, None, closed="left")


class Estimator(BaseEstimator):
    """Base class of every learnless estimator; see the module docstring for the contract."""

    _parameter_constraints: ClassVar[dict] = {}

    def validate(self) -> Estimator:
        """Check every hyper-parameter (types, ranges, options, cross-parameter rules); return self.

        Raises ConfigError naming the parameter. Cheap: no data is touched."""
        constraints = {}
        for klass in reversed(type(self).__mro__):  # subclasses extend their parents' constraints
            constraints.update(getattr(klass, "_parameter_constraints", None) or {})
        params = self.get_params(deep=False)
        constraints = {k: v for k, v in constraints.items() if k in params}
        try:
            validate_parameter_constraints(constraints, params, caller_name=type(self).__name__)
        except InvalidParameterError as exc:
            raise ConfigError(str(exc)) from None
        self._validate_extra()
        return self

    def _validate_extra(self) -> None:
        """Cross-parameter rules a subclass adds; raise ConfigError naming the parameters."""

    def _check_fitted(self, attribute: str | None = None) -> None:
        """Raise NotFittedError unless `fit` has run (`attribute`, or any attribute ending in `_`)."""
        if attribute is not None:
            fitted = hasattr(self, attribute)
        else:
            fitted = any(k.endswith("_") and not k.startswith("__") for k in vars(self))
        if not fitted:
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call fit(...) first")

    def __sklearn_is_fitted__(self) -> bool:
        try:
            self._check_fitted()
        except NotFittedError:
            return False
        return True


def clone(estimator: Estimator) -> Estimator:
    """An unfitted copy with the same hyper-parameters (scikit-learn's `clone`)."""
    return _sk_clone(estimator)
