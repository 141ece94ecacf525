"""Users' own node-classification graph as plain files in one folder:

- `edges.csv`: one edge per line, `source,target` (comma, tab or whitespace; header optional); node ids are
  integers 0..n-1. Edges are made undirected, duplicates and self-loops dropped.
- `features.npy`: an (n, f) float array (NumPy .npy, read with allow_pickle=False).
- `labels.csv` (optional): one label per line in node order, or `node,label` lines; labels may be integers or
  names (names are numbered in sorted order, kept in meta['classes']); an empty label means unknown (-1).

No split is read: draw one with `learnless.data.splits.random_split`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.errors import DataError, MissingFileError
from learnless.graph.containers import Graph

LABEL_HEADER = {"node", "node_id", "id", "label", "labels", "y", "class"}


def _fields(line: str) -> list[str]:
    for d in (",", "\t", ";"):
        if d in line:
            return [f.strip() for f in line.split(d)]
    return line.split()


def read_edge_list(path: Path, n: int) -> tuple[np.ndarray, np.ndarray]:
    if not path.exists():
        raise MissingFileError(f"{path}: missing edge list")
    src, dst = [], []
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            f = _fields(line)
            if len(f) < 2:
                raise DataError(f"{path}:{lineno}: expected 'source,target', got {line.strip()[:60]!r}")
            try:
                a, b = int(f[0]), int(f[1])
            except ValueError as exc:
                if not src and not any(ch.isdigit() for ch in f[0] + f[1]):
                    continue  # a header line
                raise DataError(f"{path}:{lineno}: node ids must be integers, "
                                f"got {line.strip()[:60]!r}") from exc
            if not (0 <= a < n and 0 <= b < n):
                raise DataError(f"{path}:{lineno}: node id out of range 0..{n - 1} (features.npy has {n} "
                                f"rows)")
            src.append(a)
            dst.append(b)
    return np.asarray(src, np.int64), np.asarray(dst, np.int64)


def read_labels(path: Path, n: int) -> tuple[np.ndarray, list[str] | None]:
    """Labels in node order (one per line; blank = unknown) or `node,label` lines; header optional."""
    raw: dict[int, str] = {}
    position = 0
    with open(path, encoding="utf-8-sig") as fh:
        lines = [ln.rstrip("\r\n") for ln in fh]
    for lineno, line in enumerate(lines, 1):
        f = _fields(line) if line.strip() else []
        if lineno == 1 and f and all(v.lower() in LABEL_HEADER for v in f):
            continue
        if len(f) >= 2:
            try:
                node = int(f[0])
            except ValueError as exc:
                raise DataError(f"{path}:{lineno}: node id {f[0][:30]!r} is not an integer") from exc
            label = f[1]
        else:
            node, label = position, (f[0] if f else "")
            position += 1
            if node >= n and label == "":
                continue
        if not 0 <= node < n:
            raise DataError(f"{path}:{lineno}: node id {node} out of range 0..{n - 1} (features.npy has {n} "
                            f"rows)")
        raw[node] = label
    values = [raw.get(v, "") for v in range(n)]
    known = [v for v in values if v != ""]
    if all(v.lstrip("-").isdigit() for v in known):
        return np.array([int(v) if v != "" else -1 for v in values], np.int64), None
    classes = sorted(set(known))
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index[v] if v != "" else -1 for v in values], np.int64), classes


def read_graph_files(folder: str | Path, name: str | None = None, directed: bool = False) -> Graph:
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError(f"{folder}: expected a folder holding edges.csv, features.npy [, labels.csv]")
    fpath = folder / "features.npy"
    if not fpath.exists():
        raise MissingFileError(f"{fpath}: missing node features")
    try:
        x = np.load(fpath, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise DataError(f"{fpath}: not a numeric .npy array ({exc})") from exc
    if x.ndim != 2 or x.dtype.kind not in "biuf":
        raise DataError(f"{fpath}: expected a 2-D numeric array, got shape {x.shape} dtype {x.dtype}")
    n = x.shape[0]
    if n == 0:
        raise DataError(f"{fpath}: the graph is empty (0 nodes)")
    src, dst = read_edge_list(folder / "edges.csv", n)
    keep = src != dst
    if not keep.any():  # no neighbours to propagate over: a graph model would silently be an MLP
        raise DataError(f"{folder / 'edges.csv'}: no edges between distinct nodes (the graph is empty)")
    adj = sp.csr_matrix((np.ones(int(keep.sum()), np.float32), (src[keep], dst[keep])), shape=(n, n))
    if not directed:
        adj = adj.maximum(adj.T).tocsr()
    adj.data[:] = 1.0
    lpath = folder / "labels.csv"
    y, classes = read_labels(lpath, n) if lpath.exists() else (np.full(n, -1, np.int64), None)
    meta = {"format": "graph-files", "split": None}
    if classes is not None:
        meta["classes"] = classes
    return Graph(adj, x, y, name=name or folder.name, meta=meta)
