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

    def _columns(self, R, targets: np.ndarray, spill=None) -> sp.csc_matrix:
        """The pruned cosine columns of `targets` (items x len(targets)): co-occurrence counts over the
        product of the item norms, each column's `neighbours` largest kept.

        spill(rows, targets, values): if given, also called per block with every UNPRUNED value, as
        (row item, target item, cosine) triples; the cosine is symmetric (and a * b == b * a in floating
        point), so these are also the values of the target items' rows in the other items' columns."""
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
            if spill is not None:
                spill(r, block[c], v)
            cols.append(_prune_columns(r, c, v, block.size, int(self.neighbours), n))
        if not cols:
            return sp.csc_matrix((n, 0))
        return sp.csc_matrix(sp.hstack(cols))

    def _update(self, change):
        # Exact, and in time proportional to the changed items' columns rather than to the catalogue:
        # - a column j of an item whose interactions changed (its norm or counts) is recomputed whole;
        # - any other column j changes only in the rows of changed items (an unchanged pair keeps its count
        #   and both norms, hence the very same float), and those rows' new values are the symmetric
        #   entries of the recomputed columns. So j's new top-k is the top-k of {its kept unchanged rows}
        #   + {changed rows' new values}, provided at least `neighbours` of these rank at or ahead of j's
        #   old boundary (its last kept entry by (value desc, row asc), the order pruning uses): every row
        #   not among them was behind that boundary and still is. A column where a kept changed row fell
        #   behind it without enough replacements is recomputed whole.
        new = change.new
        n, k = new.shape[1], int(self.neighbours)
        changed = np.asarray(change.items, dtype=np.int64)
        is_changed = np.zeros(n, bool)
        is_changed[changed] = True
        current = sp.csc_matrix(self.similarity_)
        if current.shape != (n, n):
            coo = current.tocoo()
            current = sp.csc_matrix((coo.data, (coo.row, coo.col)), shape=(n, n))
        old = current.tocoo()
        # every unchanged column's old boundary (-value, row) and how many entries it kept
        order = np.lexsort((old.row, -old.data, old.col))
        o_row, o_col, o_val = old.row[order], old.col[order], old.data[order]
        kept = np.bincount(o_col, minlength=n)
        last = np.full(n, -1)
        last[o_col] = np.arange(o_col.size)  # the last index per column wins: its boundary entry
        full = kept >= k  # columns that pruned something (or exactly filled k): their boundary counts
        b_val, b_row = np.zeros(n), np.full(n, -1, dtype=np.int64)
        b_val[full], b_row[full] = o_val[last[full]], o_row[last[full]]

        spilled_r, spilled_c, spilled_v = [], [], []

        def spill(rows, targets, values):
            # the changed items' rows in unchanged columns: (column = row item, row = changed target item),
            # only those at or ahead of that column's boundary (the rest cannot enter its top-k)
            col, row = rows, targets
            ok = ~is_changed[col]
            ahead = ~full[col] | (values > b_val[col]) | ((values == b_val[col]) & (row <= b_row[col]))
            ok &= ahead
            spilled_r.append(row[ok])
            spilled_c.append(col[ok])
            spilled_v.append(values[ok])

        recomputed = self._columns(new, changed, spill=spill)
        # candidates of the unchanged columns: their kept unchanged rows, plus the spilled changed rows
        stay = ~is_changed[o_col] & ~is_changed[o_row]
        r = np.concatenate([o_row[stay], *spilled_r]).astype(np.int64)
        c = np.concatenate([o_col[stay], *spilled_c]).astype(np.int64)
        v = np.concatenate([o_val[stay], *spilled_v])
        counts = np.bincount(c, minlength=n)
        fallback = np.flatnonzero(full & ~is_changed & (counts < k))
        drop = np.isin(c, fallback)
        merged = _prune_columns(r[~drop], c[~drop], v[~drop], n, k, n)
        merged = merged @ sp.diags((~is_changed).astype(float))  # changed columns come from `recomputed`
        parts = [merged, _place(recomputed, changed, n)]
        if fallback.size:
            parts.append(_place(self._columns(new, fallback), fallback, n))
        updated = sp.csr_matrix(sum(parts[1:], parts[0]))
        updated.eliminate_zeros()
        updated.sort_indices()
        self.similarity_ = updated
        self.last_update_ = (f"{changed.size} changed and {fallback.size} other of {n} similarity columns "
                             f"recomputed, the rest merged")

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


def _place(columns: sp.csc_matrix, at: np.ndarray, n: int) -> sp.csc_matrix:
    """An n x n matrix holding `columns` at the column indices `at`."""
    place = sp.csr_matrix((np.ones(at.size), (np.arange(at.size), at)), shape=(at.size, n))
    return sp.csc_matrix(columns @ place)
