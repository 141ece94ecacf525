"""learnless.base (the estimator contract's machinery) and learnless.registry on toy classes."""

from __future__ import annotations

import sys
from typing import ClassVar

import pytest

from learnless.base import Estimator, Integral, Interval, StrOptions, clone
from learnless.errors import ConfigError, NotFittedError
from learnless.registry import Registry


class Toy(Estimator):
    _parameter_constraints: ClassVar[dict] = {"k": [Interval(Integral, 1, None, closed="left")],
                                              "mode": [StrOptions({"a", "b"})]}

    def __init__(self, k=1, mode="a", seed=0):
        self.k, self.mode, self.seed = k, mode, seed

    def _validate_extra(self):
        if self.mode == "b" and self.k > 5:
            raise ConfigError("k: must be <= 5 with mode 'b'")

    def fit(self, x):
        self.validate()
        self.total_ = sum(x) * self.k
        return self

    def predict(self):
        self._check_fitted()
        return self.total_


def test_validate_names_the_parameter():
    assert Toy().validate() is not None
    with pytest.raises(ConfigError, match="'k' parameter of Toy"):
        Toy(k=0).validate()
    with pytest.raises(ConfigError, match="'mode'"):
        Toy(mode="c").validate()
    with pytest.raises(ConfigError, match="mode 'b'"):
        Toy(k=9, mode="b").validate()


def test_not_fitted_and_clone():
    with pytest.raises(NotFittedError, match="Toy is not fitted"):
        Toy().predict()
    est = Toy(k=2).fit([1, 2])
    assert est.predict() == 6
    twin = clone(est)
    assert twin.get_params() == est.get_params() and not hasattr(twin, "total_")
    assert "Toy(k=2)" == repr(twin)


def test_registry_is_lazy_and_checks_params():
    sys.modules.pop("tests.test_base_registry_lazy_target", None)
    reg = Registry("model", {"toy": "tests.test_base_registry:Toy", "other": "json:JSONDecoder"})
    assert reg.names() == ["toy", "other"] and "toy" in reg
    assert reg.make("toy", k=3).k == 3
    with pytest.raises(ConfigError, match="did you mean 'toy'"):
        reg.make("tyo")
    with pytest.raises(ConfigError, match="unknown parameter"):
        reg.make("toy", kk=3)
    with pytest.raises(ConfigError, match="'k' parameter"):
        reg.make("toy", k=0)


def test_registry_imports_nothing_until_asked():
    reg = Registry("thing", {"x": "tests.lazy_target_never_imported:X"})
    assert "tests.lazy_target_never_imported" not in sys.modules
    assert reg.names() == ["x"]
    with pytest.raises(ModuleNotFoundError):
        reg["x"]


def test_registry_names_are_case_insensitive_whatever_case_the_entries_use():
    toy = "tests.test_base_registry:Toy"
    reg = Registry("model", {"ItemKNN": toy, "gte": toy})
    assert reg["itemknn"] is Toy and reg["ITEMKNN"] is Toy and reg["GTE"] is Toy
    with pytest.raises(ConfigError, match=r"model: unknown 'itemkn' \(did you mean 'ItemKNN'\?\)"):
        reg["itemkn"]
