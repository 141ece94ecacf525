"""Validation carved out of train, so early stopping never looks at the test set."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError


def carve_validation(R: sp.csr_matrix, fraction: float = 0.1, seed: int = 0):
    """(train_part, val_part): for every user with >= 2 train items, a random `fraction` of them (at least
    one, never all) moves to validation. Users with one item keep it in train."""
    if not 0 < fraction < 1:
        raise ConfigError(f"val_fraction: must be in (0, 1), got {fraction}")
    rng = np.random.default_rng(seed)
    R = sp.csr_matrix(R)
    deg = np.diff(R.indptr)
    n_val = np.where(deg >= 2, np.clip(np.rint(fraction * deg), 1, deg - 1), 0).astype(np.int64)
    # one random key per stored entry; within each row the n_val smallest keys go to validation
    keys = rng.random(R.nnz)
    row = np.repeat(np.arange(R.shape[0]), deg)
    order = np.lexsort((keys, row))
    rank = np.empty(R.nnz, dtype=np.int64)
    rank[order] = np.arange(R.nnz) - np.repeat(R.indptr[:-1], deg)
    to_val = rank < n_val[row]
    cols = R.indices
    mk = lambda m: sp.csr_matrix((np.ones(m.sum()), (row[m], cols[m])), shape=R.shape)
    return mk(~to_val), mk(to_val)
