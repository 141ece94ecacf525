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
    counts below 2^24), `_similar(items)` for `similar_items`, and `_score_rows(rows)` where a history can be
    scored without refitting (`recalculate_user`).

    `fit` validates the hyper-parameters, stores the train matrix as `train_` (used to filter seen items) and
    returns self; `score`, `recommend` and `similar_items` never change fitted state. The public methods
    follow implicit's `RecommenderBase`; `save` / `load` use a pickle-free `.npz`.
    """

    _abstract = True
    name = "recommender"

    def fit(self, interactions, val=None):
        self.validate()
        self.train_ = as_user_items(interactions)
        self.n_users_, self.n_items_ = self.train_.shape
        self._fit(self.train_, val)
        return self

    def memory_bytes(self, interactions, val=None) -> int:
        """Bytes of fitting on `interactions`, from the parameters and (users, items, interactions) only."""
        m = interactions.train if hasattr(interactions, "train") else interactions
        n_users, n_items = (int(d) for d in m.shape)
        nnz = int(m.nnz)
        return 3 * 12 * nnz + self._model_bytes(n_users, n_items, nnz)  # the CSR copies of R, then the model

    def _model_bytes(self, n_users: int, n_items: int, nnz: int) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit(self, R: sp.csr_matrix, val) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, users: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def partial_fit_users(self, userids, user_items):
        """Replace the histories of `userids` by the rows of `user_items` (sparse, one row per id; ids at or
        beyond n_users add users) and update the fitted state exactly: afterwards the model equals a refit on
        the new train matrix. Items beyond the catalogue are refused: add them with `partial_fit_items`.
        GTE, ItemKNN, EASE; returns self."""
        from learnless.recommend.updates import user_update

        self._check_fitted("train_")
        return self._apply(user_update(self.train_, userids, user_items))

    def partial_fit_items(self, itemids, item_users):
        """Replace the interactions of `itemids` by the rows of `item_users` (sparse, items x users; ids at or
        beyond n_items add items), exactly as a refit would. GTE, ItemKNN, EASE; returns self."""
        from learnless.recommend.updates import item_update

        self._check_fitted("train_")
        return self._apply(item_update(self.train_, itemids, item_users))

    def _apply(self, change):
        self._update(change)
        self.train_ = change.new
        self.n_users_, self.n_items_ = change.new.shape
        return self

    def _update(self, change) -> None:
        """Bring the fitted state to `change.new`; models that would have to retrain keep this refusal."""
        raise ConfigError(f"partial_fit: not supported by {type(self).__name__} (an exact update would be a "
                          "retraining); supported by GTE, ItemKNN and EASE")

    def explain(self, userid, itemid, N: int = 10):
        """Why `userid` gets `itemid`'s score: an Explanation whose contributions sum to the score."""
        raise ConfigError(f"explain: not supported by {type(self).__name__}; supported by GTE, ItemKNN, EASE")

    def score(self, user_ids) -> np.ndarray:
        """Dense (len(user_ids), n_items) float scores; higher is better. Seen items are NOT filtered."""
        self._check_fitted("train_")
        users = check_user_ids(user_ids, self.n_users_)
        if users.size == 0:
            return np.zeros((0, self.n_items_))
        return self._score(users)

    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        """Scores from interaction rows alone (recalculate_user); models that cannot do it without a refit
        keep this refusal."""
        raise ConfigError(f"recalculate_user: not supported by {type(self).__name__} (scoring a new history "
                          "would need a refit); supported by GTE, ItemKNN and EASE")

    def _similar(self, items: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Dense (len(items), n_items) item-item similarities, higher = more similar."""
        raise NotImplementedError

    def recommend(self, userid, user_items=None, N: int = 10, filter_already_liked_items: bool = True,
                  filter_items=None, recalculate_user: bool = False, items=None):
        """Top-N items for one user id (1-D `ids, scores`) or an array of ids (2-D, one row per id), as
        implicit's `RecommenderBase.recommend`: best first, ties broken by the lower item index.

        user_items : sparse (len(userid), n_items), one row per given id: the items filtered by
            `filter_already_liked_items` and, with `recalculate_user`, the history that is scored. None: the
            train rows of those users.
        recalculate_user : score each user from its `user_items` row alone, through the fitted model, without
            refitting (a new user's history). The ids are then only labels. GTE, ItemKNN, EASE.
        filter_items : item ids never returned. items : the only candidate item ids.

        Slots beyond the available candidates hold id -1 and score -inf.
        """
        self._check_fitted("train_")
        if int(N) < 1 or int(N) > self.n_items_:
            raise ConfigError(f"N: must be in 1..{self.n_items_} (the catalogue size), got {N}")
        single = np.ndim(userid) == 0
        n_rows = int(np.size(userid))
        if recalculate_user:
            if user_items is None:
                raise ConfigError("user_items: recalculate_user=True needs the users' interaction rows")
            users = None
        else:
            users = check_user_ids(userid, self.n_users_)
        rows = None
        if user_items is not None:
            rows = as_user_items(user_items, name="user_items")
            if rows.shape != (n_rows, self.n_items_):
                raise ConfigError(
                    f"user_items: expected one row per user id and one column per item, i.e. shape "
                    f"({n_rows}, {self.n_items_}), got {rows.shape}"
                )
        if n_rows == 0:
            scores = np.zeros((0, self.n_items_))
        elif recalculate_user:
            scores = np.array(self._score_rows(rows), copy=True)
        else:
            scores = self.score(users)
        scores = scores.astype(np.result_type(scores.dtype, np.float32), copy=False)
        if filter_already_liked_items:
            liked = rows if rows is not None else self.train_[users]
            scores[liked.nonzero()] = -np.inf
        if filter_items is not None:
            scores[:, self._item_ids(filter_items, "filter_items")] = -np.inf
        if items is not None:
            keep = np.zeros(self.n_items_, dtype=bool)
            keep[self._item_ids(items, "items")] = True
            scores[:, ~keep] = -np.inf
        ids, top = _top(scores, int(N))
        return (ids[0], top[0]) if single else (ids, top)

    def similar_items(self, itemid, N: int = 10, filter_items=None, items=None):
        """The N items most similar to `itemid` (1-D `ids, scores`) or to each of an array of ids (2-D).
        The item itself is not returned. GTE: co-occurrence counts; ItemKNN: its pruned cosine; EASE: the
        item's weights; BPR-MF / LightGCN: cosine of the item embeddings."""
        self._check_fitted("train_")
        if int(N) < 1 or int(N) >= self.n_items_:
            raise ConfigError(f"N: must be in 1..{self.n_items_ - 1} (the other items), got {N}")
        single = np.ndim(itemid) == 0
        query = self._item_ids(itemid, "itemid")
        if query.size:
            sims = np.array(self._similar(query), dtype=np.float64)
        else:
            sims = np.zeros((0, self.n_items_))
        sims[np.arange(query.size), query] = -np.inf
        if filter_items is not None:
            sims[:, self._item_ids(filter_items, "filter_items")] = -np.inf
        if items is not None:
            keep = np.zeros(self.n_items_, dtype=bool)
            keep[self._item_ids(items, "items")] = True
            sims[:, ~keep] = -np.inf
        ids, top = _top(sims, int(N))
        return (ids[0], top[0]) if single else (ids, top)

    def _item_ids(self, ids, name: str) -> np.ndarray:
        arr = np.atleast_1d(np.asarray(ids)).reshape(-1)
        if arr.size and arr.dtype.kind not in "iu":
            raise ConfigError(f"{name}: expected integer item ids, got dtype {arr.dtype}")
        arr = arr.astype(np.int64)
        bad = arr[(arr < 0) | (arr >= self.n_items_)]
        if bad.size:
            raise ConfigError(f"{name}: unknown item id(s) {', '.join(map(str, bad[:5]))}; valid ids are "
                              f"0..{self.n_items_ - 1}")
        return arr

    def save(self, path):
        """Write the fitted model to a `.npz` (no pickle): parameters as JSON, learned arrays as arrays."""
        from learnless.recommend.persist import save

        return save(self, path)

    @classmethod
    def load(cls, path):
        """A model written by `save`. Called on a subclass, a file holding another model is refused."""
        from learnless.recommend.persist import load

        return load(path, expected=cls)


def _top(scores: np.ndarray, n: int):
    ids = top_n(scores, n)
    top = np.take_along_axis(scores, np.maximum(ids, 0), axis=1)
    top[ids < 0] = -np.inf
    return ids, top
