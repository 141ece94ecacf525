"""Feature transforms applied before any model (the Planetoid protocol of GCN, SGC and DGMLP's code)."""

from __future__ import annotations

import dataclasses

import numpy as np

from learnless.graph import Graph


def row_normalize(graph: Graph) -> Graph:
    """Features scaled so every row sums to 1 (rows of zeros stay zero), as in Kipf & Welling's
    preprocessing."""
    x = graph.x
    s = np.abs(x).sum(axis=1, keepdims=True)
    x = np.divide(x, s, out=np.zeros_like(x), where=s > 0).astype(np.float32)
    return dataclasses.replace(graph, x=x, meta={**graph.meta, "features": "row-normalized"})
