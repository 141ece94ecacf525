"""Incremental updates of a fitted recommender's interaction matrix (implicit's `partial_fit_users` /
`partial_fit_items` semantics): the given rows REPLACE those users' (items') whole histories, ids at or
beyond the current count add new users (items), and the gap, if any, is filled with empty rows.

`Change` describes what an update did to the matrix, so that a model can update its fitted sums in time
proportional to the change: with D = R_new - R_old (R_old zero-padded to the new shape), the co-occurrence
matrix changes by

    R_new^T R_new - R_old^T R_old = R_old^T D + D^T R_new

and only the touched users (rows of D) contribute to either product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError, DataError
from learnless.recommend.inputs import as_user_items


@dataclass
class Change:
    old: sp.csr_matrix  # the previous train matrix, zero-padded to the new shape
    new: sp.csr_matrix  # the train matrix after the update (binary float64 CSR)
    users: np.ndarray  # users whose rows differ
    items: np.ndarray  # items whose columns differ
    new_items: int  # how many items the update added to the catalogue

    def cooccurrence_delta(self, dtype=np.float64) -> sp.csr_matrix:
        """G_new - G_old (items x items, exact integers), from the touched users' rows only."""
        old_t = self.old[self.users].astype(dtype)
        new_t = self.new[self.users].astype(dtype)
        diff = new_t - old_t
        delta = (old_t.T @ diff) + (diff.T @ new_t)
        delta = sp.csr_matrix(delta)
        delta.eliminate_zeros()
        return delta


def _ids(ids, name: str) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(ids)).reshape(-1)
    if arr.size == 0:
        raise ConfigError(f"{name}: the update is empty (no ids given)")
    if arr.dtype.kind not in "iu":
        raise ConfigError(f"{name}: expected integer ids, got {arr.dtype} values (e.g. {arr[0]!r})")
    arr = arr.astype(np.int64)
    if (arr < 0).any():
        raise ConfigError(f"{name}: ids must be >= 0, got {int(arr[arr < 0][0])}")
    if np.unique(arr).size != arr.size:
        raise ConfigError(f"{name}: an id is listed twice")
    return arr


def replace_rows(R: sp.csr_matrix, ids, rows, *, ids_name: str, rows_name: str, col_name: str,
                 grow_hint: str) -> sp.csr_matrix:
    """R with rows `ids` replaced by `rows` (one row per id), growing R for ids beyond its row count.
    `rows` may have fewer columns than R (padded); more is refused: those would be unknown columns."""
    ids = _ids(ids, ids_name)
    if not sp.issparse(rows):
        raise ConfigError(f"{rows_name}: expected a scipy sparse matrix, got {type(rows).__name__}")
    if rows.shape[0] != ids.size:
        raise ConfigError(f"{rows_name}: expected one row per id ({ids.size}), got {rows.shape[0]} rows")
    if rows.shape[1] > R.shape[1]:
        raise DataError(f"{rows_name}: names {col_name} {R.shape[1]}..{rows.shape[1] - 1}, beyond the "
                        f"{R.shape[1]} known; {grow_hint}")
    rows = sp.csr_matrix(rows)
    if rows.shape[1] < R.shape[1]:
        rows = sp.csr_matrix((rows.data, rows.indices, rows.indptr), shape=(rows.shape[0], R.shape[1]))
    rows = _binary(rows, rows_name)
    n_rows = max(R.shape[0], int(ids.max()) + 1)
    keep = np.ones(n_rows, dtype=bool)
    keep[ids] = False
    old = _pad(R, (n_rows, R.shape[1]))
    kept = sp.diags(keep.astype(np.float64)) @ old
    placed = sp.csr_matrix((np.ones(ids.size), (ids, np.arange(ids.size))), shape=(n_rows, ids.size)) @ rows
    out = sp.csr_matrix(kept + placed)
    out.eliminate_zeros()
    out.sort_indices()
    return out


def _binary(rows: sp.csr_matrix, name: str) -> sp.csr_matrix:
    if rows.shape[1] == 0:
        return sp.csr_matrix(rows, dtype=np.float64)
    if rows.shape[0] == 0 or rows.nnz == 0:
        out = sp.csr_matrix(rows.shape, dtype=np.float64)
        return out
    return as_user_items(rows, name=name)


def _pad(R: sp.csr_matrix, shape) -> sp.csr_matrix:
    if R.shape == tuple(shape):
        return R
    coo = R.tocoo()
    return sp.csr_matrix((coo.data, (coo.row, coo.col)), shape=shape)


def change(old: sp.csr_matrix, new: sp.csr_matrix) -> Change:
    padded = _pad(old, new.shape)
    diff = sp.csr_matrix(new - padded)
    diff.eliminate_zeros()
    users = np.flatnonzero(np.diff(diff.indptr))
    items = np.unique(diff.indices)
    return Change(padded, new, users, items, new.shape[1] - old.shape[1])


def user_update(R: sp.csr_matrix, userids, user_items) -> Change:
    new = replace_rows(R, userids, user_items, ids_name="userids", rows_name="user_items", col_name="items",
                       grow_hint="add them first with partial_fit_items")
    return change(R, new)


def item_update(R: sp.csr_matrix, itemids, item_users) -> Change:
    new_t = replace_rows(sp.csr_matrix(R.T), itemids, item_users, ids_name="itemids", rows_name="item_users",
                         col_name="users", grow_hint="add them first with partial_fit_users")
    return change(R, sp.csr_matrix(new_t.T))
