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
        self.inverse_diagonal_ = diag.astype(np.float64)  # diag(P): P = (I - B) diag

    def _update(self, change):
        # G + lambda I changes by Delta = G_new - G_old, nonzero on the items S that a touched user added,
        # removed or kept beside a change. When |S| <= n/4, Woodbury on the k = |S| block is exact and costs
        # ~2 n^2 k flops against the refactorisation's ~n^3:
        #   P' = P - Q X Q^T,  Q = P[:, S],  X = (Delta_SS^-1 + P_SS)^-1 = Delta_SS (I + P_SS Delta_SS)^-1
        # and B' = I - P' diag(1/d') with d' = diag(P'); P itself is never stored: P = (I - B) diag(d).
        # New items enter first as items without interactions (their block of P is I / lambda, B = 0).
        # Larger changes refactorise (a refit).
        new = change.new
        n = new.shape[1]
        delta = change.cooccurrence_delta(np.float64)
        S = np.unique(delta.nonzero()[0])
        if S.size == 0 and not change.new_items:
            self.last_update_ = "woodbury (rank 0)"
            return
        legacy = not hasattr(self, "inverse_diagonal_")  # saved before updates existed: diag(P) unknown
        if legacy or 4 * S.size > n or n > MAX_LAPACK_ITEMS or self.memory_gb(n) > self.max_memory_gb:
            self._fit(new, None)
            self.last_update_ = f"refit (rank {S.size} of {n})"
            return
        B, d = self.weights_, self.inverse_diagonal_
        if change.new_items:
            grown = np.zeros((n, n), dtype=B.dtype)
            grown[: B.shape[0], : B.shape[1]] = B
            B = grown
            d = np.concatenate([d, np.full(change.new_items, 1.0 / self.l2)])
        Q = -B[:, S].astype(np.float64) * d[S][None, :]
        Q[S, np.arange(S.size)] = d[S]
        M = delta[S][:, S].toarray()
        X = np.linalg.solve(np.eye(S.size) + M @ Q[S], M).T  # M (I + P_SS M)^-1, symmetric in exact terms
        X = (X + X.T) / 2
        QX = Q @ X
        d_new = d - np.einsum("ij,ij->i", QX, Q)
        scale = d / d_new
        for r0 in range(0, n, 256):  # B' = I - (I - B) diag(d / d') + Q X Q^T diag(1 / d'), by row blocks
            r1 = min(r0 + 256, n)
            block = B[r0:r1].astype(np.float64)
            rows = np.arange(r0, r1)
            block[rows - r0, rows] -= 1.0
            block *= scale[None, :]
            block[rows - r0, rows] += 1.0
            block += (QX[r0:r1] @ Q.T) / d_new[None, :]
            block[rows - r0, rows] = 0.0
            B[r0:r1] = block
        self.weights_ = B
        self.inverse_diagonal_ = d_new
        self.last_update_ = f"woodbury (rank {S.size} of {n})"

    def explain(self, userid, itemid, N: int = 10):
        from learnless.recommend.explain import explain_by_item_weights

        return explain_by_item_weights(self, userid, itemid, N, lambda i: self.weights_[:, i])

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
