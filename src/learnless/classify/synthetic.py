"""Stochastic-block-model graphs with a chosen edge homophily, mean degree and feature signal, written as
graph-files (edges.csv listing every undirected edge once, features.npy, labels.csv): the kind of graph a
user brings, with known answers. Features are raw — class means plus Gaussian noise, then a per-column
offset and scale — so nothing upstream has normalised them."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def sbm_edges(y: np.ndarray, homophily: float, mean_degree: float, rng: np.random.Generator) -> np.ndarray:
    """(m, 2) undirected edges u < v, each listed once: a fraction `homophily` join nodes of one class."""
    n = len(y)
    classes = np.unique(y)
    members = {c: np.flatnonzero(y == c) for c in classes}
    m = round(n * mean_degree / 2)
    src = rng.integers(0, n, size=2 * m)
    same = rng.random(2 * m) < homophily
    dst = np.empty_like(src)
    for c in classes:
        sel = y[src] == c
        inside, outside = sel & same, sel & ~same
        dst[inside] = rng.choice(members[c], size=int(inside.sum()))
        others = np.flatnonzero(y != c)
        dst[outside] = rng.choice(others, size=int(outside.sum()))
    e = np.stack([np.minimum(src, dst), np.maximum(src, dst)], 1)
    e = np.unique(e[e[:, 0] != e[:, 1]], axis=0)
    return e[rng.permutation(len(e))[:m]]


def sbm_arrays(
    n_nodes: int = 1200,
    n_classes: int = 4,
    n_features: int = 16,
    homophily: float = 0.8,
    mean_degree: float = 10.0,
    signal: float = 0.5,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(edges (m, 2), features (n, f) float32, labels (n,)) of one generated graph."""
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n_nodes) % n_classes)
    means = rng.normal(size=(n_classes, n_features))
    x = signal * means[y] + rng.normal(size=(n_nodes, n_features))
    # raw, unnormalised: columns with their own offset and scale, as measured quantities have
    x = rng.normal(0, 5, size=n_features) + x * rng.uniform(0.5, 5, size=n_features)
    return sbm_edges(y, homophily, mean_degree, rng), x.astype(np.float32), y


def write_graph_files(folder: Path, edges: np.ndarray, x: np.ndarray, y: np.ndarray) -> Path:
    """The three files `learnless ... --format graph-files` reads."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    np.savetxt(folder / "edges.csv", edges, fmt="%d", delimiter=",", header="source,target", comments="")
    np.save(folder / "features.npy", x)
    (folder / "labels.csv").write_text("".join(f"{int(v)}\n" for v in y))
    return folder


def edge_homophily(edges: np.ndarray, y: np.ndarray) -> float:
    """The true fraction of edges joining nodes of one class (all labels known)."""
    return float((y[edges[:, 0]] == y[edges[:, 1]]).mean())
