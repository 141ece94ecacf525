"""`.npz` graphs: the gnn-benchmark collection (Shchur et al.) and yandex-research/heterophilous-graphs.

Only plain arrays are read (`allow_pickle=False`): object arrays in the file (metadata) are ignored, never
unpickled. Adjacency is symmetrised, binarised and stripped of self-loops, as both sources' papers do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.errors import DataError, MissingFileError
from learnless.graph.containers import Graph


def _open(path: Path):
    if not path.exists():
        raise MissingFileError(f"{path}: missing .npz graph file")
    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:  # zipfile/format errors: a truncated or foreign file
        raise DataError(f"{path}: not a readable .npz file ({exc})") from exc


def _csr(z, prefix: str, path: Path) -> sp.csr_matrix:
    for sep in ("_", "."):
        keys = [f"{prefix}{sep}{k}" for k in ("data", "indices", "indptr", "shape")]
        if all(k in z.files for k in keys):
            data, indices, indptr, shape = (z[k] for k in keys)
            return sp.csr_matrix((data, indices, indptr), shape=tuple(shape))
    raise DataError(f"{path}: no CSR matrix '{prefix}' (expected keys {prefix}_data/indices/indptr/shape)")


def _clean_adjacency(a: sp.spmatrix) -> sp.csr_matrix:
    a = sp.csr_matrix(a, dtype=np.float32)
    a = a.maximum(a.T).tocsr()
    a.setdiag(0)
    a.eliminate_zeros()
    a.data[:] = 1.0
    return a


def read_gnn_benchmark_npz(path: str | Path, name: str | None = None) -> Graph:
    """gnn-benchmark `adj_*`/`attr_*`/`labels` (or ppnp's `adj_matrix.*`/`attr_matrix.*`). No published split:
    masks are None; use `learnless.data.splits` to draw one."""
    path = Path(path)
    with _open(path) as z:
        adj_prefix = "adj" if "adj_data" in z.files else "adj_matrix"
        attr_prefix = "attr" if "attr_data" in z.files else "attr_matrix"
        adj = _clean_adjacency(_csr(z, adj_prefix, path))
        x = _csr(z, attr_prefix, path).toarray()
        if "labels" not in z.files:
            raise DataError(f"{path}: missing key 'labels'")
        y = z["labels"].astype(np.int64)
    return Graph(adj, x, y, name=name or path.stem, meta={"format": "npz", "split": None})


def read_heterophilous_npz(path: str | Path, name: str | None = None) -> Graph:
    """yandex-research/heterophilous-graphs: node_features, node_labels, edges, and 10 published splits
    (masks of shape n x 10; `graph.split(i)` selects one)."""
    path = Path(path)
    with _open(path) as z:
        need = ("node_features", "node_labels", "edges")
        for k in need:
            if k not in z.files:
                raise DataError(f"{path}: missing key {k!r}")
        x, y, edges = z["node_features"], z["node_labels"].astype(np.int64), z["edges"]
        n = x.shape[0]
        if edges.ndim != 2 or edges.shape[1] != 2:
            raise DataError(f"{path}: 'edges' must have shape (m, 2), got {edges.shape}")
        if edges.size and (edges.min() < 0 or edges.max() >= n):
            raise DataError(f"{path}: edge endpoint out of range for {n} nodes")
        adj = _clean_adjacency(sp.coo_matrix((np.ones(len(edges), np.float32), (edges[:, 0], edges[:, 1])),
                                             shape=(n, n)))
        masks = [z[k].T if k in z.files else None for k in ("train_masks", "val_masks", "test_masks")]
    return Graph(adj, x, y, *masks, name=name or path.stem, meta={"format": "npz", "split": "published x10"})
