"""EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): closed-form item-item
weights B = I - P diag(1/diag(P)), P = (R^T R + lambda I)^-1, zero diagonal.

The inverse is taken in place in float32, in ONE dense n_items^2 matrix (numpy.linalg.inv needs two, in
float64): the Gram matrix is densified straight into Fortran order, factorised and inverted in place by
LAPACK potrf/potri (scipy, overwrite), and the weights overwrite it (read as its C-ordered transpose, which
is the same symmetric matrix); scoring multiplies float32 rows by it, so it is never upcast. torch's
Cholesky is ~2x faster here but copies its input even with out= (measured), which would double the peak.
float32 is safe because lambda (hundreds) dominates the diagonal, so the matrix is well conditioned (tested
against the float64 closed form). Cost: n_items^3 flops (potrf n^3/3 + potri 2n^3/3): 477 s at 26.8k items
and 631 s at 31.2k on this shared 2-core machine; memory 4 n_items^2 bytes.
Catalogues whose matrix would exceed `max_memory_gb`, or 32,767 items (where scipy's OpenBLAS crashed, see
MAX_LAPACK_ITEMS), are refused with a clear error."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from scipy.linalg import lapack

from learnless.base import positive
from learnless.errors import ConfigError, DataError
from learnless.recommend.base import Recommender

# scipy's bundled OpenBLAS (32-bit LAPACK interface) segfaulted in spotrf on a 40,981^2 float32 matrix
# (6.3 GiB) and worked at 31,232^2 (3.6 GiB): refuse matrices over 4 GiB rather than crash.
MAX_LAPACK_ITEMS = 32767


class EASE(Recommender):
    """l2: the paper's lambda (500, inside the 200-1000 range the paper reports); max_memory_gb: refuse
    beyond."""

    name = "ease"

    def __init__(self, l2: float = 500.0, max_memory_gb: float = 8.0):
        self.l2 = l2
        self.max_memory_gb = max_memory_gb

    _parameter_constraints: ClassVar[dict] = {"l2": [positive], "max_memory_gb": [positive]}

    @staticmethod
    def memory_gb(n_items: int) -> float:
        return 4 * n_items**2 / 2**30

    def _model_bytes(self, n_users, n_items, nnz):
        return 3 * 8 * n_items * n_items  # the Gram matrix, its inverse and the weights, dense

    def _fit(self, R, val):
        n = R.shape[1]
        need = self.memory_gb(n)
        if need > self.max_memory_gb:
            raise ConfigError(
                f"EASE on {n} items needs ~{need:.1f} GB for its dense item x item matrix, "
                f"more than max_memory_gb={self.max_memory_gb}"
            )
        if n > MAX_LAPACK_ITEMS:
            raise ConfigError(
                f"EASE on {n} items: its float32 matrix would exceed 4 GiB, where scipy's bundled "
                f"OpenBLAS potrf crashed (segfault at 40,981 items; 31,232 worked); at most "
                f"{MAX_LAPACK_ITEMS} items"
            )
        gram = (R.T @ R).astype(np.float32).toarray(order="F")
        gram[np.diag_indices(n)] += self.l2
        chol, info = lapack.spotrf(gram, lower=True, overwrite_a=True, clean=False)
        if info != 0:
            raise DataError(f"EASE: Cholesky failed (LAPACK info {info}); increase l2")
        P, info = lapack.spotri(chol, lower=True, overwrite_c=True)
        if info != 0:
            raise DataError(f"EASE: inverse failed (LAPACK info {info}); increase l2")
        _symmetrize_from_lower(P)
        P = P.T  # the same symmetric matrix as a C-ordered view: no copy
        diag = np.diag(P).copy()
        P /= -diag[None, :]  # B_ij = -P_ij / P_jj
        P[np.diag_indices(n)] = 0.0
        self.weights_ = P

    def _score(self, users):
        # float32 rows: a float64 sparse operand would make scipy upcast (copy) the whole weight matrix
        return self._score_rows(self.train_[users])

    def _score_rows(self, rows):
        return np.asarray(rows.astype(np.float32) @ self.weights_)  # float32, the weights' precision

    def _similar(self, items):
        # B[i, j]: how much holding item i raises the score of item j
        return self.weights_[items]


def _symmetrize_from_lower(P: np.ndarray, block: int = 1024) -> None:
    """potri fills one triangle: copy the lower into the upper, block by block (little extra memory)."""
    n = P.shape[0]
    for r0 in range(0, n, block):
        r1 = min(r0 + block, n)
        P[r0:r1, r1:] = P[r1:, r0:r1].T
        tile = P[r0:r1, r0:r1]
        P[r0:r1, r0:r1] = np.tril(tile) + np.tril(tile, -1).T
