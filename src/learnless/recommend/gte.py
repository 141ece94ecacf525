"""GTE, the Graph Topology Encoder of Cai et al. (CIKM 2023): a learning-less GNN recommender.

The official code keeps dense representations, items one-hot (I_0 = identity) and users zero (U_0 = 0), and
runs k parameter-free layers that update both sides from the old values:

    U_{t+1} = R I_t + U_t,      I_{t+1} = R^T U_t + I_t          (R: raw 0/1 users x items train matrix)

Stacking X = [U; I], one layer is X <- (Id + A) X with A = [[0, R], [R^T, 0]], so X_k = (Id + A)^k X_0 =
sum_j C(k, j) A^j X_0. The user rows of A^j X_0 are (R R^T)^((j-1)/2) R for odd j and 0 for even j, hence

    U_k = sum_{j odd <= k} C(k, j) (R R^T)^((j-1)/2) R          (k=3: R R^T R + 3 R)

Entry (u, i) counts walks of each odd length j <= k from u to i, weighted by C(k, j). With G = R^T R this is
R_B (C(k,1) I + C(k,3) G + C(k,5) G^2 + ...) for a block of users B, which we evaluate Horner-style from the
left (h <- h G + c R_B), sparse while the block's walks are sparse; for k = 3 fit precomputes G + 3I so a
block
is one sparse product (k = 4: 4G + 4I). Memory is O(block x n_items) instead of the official
n_users x n_items + n_items^2 floats.

The counts are integers. fit bounds the largest one (total walk counts, which bound every entry and every
intermediate) and scores in float32 when that bound is below 2^24, else in float64 (exact to 2^53): either way
the scores are the exact counts, so ties are real ties.
"""

from __future__ import annotations

import warnings
from math import comb
from typing import ClassVar

import numpy as np
import scipy.sparse as sp

from learnless.base import Integral, Interval
from learnless.errors import ConfigError
from learnless.recommend.base import Recommender

# Above this fill ratio a block's walk counts are kept dense: sparse bookkeeping would cost more than it
# saves.
_DENSE_FILL = 0.15
_FLOAT32_EXACT = 2**24
_FLOAT64_EXACT = 2**53


