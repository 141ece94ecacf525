"""Seeded random splits of a node-classification Graph.

`random_split` follows Shchur et al., "Pitfalls of Graph Neural Network Evaluation" (2018): per class,
`train_per_class` labelled nodes for training and `val_per_class`
for validation, every other labelled node for
testing. With `n_val` the validation set is instead `n_val` random labelled nodes left after training (the
Planetoid protocol of Kipf & Welling: 20 per class / 500 / 1000). Unlabelled nodes (y = -1) are in no mask."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.graph.containers import Graph


def _one_split(y: np.ndarray, train_per_class: int, val_per_class: int, n_test: int | None,
               rng: np.random.Generator, name: str, n_val: int | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(y)
    train, val, test = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    if n_val is not None:
        val_per_class = 0
    for c in np.unique(y[y >= 0]):
        idx = rng.permutation(np.flatnonzero(y == c))
        need = train_per_class + val_per_class
        if len(idx) < need:
            raise DataError(f"{name}: class {int(c)} has {len(idx)} labelled nodes, fewer than "
                            f"train_per_class + val_per_class = {need}")
        train[idx[:train_per_class]] = True
        val[idx[train_per_class:need]] = True
    rest = np.flatnonzero((y >= 0) & ~train & ~val)
    if n_val is not None:
        if n_val > len(rest):
            raise ConfigError(f"n_val={n_val} exceeds the {len(rest)} labelled nodes left after training")
        pick = rng.permutation(rest)
        val[pick[:n_val]] = True
        rest = np.sort(pick[n_val:])
    if n_test is not None:
        if n_test > len(rest):
            raise ConfigError(f"n_test={n_test} exceeds the {len(rest)} labelled nodes left after train/val")
        rest = rng.choice(rest, n_test, replace=False)
    test[rest] = True
    return train, val, test


def random_split(graph: Graph, train_per_class: int = 20, val_per_class: int = 30, n_test: int | None = None,
                 seed: int = 0, n_splits: int = 1, n_val: int | None = None) -> Graph:
    """The same graph with seeded random masks (n bool, or n x n_splits for several splits).

    n_val: size of a random validation set drawn from the labelled nodes left after training (replaces
    `val_per_class`; None: `val_per_class` per class). n_test: size of a random test set drawn from the
    remaining labelled nodes (None: all of them)."""
    for arg, value in (("train_per_class", train_per_class), ("val_per_class", val_per_class),
                       ("n_val", 0 if n_val is None else n_val)):
        if value < 0:
            raise ConfigError(f"{arg} must be >= 0, got {value}")
    if n_splits < 1:
        raise ConfigError(f"n_splits must be >= 1, got {n_splits}")
    if not (graph.y >= 0).any():
        raise DataError(f"{graph.name}: no labelled nodes to split")
    rng = np.random.default_rng(seed)
    masks = [_one_split(graph.y, train_per_class, val_per_class, n_test, rng, graph.name, n_val)
             for _ in range(n_splits)]
    train, val, test = (np.stack([m[k] for m in masks], axis=1) if n_splits > 1 else masks[0][k]
                        for k in range(3))
    meta = {**graph.meta, "split": {"kind": "random per class", "train_per_class": train_per_class,
                                    "val_per_class": None if n_val is not None else val_per_class,
                                    "n_val": n_val, "n_test": n_test, "seed": seed, "n_splits": n_splits}}
    return Graph(graph.adj, graph.x, graph.y, train, val, test, name=graph.name, meta=meta)
