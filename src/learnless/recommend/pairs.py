"""Bulk membership tests for (row, column) pairs of a sparse matrix, without densifying it.

Each stored entry becomes one int64 key row * n_cols + col; a CSR matrix with sorted indices yields them
already
sorted, so a batch of queries is one binary search. Used to find test hits among ranked items and to reject
sampled negatives that are positives.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


class PairSet:
    """The (row, col) pairs stored in a sparse matrix."""

    def __init__(self, matrix: sp.spmatrix):
        m = sp.csr_matrix(matrix)
        if not m.has_canonical_format:  # sorted, duplicate-free indices; on a copy, not the caller's matrix
            m = m.copy()
            m.sum_duplicates()
        self.n_cols = m.shape[1]
        self.keys = (
            np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr)) * self.n_cols + m.indices
        )

    def contains(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Elementwise: is (rows[...], cols[...]) a stored pair (broadcast shapes; negative cols are
        never)."""
        rows, cols = np.broadcast_arrays(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))
        if self.keys.size == 0:
            return np.zeros(rows.shape, dtype=bool)
        q = rows * self.n_cols + np.maximum(cols, 0)
        found = self.keys[np.minimum(np.searchsorted(self.keys, q), self.keys.size - 1)] == q
        return found & (cols >= 0)
