"""What a contract case is: one registered estimator, small fast parameters, its fit inputs, and the pure
methods to call on it. Each capability lists its cases in `tests/contract/cases_<capability>.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """A method call that must not change fitted state: `method(*args, **kwargs)`."""

    method: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass
class Case:
    name: str                                # the registry name (or class name when not registered)
    make: Callable[[], Any]                  # a fresh unfitted estimator with small, fast parameters
    fit_args: Callable[[], tuple]            # positional arguments of fit
    calls: list[Call]                        # pure methods to check
    bad_params: dict = field(default_factory=dict)  # a parameter setting validate() must refuse
    fit_kwargs: dict = field(default_factory=dict)
    # what memory_bytes must call too large: parameters to set, or a callable giving fit inputs of huge shape
    # that allocate nothing (zero-stride views, shape-only stand-ins)
    huge: dict | Callable[[], tuple] = field(default_factory=dict)
