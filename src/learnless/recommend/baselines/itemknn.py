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
        self.similarity_ = sp.csr_matrix(self._columns(R, np.arange(R.shape[1])))

    def _columns(self, R, targets: np.ndarray) -> sp.csc_matrix:
        """The pruned cosine columns of `targets` (items x len(targets)): co-occurrence counts over the
        product of the item norms, each column's `neighbours` largest kept."""
        Rc = sp.csc_matrix(R)
        Rt = sp.csr_matrix(R.T)
        norms = np.sqrt(np.asarray(R.sum(axis=0)).ravel())
        n = R.shape[1]
        cols = []
        for start in progress(range(0, targets.size, self.block), "itemknn similarities"):
            block = targets[start:start + self.block]
            co = (Rt @ Rc[:, block]).tocoo()  # co-occurrence counts, items x block
            keep = co.row != block[co.col]  # no self-similarity
            r, c, v = co.row[keep], co.col[keep], co.data[keep]
            v = v / (norms[r] * norms[block[c]] + self.shrink + 1e-12)
            cols.append(_prune_columns(r, c, v, block.size, int(self.neighbours), n))
        if not cols:
            return sp.csc_matrix((n, 0))
        return sp.csc_matrix(sp.hstack(cols))

    def _update(self, change):
        # A column j of the pruned cosine changes only where a count G[a, j] or a norm changes, and each such
        # a is an added/removed item of a touched user; so only the items that co-occur (before or after)
        # with a changed item are recomputed, from the new matrix, by the code fit uses: the same exact
        # counts and the same float operations, hence the same pruned values.
        old, new = change.old, change.new
        holders = np.union1d(sp.csc_matrix(old)[:, change.items].indices,
                             sp.csc_matrix(new)[:, change.items].indices)
        affected = np.union1d(change.items, np.union1d(old[holders].indices, new[holders].indices))
        n = new.shape[1]
        self.last_update_ = f"{affected.size} of {n} similarity columns recomputed"
        current = sp.csc_matrix(self.similarity_)
        if current.shape != (n, n):
            coo = current.tocoo()
            current = sp.csc_matrix((coo.data, (coo.row, coo.col)), shape=(n, n))
        keep = np.ones(n)
        keep[affected] = 0.0
        place = sp.csr_matrix((np.ones(affected.size), (np.arange(affected.size), affected)),
                              shape=(affected.size, n))
        updated = current @ sp.diags(keep) + self._columns(new, affected.astype(np.int64)) @ place
        updated = sp.csr_matrix(updated)
        updated.eliminate_zeros()
        updated.sort_indices()
        self.similarity_ = updated

    def explain(self, userid, itemid, N: int = 10):
        from learnless.recommend.explain import explain_by_item_weights

        return explain_by_item_weights(self, userid, itemid, N, lambda i: self.similarity_[:, [i]].toarray()
                                       .ravel())

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
