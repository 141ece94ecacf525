"""Parameter-free propagation for the decoupled models, cached per (graph, depth), and DGMLP's
node-adaptive combination — in memory for small graphs, streamed over column chunks for large ones."""

from __future__ import annotations

import itertools
from collections import OrderedDict

import numpy as np
import scipy.sparse as sp

from learnless.classify.smoothness import SmoothnessAccumulator, nsl_from_hops, stationary_state
from learnless.errors import ConfigError
from learnless.graph import normalize_adjacency, propagate
from learnless.graph.propagate import iter_propagate

# (id(adj), id(x)) -> (adj, x, hops array). The entry holds adj and x themselves, so their ids cannot be
# reused by other objects while cached. A request for fewer hops than cached is served by slicing.
_CACHE: OrderedDict = OrderedDict()
_CACHE_ENTRIES = 2
_CACHE_MAX_BYTES = 2 * 2**30


def clear_cache() -> None:
    _CACHE.clear()


def propagated_hops(adj: sp.spmatrix, x: np.ndarray, hops: int) -> np.ndarray:
    """H with H[k] = Âᵏ X, k = 0..hops, Â = D̃^-1/2 (A+I) D̃^-1/2; (hops+1, n, f) float32, cached."""
    if not isinstance(hops, (int, np.integer)) or hops < 0:
        raise ConfigError(f"prop_depth must be an integer >= 0, got {hops!r}")
    key = (id(adj), id(x))
    hit = _CACHE.get(key)
    if hit is not None and hit[2].shape[0] > hops:
        _CACHE.move_to_end(key)
        return hit[2][: hops + 1]
    out = propagate(normalize_adjacency(adj, "sym"), x, int(hops), chunk_size=_chunk(x))
    if out.nbytes <= _CACHE_MAX_BYTES:
        _CACHE[key] = (adj, x, out)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_ENTRIES:
            _CACHE.popitem(last=False)
    return out


def _chunk(x: np.ndarray, budget_bytes: int = 2**30) -> int:
    """All columns in one chunk when the two working buffers fit 1 GiB: every extra chunk re-reads Â."""
    n, f = np.shape(x)
    return max(1, min(f, budget_bytes // (8 * max(n, 1))))


def softmax_weights(nsl: np.ndarray, temperature: float) -> np.ndarray:
    """w_v(k) = softmax_k(NSL_v(k) / T) for an NSL array of shape (K+1, n)."""
    z = nsl.astype(np.float64) / temperature
    z -= z.max(axis=0, keepdims=True)
    w = np.exp(z)
    return (w / w.sum(axis=0, keepdims=True)).astype(np.float32)


def adaptive_features(adj: sp.spmatrix, x: np.ndarray, hops: int, temperature: float, r: float = 0.5
                      ) -> tuple[np.ndarray, np.ndarray]:
    """x̂_v = Σ_k w_v(k) x_v⁽ᵏ⁾ in memory. Returns (x̂ (n, f), weights (K+1, n))."""
    h = propagated_hops(adj, x, hops)
    w = softmax_weights(nsl_from_hops(h, stationary_state(adj, x, r)), temperature)
    return np.einsum("kn,knf->nf", w, h).astype(np.float32), w


def adaptive_features_streaming(adj: sp.spmatrix, x: np.ndarray, hops: int, temperature: float,
                                r: float = 0.5, chunk_size: int | None = None
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


def adaptive_features_distributed(adj: sp.spmatrix, x: np.ndarray, hops: int, temperature: float,
                                  executor, r: float = 0.5, chunks: int | None = None
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
    outs = executor.map(_chunk_combine, [(b, w) for b in blocks], shared=shared, description="propagate: combine")
    return np.concatenate(outs, axis=1), w
