"""1-WL colour refinement (Weisfeiler-Lehman), the test behind GNN expressiveness arguments."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def wl_colors(adj: sp.spmatrix, initial: np.ndarray | None = None, iterations: int | None = None,
              ) -> list[np.ndarray]:
    """Colour refinement on an undirected graph.

    Returns the node colours of every iteration, starting with the initial colouring (all equal by default).
    Colours are small consecutive ints, canonical within one call: two nodes share a colour at iteration t
    exactly when 1-WL cannot tell them apart after t rounds. Stops early once the partition is stable
    (the list then ends with the stable colouring), or after `iterations` rounds.
    """
    a = sp.csr_matrix(adj)
    n = a.shape[0]
    colors = np.zeros(n, dtype=np.int64) if initial is None else _relabel(np.asarray(initial))
    history = [colors]
    max_rounds = n if iterations is None else iterations
    for _ in range(max_rounds):
        new = _refine(a, colors)
        history.append(new)
        if new.max(initial=-1) == colors.max(initial=-1):  # partition only ever refines: equal count = stable
            break
        colors = new
    return history


def _refine(a: sp.csr_matrix, colors: np.ndarray) -> np.ndarray:
    # signature of a node = (own colour, multiset of neighbour colours); hash the multiset exactly by
    # sorting each row's neighbour colours and keying on the tuple.
    keys = {}
    out = np.empty(a.shape[0], dtype=np.int64)
    indptr, indices = a.indptr, a.indices
    for v in range(a.shape[0]):
        neigh = np.sort(colors[indices[indptr[v]:indptr[v + 1]]])
        key = (int(colors[v]), neigh.tobytes())
        out[v] = keys.setdefault(key, len(keys))
    return _relabel(out)


def _relabel(colors: np.ndarray) -> np.ndarray:
    """Consecutive ints in order of first appearance, so colourings compare by equality."""
    _, first, inverse = np.unique(colors, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)
