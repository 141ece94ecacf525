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
    """

    name = "gte"

    def __init__(self, k: int = 3):
        self.k = k

    def _validate_params(self):
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ConfigError(f"k: number of GTE layers must be an integer >= 1, got {self.k!r}")

    def _fit(self, R, val):
        # Nothing is learned: keep R and R^T in CSR so both products of a step are row-major.
        self.train_t_ = sp.csr_matrix(R.T)
        self.coefficients_ = {j: comb(self.k, j) for j in range(1, self.k + 1, 2)}

    def _score(self, users):
        return gte_scores(self.train_, self.train_t_, users, self.k)


def gte_scores(R: sp.csr_matrix, Rt: sp.csr_matrix, users: np.ndarray, k: int) -> np.ndarray:
    """U_k[users] as a dense float64 block, via the closed form (walks of odd length j <= k, weight C(k, j))."""
    n_items = R.shape[1]
    walks = R[users]  # odd length 1: the block's own edges
    out = np.zeros((len(users), n_items))
    _add(out, walks, comb(k, 1))
    for j in range(3, k + 1, 2):
        if sp.issparse(walks) and walks.nnz > _DENSE_FILL * walks.shape[0] * n_items:
            walks = walks.toarray()
        if sp.issparse(walks):
            walks = (walks @ Rt) @ R  # users -> users (length 2) -> items (length 3)
        else:
            walks = np.ascontiguousarray((Rt @ (R @ walks.T)).T)  # same product, dense block
        _add(out, walks, comb(k, j))
    return out


def _add(out: np.ndarray, walks, weight: int) -> None:
    if sp.issparse(walks):
        walks.sum_duplicates()  # canonical CSR: each (row, col) once, so fancy-index += is exact
        c = walks.tocoo()
        out[c.row, c.col] += weight * c.data
    else:
        out += weight * walks
