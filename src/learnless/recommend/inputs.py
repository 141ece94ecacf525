"""Turning what a user hands a recommender (Interactions or a sparse matrix, id lists) into checked arrays."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError, DataError
from learnless.graph.containers import Interactions


class DuplicateInteractionsWarning(UserWarning):
    """Repeated (user, item) pairs or counts > 1 were collapsed to a single 0/1 interaction."""


def as_user_items(data, name: str = "train") -> sp.csr_matrix:
    """A binary users x items CSR (float64) from Interactions (its train matrix) or any scipy sparse matrix.

    Duplicates (the same pair listed twice, or a stored count above 1) are deduplicated with a
    DuplicateInteractionsWarning: GTE counts paths, and a doubled edge would double them.
    """
    if isinstance(data, Interactions):
        m = data.train
    elif sp.issparse(data):
        m = data
    else:
        raise ConfigError(
            f"{name}: expected Interactions or a scipy sparse users x items matrix, got {type(data).__name__}"
        )
    coo = sp.coo_matrix(m)
    if coo.shape[0] == 0 or coo.shape[1] == 0:
        raise DataError(
            f"{name}: the interaction matrix is empty ({coo.shape[0]} users x {coo.shape[1]} items)"
        )
    if coo.nnz and (not np.all(np.isfinite(coo.data)) or (coo.data < 0).any()):
        raise DataError(f"{name}: interaction values must be finite and >= 0")
    keep = coo.data != 0
    rows, cols = coo.row[keep], coo.col[keep]
    key = rows.astype(np.int64) * coo.shape[1] + cols
    n_unique = np.unique(key).size
    n_dup = int(rows.size - n_unique) + int((coo.data[keep] > 1).sum())
    if n_dup:
        warnings.warn(
            f"{name}: {n_dup} duplicate interactions (repeated pairs or counts > 1) were deduplicated to 0/1",
            DuplicateInteractionsWarning,
            stacklevel=3,
        )
    out = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=coo.shape, dtype=np.float64)
    out.sum_duplicates()
    out.data[:] = 1.0
    out.sort_indices()
    return out


def check_user_ids(user_ids, n_users: int) -> np.ndarray:
    """int64 array of row positions; a clear error naming the unknown ids otherwise."""
    arr = np.atleast_1d(np.asarray(user_ids))
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise ConfigError(f"user_ids: expected integer user positions, got dtype {arr.dtype}")
    arr = arr.astype(np.int64).reshape(-1)
    bad = arr[(arr < 0) | (arr >= n_users)]
    if bad.size:
        shown = ", ".join(str(b) for b in bad[:5]) + (" ..." if bad.size > 5 else "")
        raise ConfigError(
            f"user_ids: {bad.size} unknown user id(s) ({shown}); valid ids are 0..{n_users - 1}"
        )
    return arr


def check_topk(topk, n_items: int) -> list[int]:
    """Sorted, de-duplicated cut-offs, each in 1..n_items."""
    ks = sorted({int(k) for k in np.atleast_1d(topk)})
    if not ks:
        raise ConfigError("topk: at least one cut-off is needed")
    for k in ks:
        if k < 1:
            raise ConfigError(f"topk: cut-off must be >= 1, got {k}")
        if k > n_items:
            raise ConfigError(f"topk: cut-off {k} is larger than the catalogue ({n_items} items)")
    return ks
