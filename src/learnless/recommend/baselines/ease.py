"""EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): closed-form item-item
weights B = I - P diag(1/diag(P)), P = (R^T R + lambda I)^-1, zero diagonal. Needs two dense n_items^2
float64 matrices, so it refuses catalogues whose Gram matrix would not fit in `max_memory_gb`."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError
from learnless.recommend.base import Recommender


class EASE(Recommender):
    """l2: the paper's lambda (500 in its experiments' range 200-1000); max_memory_gb: refuse beyond this."""

    name = "ease"

    def __init__(self, l2: float = 500.0, max_memory_gb: float = 6.0):
        self.l2 = l2
        self.max_memory_gb = max_memory_gb

    def _validate_params(self):
        if self.l2 <= 0:
            raise ConfigError(f"l2: must be > 0, got {self.l2}")

    @staticmethod
    def memory_gb(n_items: int) -> float:
        return 2 * 8 * n_items**2 / 2**30

    def _fit(self, R, val):
        n = R.shape[1]
        need = self.memory_gb(n)
        if need > self.max_memory_gb:
            raise ConfigError(f"EASE on {n} items needs ~{need:.1f} GB of dense item x item matrices, "
                              f"more than max_memory_gb={self.max_memory_gb}")
        gram = (R.T @ R).toarray()
        gram[np.diag_indices(n)] += self.l2
        P = np.linalg.inv(gram)
        del gram
        B = P / (-np.diag(P))
        B[np.diag_indices(n)] = 0.0
        self.weights_ = B

    def _score(self, users):
        return np.asarray(self.train_[users] @ self.weights_)
