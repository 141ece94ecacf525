"""Âᵏ X for k = 0..K, computed once per (graph, depth) and cached: the input of every decoupled model and of
the smoothness measures. Depends on nothing else in classify, so smoothness and propagation both build on
it."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError
from learnless.graph import normalize_adjacency, propagate
from learnless.memory import available_memory, format_bytes

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
    refuse_if_too_large(hops_nbytes(*np.shape(x), hops), f"prop_depth={hops}: all {hops + 1} propagated hops")
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


def hops_nbytes(n_nodes: int, n_features: int, hops: int) -> int:
    """Bytes of the (hops+1, n, f) float32 array `propagated_hops` returns."""
    return (int(hops) + 1) * int(n_nodes) * int(n_features) * 4


def refuse_if_too_large(nbytes: int, what: str) -> None:
    """A ConfigError naming the estimate when `nbytes` exceeds the available RAM: refusing before allocating
    beats being killed by the kernel an hour later."""
    free = available_memory()
    if free is not None and nbytes > free:
        raise ConfigError(
            f"{what} need ~{format_bytes(nbytes)} of memory, more than the "
            f"{format_bytes(free)} available; choose a smaller depth (or DGMLP's "
            "propagation='streaming', whose memory does not grow with the depth)"
        )
