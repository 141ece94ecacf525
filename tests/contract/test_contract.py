"""The estimator contract (learnless.base), checked over every registered estimator: the model is
scikit-learn's `parametrize_with_checks`. Cases come from `cases_<capability>.py` beside this file; a
registry entry or an Estimator subclass without a case fails `test_every_estimator_has_a_case`."""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import learnless
from learnless.base import Estimator, clone
from learnless.errors import ConfigError, NotFittedError

CASE_MODULES = sorted(p.stem for p in Path(__file__).parent.glob("cases_*.py"))


def _all_cases():
    out = []
    for mod in CASE_MODULES:
        module = importlib.import_module(f"tests.contract.{mod}")
        out.extend(module.cases())
    return out


CASES = _all_cases()
IDS = [c.name for c in CASES]


def same(a, b) -> bool:
    """Deep equality over the values estimators hold (arrays, tensors,
    sparse matrices, modules, containers)."""
    import scipy.sparse as sp
    import torch

    if type(a) is not type(b):
        return False
    if isinstance(a, torch.nn.Module):
        return same(a.state_dict(), b.state_dict())
    if isinstance(a, torch.Tensor):
        return a.shape == b.shape and bool(torch.equal(a, b))
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if sp.issparse(a):
        return a.shape == b.shape and (a != b).nnz == 0
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and np.isnan(a):
        return np.isnan(b)
    if hasattr(a, "__dict__") and not isinstance(a, type):
        return same(vars(a), vars(b))
    if a == b:
        return True
    # objects without value equality (NumPy Generators, Cython loss objects): equal when they pickle alike
    try:
        return pickle.dumps(a) == pickle.dumps(b)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False


def _call(est, call):
    return getattr(est, call.method)(*call.args, **call.kwargs)


@pytest.fixture(scope="module")
def fitted():
    cache = {}

    def get(case):
        if case.name not in cache:
            cache[case.name] = case.make().fit(*case.fit_args(), **case.fit_kwargs)
        return cache[case.name]

    return get


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_init_stores_params_only(case):
    est = case.make()
    assert isinstance(est, Estimator)
    params = est.get_params(deep=False)
    assert set(vars(est)) == set(params), "__init__ must store its parameters and nothing else"
    assert not any(k.endswith("_") for k in vars(est))
    assert est.validate() is est
    assert type(est).__name__ in repr(est)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_clone_and_set_params_round_trip(case):
    est = case.make()
    twin = clone(est)
    assert twin is not est and same(twin.get_params(deep=False), est.get_params(deep=False))
    params = est.get_params(deep=False)
    assert twin.set_params(**params) is twin


@pytest.mark.parametrize("case", [c for c in CASES if c.bad_params],
                         ids=[c.name for c in CASES if c.bad_params])
def test_validate_refuses_bad_params(case):
    est = case.make().set_params(**case.bad_params)
    with pytest.raises(ConfigError) as info:
        est.validate()
    assert any(k in str(info.value) for k in case.bad_params), "the message must name the parameter"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_not_fitted_error(case):
    est = case.make()
    for call in case.calls:
        with pytest.raises(NotFittedError):
            _call(est, call)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fit_returns_self_and_pure_methods_do_not_mutate(case, fitted):
    est = fitted(case)
    assert any(k.endswith("_") for k in vars(est)), "fit must set learned state ending in _"
    before = copy.deepcopy(vars(est))
    first = [_call(est, call) for call in case.calls]
    assert same(vars(est), before), "a pure method changed fitted state"
    again = [_call(est, call) for call in case.calls]
    assert same(first, again), "a pure method gave a different answer the second time"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pickle_round_trip(case, fitted):
    est = fitted(case)
    twin = pickle.loads(pickle.dumps(est))
    assert same([_call(est, c) for c in case.calls], [_call(twin, c) for c in case.calls])


def _estimator_classes():
    """Every concrete Estimator subclass defined in learnless (modules
    needing an absent extra are skipped)."""
    found = set()
    for info in pkgutil.walk_packages(learnless.__path__, "learnless."):
        if ".cli" in info.name or info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (issubclass(obj, Estimator) and obj.__module__.startswith("learnless.")
                    and not obj.__name__.startswith("_") and not obj.__dict__.get("_abstract", False)
                    and obj is not Estimator):
                found.add(obj)
    return found


def test_every_estimator_has_a_case():
    covered = {type(c.make()) for c in CASES}
    missing = sorted(f"{c.__module__}.{c.__name__}" for c in _estimator_classes() - covered)
    assert not missing, f"estimators without a contract case in tests/contract/cases_*.py: {missing}"
    from learnless.registry import registries

    for capability, registry in registries().items():
        for name in registry:
            assert registry[name] in covered, f"{capability} registry entry {name!r} has no contract case"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_memory_is_stated_from_params_and_shapes(case):
    """memory_bytes(*fit_args): a positive number of bytes, stated before fit and without fitting."""
    est = case.make()
    need = est.memory_bytes(*case.fit_args())
    assert isinstance(need, int) and need > 0
    assert not est.__sklearn_is_fitted__()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_what_cannot_fit_is_refused_before_allocating(case):
    """A request no machine holds is a ConfigError giving the estimate, raised by fit before it allocates."""
    import tracemalloc

    assert case.huge, f"{case.name}: the case must say what is too large (Case.huge)"
    est = case.make()
    args = case.fit_args()
    if callable(case.huge):
        args = case.huge()
    else:
        est.set_params(**case.huge)
    need = est.memory_bytes(*args)
    assert need > 2**45  # 32 TiB
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError, match=r"needs ~[\d.]+ [KMGTP]iB of memory"):
            est.fit(*args, **case.fit_kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{case.name}: {peak} bytes allocated before the refusal"
    assert not est.__sklearn_is_fitted__()


@pytest.mark.parametrize("case", CASES[:1] + CASES[-1:], ids=IDS[:1] + IDS[-1:])
def test_a_memory_budget_is_honoured(case, monkeypatch):
    est = case.make()
    with pytest.raises(ConfigError, match="--memory-budget"):
        est.check_memory(*case.fit_args(), budget=1e-9)
    monkeypatch.setenv("LEARNLESS_MEMORY_BUDGET_GB", "1e-9")
    with pytest.raises(ConfigError, match="--memory-budget"):
        est.fit(*case.fit_args(), **case.fit_kwargs)
