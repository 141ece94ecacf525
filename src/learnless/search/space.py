"""Search spaces: named parameters with choice lists, integer vectors for pymoo, masked one-hot features.

A space maps each parameter name to its list of choices; repeated slots are separate names (`ks_0` ...
`ks_19`).
A super-network may say which parameters a config leaves unused (`inactive(config)`: the blocks a depth
parameter switches off). Those slots are masked: zeroed in the predictor features and set to their first
choice in the canonical form, so that two configs differing only there are one sub-network, evaluated once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping

import numpy as np

from learnless.errors import ConfigError


def _check_choices(name: str, choices) -> list:
    if not isinstance(choices, (list, tuple)):
        raise ConfigError(
            f"space: parameter {name!r} must map to a list of choices, got {type(choices).__name__}"
        )
    if len(choices) == 0:
        raise ConfigError(f"space: parameter {name!r} has no choices")
    seen = []
    for c in choices:
        if isinstance(c, float) and math.isnan(c):
            raise ConfigError(f"space: parameter {name!r} has a NaN choice")
        if c in seen:
            raise ConfigError(f"space: parameter {name!r} lists the choice {c!r} twice")
        seen.append(c)
    return list(choices)


class SearchSpace:
    """Parameters (name -> choices) plus an optional `inactive(config) -> set of names` rule."""

    def __init__(
        self,
        params: Mapping[str, list],
        inactive: Callable[[dict], set] | None = None,
        mask_fn: Callable[[np.ndarray], np.ndarray] | None = None,
    ):
        if not isinstance(params, Mapping) or not params:
            raise ConfigError("space: expected a non-empty dict of parameter name -> list of choices")
        self.params = {str(k): _check_choices(str(k), v) for k, v in params.items()}
        self.names = list(self.params)
        self.sizes = np.array([len(v) for v in self.params.values()], dtype=np.int64)
        self._inactive = inactive
        self._mask_fn = mask_fn  # optional vectorised form of `inactive` (index vectors -> active mask)
        self._offsets = np.concatenate([[0], np.cumsum(self.sizes)])
        self.n_features = int(self._offsets[-1])

    def __len__(self) -> int:
        return len(self.names)

    @property
    def cardinality(self) -> float:
        """Number of configs (counting ones equal up to inactive slots separately)."""
        return float(np.prod(self.sizes.astype(float)))

    # conversions --------------------------------------------------------------------------------------------
    def to_config(self, x) -> dict:
        return {n: self.params[n][int(i)] for n, i in zip(self.names, x)}

    def to_vector(self, config: Mapping) -> np.ndarray:
        out = np.empty(len(self.names), dtype=np.int64)
        for j, n in enumerate(self.names):
            if n not in config:
                raise ConfigError(f"config: missing parameter {n!r}")
            try:
                out[j] = self.params[n].index(config[n])
            except ValueError:
                raise ConfigError(f"config: {n}={config[n]!r} is not one of {self.params[n]}") from None
        return out

    def inactive(self, config: Mapping) -> set:
        if self._inactive is None:
            return set()
        names = set(self._inactive(dict(config)))
        unknown = names - set(self.names)
        if unknown:
            raise ConfigError(f"inactive(): unknown parameter(s) {sorted(unknown)}")
        return names

    def mask(self, X: np.ndarray) -> np.ndarray:
        """(n, n_params) bool: True where the slot is active."""
        X = np.atleast_2d(np.asarray(X, dtype=np.int64))
        if self._mask_fn is not None:
            return np.asarray(self._mask_fn(X), dtype=bool)
        if self._inactive is None:
            return np.ones(X.shape, dtype=bool)
        index = {n: j for j, n in enumerate(self.names)}
        m = np.ones(X.shape, dtype=bool)
        for i, x in enumerate(X):
            for n in self.inactive(self.to_config(x)):
                m[i, index[n]] = False
        return m

    def canonical(self, X: np.ndarray) -> np.ndarray:
        """Inactive slots set to choice 0, so that equal sub-networks have equal vectors."""
        X = np.atleast_2d(np.asarray(X, dtype=np.int64)).copy()
        X[~self.mask(X)] = 0
        return X

    def key(self, x) -> str:
        """A stable text key of one (canonicalised) vector, used for de-duplication and the journal."""
        c = self.canonical(x)[0]
        return json.dumps(self.to_config(c), sort_keys=True, separators=(",", ":"))

    def features(self, X: np.ndarray, masked: bool = True) -> np.ndarray:
        """One-hot per parameter, side by side; inactive slots all-zero when `masked`."""
        X = np.atleast_2d(np.asarray(X, dtype=np.int64))
        F = np.zeros((X.shape[0], self.n_features), dtype=np.float64)
        rows = np.arange(X.shape[0])
        active = self.mask(X) if masked else np.ones(X.shape, dtype=bool)
        for j in range(X.shape[1]):
            F[rows, self._offsets[j] + X[:, j]] = active[:, j]
        return F

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.integers(0, self.sizes, size=(n, len(self.sizes)))

    def signature(self) -> str:
        return json.dumps(self.params, sort_keys=True, default=str)