class GTE(Recommender):
    """Learning-less recommender: score(u, i) = U_k[u, i] of the official propagation, computed exactly.

    Parameters
    ----------
    k : number of propagation layers (>= 1). The paper and the official code use k = 3.
    max_cooccurrence_nnz : fit precomputes the item x item co-occurrence G = R^T R (sparse) when its entry
        count stays below this (then a length-2 step is one product); above it, every step multiplies by R^T
        and R in turn, using less memory and more time.

    Fitted attributes: `dtype_` (float32 when every count is below 2^24, else float64), `count_bound_` (an
    upper bound of every score), `step_` (C(k,3) G + C(k,1) I for k = 3, 4, so that a block is one product;
    else None), `cooccurrence_` (G for k >= 5; None for k < 5 or when G is too large to precompute).
    """

    name = "gte"

    def __init__(self, k: int = 3, max_cooccurrence_nnz: int = 100_000_000):
        self.k = k
        self.max_cooccurrence_nnz = max_cooccurrence_nnz

    _parameter_constraints: ClassVar[dict] = {
        # beyond ~1000 layers the binomial weights C(k, j) overflow a float64
        "k": [Interval(Integral, 1, 1000, closed="both")],
        "max_cooccurrence_nnz": [Interval(Integral, 0, None, closed="left")],
    }

    def _validate_extra(self):
        if isinstance(self.k, bool):  # bool is an Integral to Python; a layer count it is not
            raise ConfigError(f"k: number of GTE layers must be an integer >= 1, got {self.k!r}")

    def _model_bytes(self, n_users, n_items, nnz):
        # the co-occurrence G (kept when its bound fits max_cooccurrence_nnz) and one dense scoring block
        g = min(int(self.max_cooccurrence_nnz), n_items * n_items, (nnz * nnz) // max(n_users, 1) + n_items)
        return 2 * 12 * g + 8 * min(n_users, 1024) * n_items

    def _fit(self, R, val):
        # Nothing is learned: choose the exact dtype and precompute what every block reuses.
        self.count_bound_ = walk_count_bound(R, self.k)
        if self.count_bound_ >= _FLOAT64_EXACT:
            warnings.warn(
                f"GTE k={self.k}: walk counts may exceed 2^53; scores lose exactness and ties may be "
                "broken by rounding",
                stacklevel=3,
            )
        self.dtype_ = np.dtype(np.float32 if self.count_bound_ < _FLOAT32_EXACT else np.float64)
        self.train_w_ = R.astype(self.dtype_)
        self.train_t_ = sp.csr_matrix(self.train_w_.T)
        self.cooccurrence_ = self.step_ = self.overflow_ = None
        if self.k >= 3:
            item_deg = np.diff(self.train_t_.indptr).astype(np.int64)
            if int(item_deg @ item_deg) <= self.max_cooccurrence_nnz:  # sum_i deg(i)^2 >= nnz(R^T R)
                G = (self.train_t_ @ self.train_w_).tocsr()
                if self.k in (3, 4):
                    # Two odd terms: a block's scores are R_B (C(k,3) G + C(k,1) I), one product; G itself is
                    # then not needed (keeping both would double the largest thing GTE holds).
                    eye = sp.identity(G.shape[0], dtype=self.dtype_, format="csr")
                    self.step_ = (comb(self.k, 3) * G + comb(self.k, 1) * eye).tocsr()
                else:
                    self.cooccurrence_ = G

    def _update(self, change):
        # The graph changes only through R and G = R^T R; G changes by R_old^T D + D^T R_new, computed
        # from the touched users' rows alone, so the cost follows the change (plus O(nnz) copies of R and
        # R^T and, for the sparse sum, of G). Both are exact integer sums: the result equals a refit bit for
        # bit. A change of dtype (counts crossing 2^24) or of the precomputation choice refits.
        R = change.new
        bound = walk_count_bound(R, self.k)
        dtype = np.dtype(np.float32 if bound < _FLOAT32_EXACT else np.float64)
        precomputed = self.step_ is not None or self.cooccurrence_ is not None
        item_deg = np.bincount(R.indices, minlength=R.shape[1]).astype(np.int64)
        if dtype != self.dtype_ or precomputed != (self.k >= 3 and int(item_deg @ item_deg)
                                                   <= self.max_cooccurrence_nnz):
            self.last_update_ = "refit"
            self._fit(R, None)
            return
        self.last_update_ = "incremental"
        self.count_bound_ = bound
        self.train_w_ = R.astype(self.dtype_)
        self.train_t_ = sp.csr_matrix(self.train_w_.T)
        if not precomputed:
            return
        delta = change.cooccurrence_delta(self.dtype_)
        n = R.shape[1]
        current = self.step_ if self.step_ is not None else self.cooccurrence_
        if change.new_items:
            indptr = np.concatenate([current.indptr, np.full(change.new_items, current.nnz)])
            current = sp.csr_matrix((current.data, current.indices, indptr), shape=(n, n))
            if self.step_ is not None:  # new items get the identity term of C(k,3) G + C(k,1) I
                fresh = np.arange(n - change.new_items, n)
                delta = delta + sp.csr_matrix((np.full(fresh.size, comb(self.k, 1) / comb(self.k, 3)),
                                               (fresh, fresh)), shape=(n, n))
        scale = comb(self.k, 3) if self.step_ is not None else 1
        missing = add_in_place(current, sp.csr_matrix(scale * delta, dtype=self.dtype_))
        # Entries G did not hold yet go to a small overflow matrix that scoring adds (exact: integer sums),
        # merged into G once it holds 2 % of G's entries, so an update never copies all of G.
        previous = getattr(self, "overflow_", None)
        overflow = missing if previous is None else sp.csr_matrix(_grow(previous, n) + missing)
        if overflow.nnz > 0.02 * current.nnz:
            current = sp.csr_matrix(current + overflow)
            overflow = None
        elif overflow.nnz == 0:
            overflow = None
        self.overflow_ = overflow
        if self.step_ is not None:
            self.step_ = current
        else:
            self.cooccurrence_ = current

    @property
    def _ranks_unseen(self) -> bool:
        """Whether `_top_unseen` ranks by the fused kernel (k = 3, 4 and numba installed)."""
        from learnless.recommend import kernels

        return self.k in (3, 4) and kernels.available()

    def _top_unseen(self, users, n: int):
        """The exact top-n unseen items of `users` (ids, scores) by the fused kernel, or None (see
        `_ranks_unseen`): the caller then ranks dense scores."""
        from learnless.recommend import kernels

        if not self._ranks_unseen:
            return None
        return kernels.gte_top_unseen(self.train_w_, self.train_t_, users, n, float(comb(self.k, 3)))

    def explain(self, userid, itemid, N: int = 10):
        from learnless.recommend.explain import explain_gte

        return explain_gte(self, userid, itemid, N)

    def _score(self, users):
        return gte_scores(self.train_w_, self.train_t_, users, self.k, self.cooccurrence_, self.step_,
                          overflow=getattr(self, "overflow_", None))

    def _score_rows(self, rows):
        # A user's history walked through the fitted graph: a fitted user's own row gives exactly its fitted
        # scores; a new user's items are not added to the graph (no refit), so its own walks back through
        # itself are missing.
        return gte_scores(self.train_w_, self.train_t_, None, self.k, self.cooccurrence_, self.step_,
                          base=sp.csr_matrix(rows, dtype=self.dtype_),
                          overflow=getattr(self, "overflow_", None))

    def _similar(self, items):
        # item-item co-occurrence: how many users hold both items (the length-2 walks of the graph)
        return (self.train_t_[items] @ self.train_w_).toarray().astype(np.float64)


def add_in_place(A: sp.csr_matrix, delta: sp.csr_matrix) -> sp.csr_matrix:
    """Add `delta`'s entries that A already stores into A, in place (a binary search each, so the cost
    follows delta, not A); return the others as a CSR of A's shape. Entries that reach 0 stay stored."""
    delta = sp.csr_matrix(delta)
    delta.sum_duplicates()
    at = np.zeros(delta.nnz, dtype=np.int64)
    a_ptr, d_ptr = A.indptr.tolist(), delta.indptr.tolist()  # Python ints: a lean loop over delta's rows
    for r in np.flatnonzero(np.diff(delta.indptr)).tolist():
        a0, d0, d1 = a_ptr[r], d_ptr[r], d_ptr[r + 1]
        at[d0:d1] = a0 + np.searchsorted(A.indices[a0:a_ptr[r + 1]], delta.indices[d0:d1])
    rows = np.repeat(np.arange(delta.shape[0]), np.diff(delta.indptr))
    inside = at < A.indptr[rows + 1]
    found = inside & (A.indices[np.where(inside, at, 0)] == delta.indices)
    A.data[at[found]] += delta.data[found]
    rest = delta.copy()
    rest.data[found] = 0
    rest.eliminate_zeros()
    return rest


def _grow(m: sp.csr_matrix, n: int) -> sp.csr_matrix:
    if m.shape == (n, n):
        return m
    indptr = np.concatenate([m.indptr, np.full(n - m.shape[0], m.nnz)])
    return sp.csr_matrix((m.data, m.indices, indptr), shape=(n, n))


def walk_count_bound(R: sp.spmatrix, k: int) -> float:
    """An upper bound of every GTE count: sum over odd j <= k of C(k, j) x the most walks of length j from one
    user. Total walks bound each entry, and they never decrease with j (a walk extends by i -> u' -> i), so
    the bound also covers every partial sum of the Horner evaluation."""
    R = sp.csr_matrix(R, dtype=np.float64)
    reach = np.ones(R.shape[1])  # walks of length j-1 from each item back to an item, summed
    bound = 0.0
    for j in range(1, k + 1, 2):
        bound += comb(k, j) * float((R @ reach).max(initial=0.0))
        reach = R.T @ (R @ reach)
    return bound


def gte_scores(
    R: sp.csr_matrix,
    Rt: sp.csr_matrix,
    users: np.ndarray,
    k: int,
    cooccurrence: sp.csr_matrix | None = None,
    step: sp.csr_matrix | None = None,
    base: sp.csr_matrix | None = None,
    overflow: sp.csr_matrix | None = None,
) -> np.ndarray:
    """U_k[users] as a dense block in R's dtype, via the closed form R_B sum_j C(k, j) G^((j-1)/2), j odd <=
    k.

    Horner from the left: h = C(k, top) R_B, then h <- h G + C(k, j) R_B for the lower odd j. `cooccurrence`
    (G = R^T R) makes each G-step one product, else it is (h R^T) R; `step` = C(k,3) G + C(k,1) I (k = 3, 4)
    makes the whole block one product. R's dtype must represent every count exactly. `base` (rows of
    interactions in R's dtype) replaces R[users]: the same walks from a given history. `overflow` holds
    entries of `step` / `cooccurrence` kept apart by incremental updates: the matrix used is their sum."""
    n_items = R.shape[1]
    if base is None:
        base = R[users]
    odd = list(range(1, k + 1, 2))
    if len(odd) == 1:
        return base.toarray() * comb(k, 1)
    if step is not None and len(odd) == 2:
        out = base @ step
        return (out + base @ overflow if overflow is not None else out).toarray()
    h = base * comb(k, odd[-1])
    base_dense = None  # densified once, when h turns dense
    for j in reversed(odd[:-1]):
        if sp.issparse(h) and h.nnz > _DENSE_FILL * h.shape[0] * n_items:
            h = h.toarray()
            base_dense = base.toarray()
        if sp.issparse(h):
            walked = h @ cooccurrence if cooccurrence is not None else (h @ Rt) @ R
            if overflow is not None and cooccurrence is not None:
                walked = walked + h @ overflow
            h = walked + comb(k, j) * base
        else:
            walked = cooccurrence.T @ h.T if cooccurrence is not None else Rt @ (R @ h.T)
            if overflow is not None and cooccurrence is not None:
                walked = walked + overflow.T @ h.T
            h = np.ascontiguousarray(walked.T, dtype=R.dtype)
            h += comb(k, j) * base_dense
    return h.toarray() if sp.issparse(h) else h
