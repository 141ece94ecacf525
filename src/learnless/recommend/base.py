"""What every recommender shares: fit on a users x items matrix, score a block of users, recommend top-N."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.base import Estimator
from learnless.errors import ConfigError, NotFittedError
from learnless.recommend.inputs import as_user_items, check_user_ids
from learnless.recommend.ranking import top_n

__all__ = ["NotFittedError", "Recommender"]


class Recommender(Estimator):
    """Base class. Subclasses declare `_parameter_constraints`, implement `_fit(R, val)` (R: binary CSR
    float64) and `_score(users) -> dense float array` (float64, or float32 where that is exact: GTE's integer
    counts below 2^24).

    `fit` validates the hyper-parameters, stores the train matrix as `train_` (used to filter seen items) and
    returns self; `score` and `recommend` never change fitted state.
    """

    _abstract = True
    name = "recommender"

    def fit(self, interactions, val=None):
        self.validate()
        self.train_ = as_user_items(interactions)
        self.n_users_, self.n_items_ = self.train_.shape
        self._fit(self.train_, val)
        return self

    def _fit(self, R: sp.csr_matrix, val) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, users: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def score(self, user_ids) -> np.ndarray:
        """Dense (len(user_ids), n_items) float scores; higher is better. Seen items are NOT filtered."""
        self._check_fitted("train_")
        users = check_user_ids(user_ids, self.n_users_)
        if users.size == 0:
            return np.zeros((0, self.n_items_))
        return self._score(users)

    def recommend(self, user_ids, N: int = 20, filter_seen: bool = True):
        """(items, scores), each (len(user_ids), N): best first, ties broken by the lower item index.

        With filter_seen, a user's train items are never recommended; a user with fewer than N unseen items
        gets -1 / -inf in the remaining slots.
        """
        self._check_fitted("train_")
        if int(N) < 1 or int(N) > self.n_items_:
            raise ConfigError(f"N: must be in 1..{self.n_items_} (the catalogue size), got {N}")
        users = check_user_ids(user_ids, self.n_users_)
        scores = self.score(users)
        if filter_seen:
            seen = self.train_[users]
            scores[seen.nonzero()] = -np.inf
        items = top_n(scores, int(N))
        top_scores = np.take_along_axis(scores, np.maximum(items, 0), axis=1)
        top_scores[items < 0] = -np.inf
        return items, top_scores
