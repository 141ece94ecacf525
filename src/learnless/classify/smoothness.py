"""Node and Graph Smoothness Levels (NSL / GSL) of DGMLP (Zhang et al., 2021, Sec. 3).

NSL_v(k) = α·(1 − β) with α = cos(x_v⁽ᵏ⁾, x_v⁽⁰⁾) (how much of the node's own features is left) and
β = cos(x_v⁽ᵏ⁾, x_v⁽∞⁾) (how close the node already is to the over-smoothed stationary state).
GSL(k) is the mean of NSL_v(k) over nodes.

The stationary state of Â = D̃^-1/2 (A+I) D̃^-1/2 on a connected component c is the rank-one matrix
Â^∞_ij = (d_i+1)^r (d_j+1)^(1−r) / Σ_{u∈c}(d_u+1) with r = 1/2; on a connected graph the denominator is 2m+n.

Conventions for the cases that would divide by zero: a cosine with a zero vector is 0. So a node whose
features are all zero has NSL 0 at every k, and an isolated node (its own component, with its self-loop)
has x⁽ᵏ⁾ = x⁽∞⁾ = x⁽⁰⁾, hence β = 1 and NSL 0: propagation can neither smooth nor help it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from learnless.classify.hops import propagated_hops
from learnless.errors import ConfigError, DataError


def stationary_state(adj: sp.spmatrix, x: np.ndarray, r: float = 0.5) -> np.ndarray:
    """x⁽∞⁾ = Â^∞ X, computed per connected component without forming the n x n matrix.

    `adj` is the raw adjacency (unnormalised); the degrees are its row sums + 1 for the added self-loop.
    """
    adj = sp.csr_matrix(adj)
    x = np.asarray(x, dtype=np.float32)
    if x.shape[0] != adj.shape[0]:
        raise DataError(f"x: has {x.shape[0]} rows but the adjacency has {adj.shape[0]} nodes")
    # D̃ = rowsum(A + I), exactly the degrees `normalize_adjacency(kind="sym")` divides by.
    deg = np.asarray(adj.sum(axis=1), dtype=np.float64).ravel() + 1.0
    _, comp = connected_components(adj, directed=False)
    n_comp = comp.max() + 1
    total = np.bincount(comp, weights=deg, minlength=n_comp)                      # Σ_{u∈c}(d_u+1)
    # Σ_{j∈c} (d_j+1)^(1−r) x_j for every component, then scale per node by (d_i+1)^r / total.
    right = deg ** (1.0 - r)
    indicator = sp.csr_matrix((right.astype(np.float32), (comp, np.arange(len(comp)))),
                              shape=(n_comp, len(comp)))
    comp_sum = np.asarray(indicator @ x, dtype=np.float32)
    scale = (deg ** r / total[comp]).astype(np.float32)
    return comp_sum[comp] * scale[:, None]


def row_cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine similarity; 0 where either row is the zero vector (no division by zero)."""
    dot = np.einsum("ij,ij->i", a, b, dtype=np.float64)
    na = np.sqrt(np.einsum("ij,ij->i", a, a, dtype=np.float64))
    nb = np.sqrt(np.einsum("ij,ij->i", b, b, dtype=np.float64))
    return _safe_cos(dot, na * nb)


def _safe_cos(dot: np.ndarray, norms: np.ndarray) -> np.ndarray:
    out = np.zeros_like(dot, dtype=np.float64)
    ok = norms > 0
    out[ok] = dot[ok] / norms[ok]
    return np.clip(out, -1.0, 1.0)


def nsl_from_hops(hops: np.ndarray, x_inf: np.ndarray) -> np.ndarray:
    """NSL for every hop and node: `hops` is (K+1, n, f) with hops[k] = Âᵏ X. Returns (K+1, n) float32."""
    hops = np.asarray(hops)
    if hops.ndim != 3:
        raise ConfigError(f"hops: expected a (K+1, n, f) array, got shape {hops.shape}")
    out = np.empty(hops.shape[:2], dtype=np.float32)
    for k in range(hops.shape[0]):
        alpha = row_cosine(hops[k], hops[0])
        beta = row_cosine(hops[k], x_inf)
        out[k] = alpha * (1.0 - beta)
    return out


class SmoothnessAccumulator:
    """NSL from a stream of column blocks (`learnless.graph.propagate.iter_propagate`): cosines only need
    per-row dot products and squared norms, which add up over column chunks. Memory: 4 (K+1) x n floats."""

    def __init__(self, n: int, hops: int, x_inf: np.ndarray):
        self.x_inf = x_inf
        self.dot0 = np.zeros((hops + 1, n))
        self.dotinf = np.zeros((hops + 1, n))
        self.sq = np.zeros((hops + 1, n))
        self.sq_inf = np.zeros(n)
        self._x0 = None

    def add(self, cols: slice, k: int, block: np.ndarray) -> None:
        inf = self.x_inf[:, cols]
        if k == 0:
            self._x0 = block.copy()
            self.sq_inf += np.einsum("ij,ij->i", inf, inf, dtype=np.float64)
        self.dot0[k] += np.einsum("ij,ij->i", block, self._x0, dtype=np.float64)
        self.dotinf[k] += np.einsum("ij,ij->i", block, inf, dtype=np.float64)
        self.sq[k] += np.einsum("ij,ij->i", block, block, dtype=np.float64)

    def nsl(self) -> np.ndarray:
        norm_k = np.sqrt(self.sq)
        alpha = _safe_cos(self.dot0, norm_k * norm_k[0][None, :])
        beta = _safe_cos(self.dotinf, norm_k * np.sqrt(self.sq_inf)[None, :])
        return (alpha * (1.0 - beta)).astype(np.float32)


def nsl(adj: sp.spmatrix, x: np.ndarray, max_depth: int, r: float = 0.5) -> np.ndarray:
    """NSL_v(k) for k = 0..max_depth and every node v: a (max_depth+1, n) float32 array."""
    if not isinstance(max_depth, (int, np.integer)) or max_depth < 0:
        raise ConfigError(f"max_depth must be an integer >= 0, got {max_depth!r}")
    hops = propagated_hops(adj, x, int(max_depth))
    return nsl_from_hops(hops, stationary_state(adj, x, r))


def gsl(adj: sp.spmatrix, x: np.ndarray, max_depth: int, r: float = 0.5) -> np.ndarray:
    """GSL(k) = mean_v NSL_v(k) for k = 0..max_depth: a (max_depth+1,) float64 array."""
    return nsl(adj, x, max_depth, r).mean(axis=1, dtype=np.float64)
