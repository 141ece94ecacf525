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


SCALINGS = ("none", "row", "standardize")


def scale_features(x: np.ndarray, kind: str) -> np.ndarray:
    """Features scaled column- or row-wise before propagation: "none", "row" (rows sum to 1 in absolute
    value) or "standardize" (every column to mean 0, variance 1 over all nodes — unsupervised, so
    transductive use reads no label). A constant column becomes zero."""
    x = np.asarray(x, dtype=np.float32)
    if kind == "none":
        return x
    if kind == "row":
        s = np.abs(x).sum(axis=1, keepdims=True)
        return np.divide(x, s, out=np.zeros_like(x), where=s > 0).astype(np.float32)
    if kind == "standardize":
        mu = x.mean(axis=0, dtype=np.float64)
        sd = x.std(axis=0, dtype=np.float64)
        out = (x - mu) / np.where(sd > 0, sd, 1.0)
        return np.where(sd > 0, out, 0.0).astype(np.float32)
    raise ValueError(f"feature scaling must be one of {', '.join(SCALINGS)}, got {kind!r}")
