"""Planetoid `ind.<name>.{x,y,tx,ty,allx,ally,graph,test.index}` files (Yang et al., ICML 2016), public split.

Follows PyTorch Geometric's reader: test nodes are reordered to their index, CiteSeer's 15 isolated test
nodes (absent from tx/ty) get zero features and no label (-1 here; PyG gives them class 0 but no mask uses
them), self-loops and duplicate edges are dropped, and the split is 20 per class / 500 / 1000.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.data.safe_pickle import safe_load
from learnless.errors import DataError, MissingFileError
from learnless.graph.containers import Graph

PARTS = ("x", "y", "tx", "ty", "allx", "ally", "graph")


def planetoid_files(name: str) -> list[str]:
    return [f"ind.{name}.{p}" for p in PARTS] + [f"ind.{name}.test.index"]


def read_planetoid(folder: str | Path, name: str) -> Graph:
    folder = Path(folder)
    for fname in planetoid_files(name):
        if not (folder / fname).exists():
            raise MissingFileError(f"{folder / fname}: missing Planetoid file")
    obj = {p: safe_load(folder / f"ind.{name}.{p}", encoding="latin1") for p in PARTS}
    test_index = _read_index(folder / f"ind.{name}.test.index")
    sorted_test = np.sort(test_index)

    _, tx, allx = (sp.csr_matrix(obj[k], dtype=np.float32) for k in ("x", "tx", "allx"))
    y, ty, ally = (np.asarray(obj[k]) for k in ("y", "ty", "ally"))
    if name.lower() == "citeseer":
        # Isolated test nodes are missing from tx/ty: extend with zero rows so indices line up.
        span = sorted_test.max() - sorted_test.min() + 1
        tx_ext = sp.lil_matrix((span, tx.shape[1]), dtype=np.float32)
        tx_ext[sorted_test - sorted_test.min(), :] = tx
        tx = tx_ext.tocsr()
        ty_ext = np.zeros((span, ty.shape[1]), dtype=ty.dtype)
        ty_ext[sorted_test - sorted_test.min(), :] = ty
        ty = ty_ext

    features = sp.vstack([allx, tx]).tolil()
    features[test_index, :] = features[sorted_test, :]
    onehot = np.vstack([ally, ty])
    onehot[test_index, :] = onehot[sorted_test, :]
    labels = np.where(onehot.sum(axis=1) > 0, onehot.argmax(axis=1), -1).astype(np.int64)

    n = features.shape[0]
    adj = _adjacency(obj["graph"], n, folder / f"ind.{name}.graph")
    train = np.zeros(n, bool)
    train[: y.shape[0]] = True
    val = np.zeros(n, bool)
    val[y.shape[0]: y.shape[0] + 500] = True
    test = np.zeros(n, bool)
    test[sorted_test] = True
    return Graph(adj, features.tocsr().toarray(), labels, train, val, test, name=name,
                 meta={"format": "planetoid", "split": "public"})


def _read_index(path: Path) -> np.ndarray:
    out = []
    with open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(int(line))
            except ValueError as exc:
                raise DataError(f"{path}:{lineno}: expected an integer node index, "
                                f"got {line[:40]!r}") from exc
    return np.asarray(out, dtype=np.int64)


def _adjacency(graph: dict, n: int, source: Path) -> sp.csr_matrix:
    rows, cols = [], []
    for u, neighbours in graph.items():
        for v in neighbours:
            rows.append(u)
            cols.append(v)
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    if rows.size and (rows.max() >= n or cols.max() >= n or min(rows.min(), cols.min()) < 0):
        raise DataError(f"{source}: edge endpoint out of range for {n} nodes")
    keep = rows != cols
    a = sp.coo_matrix((np.ones(keep.sum(), np.float32), (rows[keep], cols[keep])), shape=(n, n)).tocsr()
    a = a.maximum(a.T).tocsr()
    a.data[:] = 1.0
    return a
