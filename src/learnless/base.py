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

Memory is known before work: `memory_bytes(*fit_args)` states, from the hyper-parameters and the inputs'
shapes alone (nothing allocated), the bytes `fit` will hold at its peak; every `fit` first validates the
parameters and refuses, with the estimate, what would not fit the available memory or the budget
(learnless.memory). Integers too large for the code to hold are parameter errors, like any other.
"""

from __future__ import annotations

import functools
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
seed_constraint = Interval(Integral, 0, 2**32 - 1, closed="both")  # NumPy/torch seeds are unsigned 32-bit


class Estimator(BaseEstimator):
    """Base class of every learnless estimator; see the module docstring for the contract."""

    _parameter_constraints: ClassVar[dict] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fit = cls.__dict__.get("fit")
        if fit is not None and not getattr(fit, "_checks_memory", False):
            cls.fit = _memory_checked(fit)

    def memory_bytes(self, *fit_args) -> int:
        """Bytes `fit(*fit_args)` will hold at its peak, from the hyper-parameters and the shapes of the
        inputs only (nothing is allocated). Every estimator states it."""
        raise NotImplementedError(f"{type(self).__name__} does not state its memory")

    def check_memory(self, *fit_args, budget: float | None = None) -> int:
        """The estimate in bytes; ConfigError naming it when it exceeds `budget` GiB (default: the memory
        available now, or $LEARNLESS_MEMORY_BUDGET_GB)."""
        from learnless.memory import refuse_if_over

        need = int(self.memory_bytes(*fit_args))
        refuse_if_over(need, f"{type(self).__name__}({self._changed_params()})", budget)
        return need

    def _changed_params(self) -> str:
        import inspect

        sig = inspect.signature(type(self).__init__).parameters
        changed = {k: v for k, v in self.get_params(deep=False).items()
                   if k in sig and not _same(v, sig[k].default)}
        return ", ".join(f"{k}={v!r}" for k, v in changed.items())

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


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and other objects without a truth value
        return a is b


def _memory_checked(fit):
    """`fit`, preceded by the parameter check and the memory check: nothing is allocated for a request that
    cannot work. Inputs too malformed for an estimate are left to `fit` itself, which names the problem."""

    @functools.wraps(fit)
    def checked(self, *args, **kwargs):
        self.validate()
        try:
            self.memory_bytes(*args)
        except ConfigError:
            raise
        except Exception:  # noqa: BLE001 - malformed inputs: fit's own checks report them
            return fit(self, *args, **kwargs)
        self.check_memory(*args)
        return fit(self, *args, **kwargs)

    checked._checks_memory = True
    return checked


def clone(estimator: Estimator) -> Estimator:
    """An unfitted copy with the same hyper-parameters (scikit-learn's `clone`)."""
    return _sk_clone(estimator)
