"""Adjacency normalisations used by propagation-based models."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError

NORMALIZATIONS = ("sym", "rw", "none")


def normalize_adjacency(adj: sp.spmatrix, kind: str = "sym", self_loops: bool = True) -> sp.csr_matrix:
    """Return a float32 CSR propagation matrix.

    kind="sym":  D̃^-1/2 (A + I) D̃^-1/2  (GCN / SGC / DGMLP),
    kind="rw":   D̃^-1 (A + I)           (row-stochastic random walk),
    kind="none": A (+ I if self_loops).
    Rows with zero degree (isolated nodes without a self-loop) stay zero instead of dividing by zero.
    """
    if kind not in NORMALIZATIONS:
        raise ConfigError(f"normalization: unknown kind {kind!r}; expected one of "
                          f"{', '.join(NORMALIZATIONS)}")
    a = sp.csr_matrix(adj, dtype=np.float32)
    if self_loops:
        a = a + sp.eye(a.shape[0], dtype=np.float32, format="csr")
    if kind == "none":
        return a.tocsr()
    deg = np.asarray(a.sum(axis=1), dtype=np.float64).ravel()
    with np.errstate(divide="ignore"):
        if kind == "sym":
            d = np.where(deg > 0, deg ** -0.5, 0.0).astype(np.float32)
            out = sp.diags(d) @ a @ sp.diags(d)
        else:
            d = np.where(deg > 0, 1.0 / deg, 0.0).astype(np.float32)
            out = sp.diags(d) @ a
    out = sp.csr_matrix(out, dtype=np.float32)
    out.sort_indices()
    return out
