"""GTE, the Graph Topology Encoder of Cai et al. (CIKM 2023): a learning-less GNN recommender.

The official code keeps dense representations, items one-hot (I_0 = identity) and users zero (U_0 = 0), and
runs k parameter-free layers that update both sides from the old values:

    U_{t+1} = R I_t + U_t,      I_{t+1} = R^T U_t + I_t          (R: raw 0/1 users x items train matrix)

Stacking X = [U; I], one layer is X <- (Id + A) X with A = [[0, R], [R^T, 0]], so X_k = (Id + A)^k X_0 =
sum_j C(k, j) A^j X_0. The user rows of A^j X_0 are (R R^T)^((j-1)/2) R for odd j and 0 for even j, hence

    U_k = sum_{j odd <= k} C(k, j) (R R^T)^((j-1)/2) R          (k=3: R R^T R + 3 R)

Entry (u, i) counts walks of each odd length j <= k from u to i, weighted by C(k, j). We evaluate this per
block of users with sparse products in float64: the counts are exact integers (up to 2^53), so ties are real
ties, and memory is O(block x n_items) instead of the official n_users x n_items + n_items^2 floats.
"""

from __future__ import annotations

from math import comb

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError
from learnless.recommend.base import Recommender

# Above this fill ratio a block's walk counts are kept dense: sparse bookkeeping would cost more than it saves.
_DENSE_FILL = 0.15


class GTE(Recommender):
    """Learning-less recommender: score(u, i) = U_k[u, i] of the official propagation, computed exactly.

    Parameters
    ----------
    k : number of propagation layers (>= 1). The paper and the official code use k = 3.
    max_cooccurrence_nnz : fit precomputes the item x item co-occurrence R^T R (sparse, exact integers) when
        its entry count stays below this (then a length-2 step is one product); above it, every step
        multiplies by R^T and R in turn, using less memory and more time.
    """

    name = "gte"

    def __init__(self, k: int = 3, max_cooccurrence_nnz: int = 100_000_000):
        self.k = k
        self.max_cooccurrence_nnz = max_cooccurrence_nnz

    def _validate_params(self):
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ConfigError(f"k: number of GTE layers must be an integer >= 1, got {self.k!r}")

    def _fit(self, R, val):
        # Nothing is learned. Counts are kept as integers: R in int32; R^T R in int32 while its row sums
        # (an upper bound of every entry of R_B R^T R) fit, else int64.
        self.coefficients_ = {j: comb(self.k, j) for j in range(1, self.k + 1, 2)}
        self.train_int_ = R.astype(np.int32)
        self.train_t_ = sp.csr_matrix(self.train_int_.T)
        self.cooccurrence_ = None
        if self.k >= 3:
            item_deg = np.diff(self.train_t_.indptr).astype(np.int64)
            user_deg = np.diff(self.train_int_.indptr).astype(np.int64)
            bound = int(item_deg @ item_deg)  # sum_i deg(i)^2 >= nnz(R^T R)
            if bound <= self.max_cooccurrence_nnz:
                safe32 = int(user_deg.max(initial=0)) * int(item_deg.max(initial=0)) < 2**31
                G = self.train_t_ @ self.train_int_
                self.cooccurrence_ = G.astype(np.int32 if safe32 else np.int64)

    def _score(self, users):
        return gte_scores(self.train_int_, self.train_t_, users, self.k, self.cooccurrence_)


def gte_scores(R: sp.csr_matrix, Rt: sp.csr_matrix, users: np.ndarray, k: int,
               cooccurrence: sp.csr_matrix | None = None) -> np.ndarray:
    """U_k[users] as a dense float64 block, via the closed form (walks of odd length j <= k, weight C(k, j)).
    `cooccurrence` = R^T R, if precomputed, makes each length-2 step one sparse product."""
    n_items = R.shape[1]
    walks = R[users]  # odd length 1: the block's own edges
    # The block's scores are dense in the end; accumulate into one float64 array. `toarray` sums a product's
    # entries whatever their order, so no (costly) index sorting is ever needed.
    total = walks.toarray().astype(np.float64)
    total *= comb(k, 1)
    for j in range(3, k + 1, 2):
        if j >= 5 and sp.issparse(walks):
            walks = walks.astype(np.float64)  # longer walks may exceed int32; float64 is exact to 2^53
        if sp.issparse(walks) and walks.nnz > _DENSE_FILL * walks.shape[0] * n_items:
            walks = walks.toarray().astype(np.float64)
        if sp.issparse(walks):
            walks = walks @ cooccurrence if cooccurrence is not None else (walks @ Rt) @ R
            total += comb(k, j) * walks.toarray()
        else:
            step = cooccurrence.T @ walks.T if cooccurrence is not None else Rt @ (R @ walks.T)
            walks = np.ascontiguousarray(step.T, dtype=np.float64)
            total += comb(k, j) * walks
    return total
