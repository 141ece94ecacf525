"""Item-based k-nearest-neighbour CF with cosine similarity (Sarwar et al., WWW 2001; Deshpande & Karypis,
TOIS 2004): score(u, j) = sum of sim(i, j) over the user's items i among j's `neighbours` most similar
items."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import scipy.sparse as sp

from learnless.base import non_negative, positive_int
from learnless.recommend.base import Recommender
from learnless.runtime.progress import progress


class ItemKNN(Recommender):
    """neighbours: similar items kept per item (100, the usual default); shrink: added to the cosine
    denominator (0 = plain cosine)."""

    name = "itemknn"

    def __init__(self, neighbours: int = 100, shrink: float = 0.0, block: int = 2048):
        self.neighbours = neighbours
        self.shrink = shrink
        self.block = block

    _parameter_constraints: ClassVar[dict] = {
        "neighbours": [positive_int],
        "shrink": [non_negative],
        "block": [positive_int],
    }

    def _model_bytes(self, n_users, n_items, nnz):
        kept = n_items * min(int(self.neighbours), n_items)  # the top-neighbour similarity matrix
        return 2 * 12 * kept + 8 * n_items * min(n_items, 4096)  # and one dense block of similarities

    def _fit(self, R, val):
        Rc = sp.csc_matrix(R)
        Rt = sp.csr_matrix(R.T)
        norms = np.sqrt(np.asarray(R.sum(axis=0)).ravel())
        n = R.shape[1]
        cols = []
        for start in progress(range(0, n, self.block), "itemknn similarities"):
            stop = min(start + self.block, n)
            co = (Rt @ Rc[:, start:stop]).tocoo()  # co-occurrence counts, items x block
            keep = co.row != co.col + start  # no self-similarity
            r, c, v = co.row[keep], co.col[keep], co.data[keep]
            v = v / (norms[r] * norms[c + start] + self.shrink + 1e-12)
            cols.append(_prune_columns(r, c, v, stop - start, int(self.neighbours), n))
        self.similarity_ = sp.hstack(cols).tocsr()

    def _score(self, users):
        return self._score_rows(self.train_[users])

    def _score_rows(self, rows):
        return np.asarray((rows @ self.similarity_).toarray(), dtype=np.float64)

    def _similar(self, items):
        # column j of similarity_ holds j's kept neighbours (the cosine is symmetric before pruning)
        return self.similarity_[:, items].T.toarray()


def _prune_columns(rows, cols, vals, n_cols, k, n_rows) -> sp.csc_matrix:
    """Keep the k largest entries of every column (ties: lower row index)."""
    order = np.lexsort((rows, -vals, cols))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(cols, np.arange(n_cols))
    rank = np.arange(cols.size) - starts[cols]
    keep = rank < k
    return sp.csc_matrix((vals[keep], (rows[keep], cols[keep])), shape=(n_rows, n_cols))
