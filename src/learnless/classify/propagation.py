"""Parameter-free propagation for the decoupled models, cached per (graph, depth), and DGMLP's
node-adaptive combination — in memory for small graphs, streamed over column chunks for large ones."""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp

from learnless.classify.hops import _chunk, clear_cache, propagated_hops
from learnless.classify.smoothness import SmoothnessAccumulator, nsl_from_hops, stationary_state
from learnless.graph import normalize_adjacency
from learnless.graph.propagate import iter_propagate

__all__ = [
    "adaptive_features",
    "adaptive_features_distributed",
    "adaptive_features_streaming",
    "clear_cache",
    "propagated_hops",
    "softmax_weights",
]


def softmax_weights(nsl: np.ndarray, temperature: float) -> np.ndarray:
    """w_v(k) = softmax_k(NSL_v(k) / T) for an NSL array of shape (K+1, n)."""
    z = nsl.astype(np.float64) / temperature
    z -= z.max(axis=0, keepdims=True)
    w = np.exp(z)
    return (w / w.sum(axis=0, keepdims=True)).astype(np.float32)


def adaptive_features(
    adj: sp.spmatrix, x: np.ndarray, hops: int, temperature: float, r: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """x̂_v = Σ_k w_v(k) x_v⁽ᵏ⁾ in memory. Returns (x̂ (n, f), weights (K+1, n))."""
    h = propagated_hops(adj, x, hops)
    w = softmax_weights(nsl_from_hops(h, stationary_state(adj, x, r)), temperature)
    return np.einsum("kn,knf->nf", w, h).astype(np.float32), w


def adaptive_features_streaming(
    adj: sp.spmatrix,
    x: np.ndarray,
    hops: int,
    temperature: float,
    r: float = 0.5,
    chunk_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The same x̂ without holding all hops: one streamed pass accumulates the NSL statistics, a second
    pass sums the hops with their weights. Peak memory ≈ x, x̂, x⁽∞⁾, the torch CSR copy of Â and two
    n x chunk buffers — independent of the depth."""
    x = np.asarray(x, dtype=np.float32)
    a = normalize_adjacency(adj, "sym")
    acc = SmoothnessAccumulator(x.shape[0], hops, stationary_state(adj, x, r))
    chunk_size = chunk_size or _chunk(x)
    for cols, k, block in iter_propagate(a, x, hops, chunk_size):
        acc.add(cols, k, block)
    w = softmax_weights(acc.nsl(), temperature)
    del acc
    out = np.zeros_like(x)
    for cols, k, block in iter_propagate(a, x, hops, chunk_size):
        out[:, cols] += w[k][:, None] * block
    return out, w


# --- the same combination with the column chunks spread over an executor (local pool or Ray) ---------------
# Columns are independent under propagation, so each worker owns a block of feature columns: pass 1 returns
# that block's NSL partial sums, the driver turns their total into weights, pass 2 returns each block's
# weighted sum. Only (K+1) x n statistics and the n x f result travel back.


def _chunk_stats(cols: tuple[int, int], shared) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a, x, x_inf, hops = shared
    sl = slice(*cols)
    acc = SmoothnessAccumulator(x.shape[0], hops, x_inf[:, sl])
    for _, k, block in iter_propagate(a, x[:, sl], hops, chunk_size=sl.stop - sl.start, threads=1):
        acc.add(slice(None), k, block)
    return acc.dot0, acc.dotinf, acc.sq, acc.sq_inf


def _chunk_combine(item, shared) -> np.ndarray:
    cols, w = item
    a, x, _, hops = shared
    sl = slice(*cols)
    out = np.zeros((x.shape[0], sl.stop - sl.start), dtype=np.float32)
    for _, k, block in iter_propagate(a, x[:, sl], hops, chunk_size=sl.stop - sl.start, threads=1):
        out += w[k][:, None] * block
    return out


def adaptive_features_distributed(
    adj: sp.spmatrix,
    x: np.ndarray,
    hops: int,
    temperature: float,
    executor,
    r: float = 0.5,
    chunks: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`adaptive_features` with column blocks propagated by `executor` (`learnless.runtime.get_executor`)."""
    x = np.asarray(x, dtype=np.float32)
    f = x.shape[1]
    chunks = max(1, min(f, chunks or executor.workers))
    bounds = np.linspace(0, f, chunks + 1).astype(int)
    blocks = [(int(s), int(e)) for s, e in itertools.pairwise(bounds) if e > s]
    shared = (normalize_adjacency(adj, "sym"), x, stationary_state(adj, x, r), hops)
    parts = executor.map(_chunk_stats, blocks, shared=shared, description="propagate: smoothness")
    acc = SmoothnessAccumulator.__new__(SmoothnessAccumulator)
    acc.dot0, acc.dotinf, acc.sq, acc.sq_inf = (sum(p[i] for p in parts) for i in range(4))
    w = softmax_weights(acc.nsl(), temperature)
    outs = executor.map(
        _chunk_combine, [(b, w) for b in blocks], shared=shared, description="propagate: combine"
    )
    return np.concatenate(outs, axis=1), w
