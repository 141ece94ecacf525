"""A seeded Planetoid-style split for graphs published without one (gnn-benchmark's cora/citeseer/cora_ml).

Stop-gap until `learnless.data.splits` lands: `train_per_class` labelled nodes per class, then `n_val` and
`n_test` random labelled nodes (Shchur et al. 2018 use 20 / 500 / 1000)."""

from __future__ import annotations

import dataclasses

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.graph import Graph


def random_split(graph: Graph, seed: int = 0, train_per_class: int = 20, n_val: int = 500,
                 n_test: int = 1000) -> Graph:
    """The graph with a fresh seeded split (unlabelled nodes are never selected)."""
    if train_per_class < 1 or n_val < 1 or n_test < 1:
        raise ConfigError(f"split sizes must be >= 1, got {train_per_class}/{n_val}/{n_test}")
    rng = np.random.default_rng(seed)
    labelled = np.flatnonzero(graph.y >= 0)
    n = graph.num_nodes
    train = np.zeros(n, bool)
    for c in np.unique(graph.y[labelled]):
        members = labelled[graph.y[labelled] == c]
        train[rng.choice(members, min(train_per_class, len(members)), replace=False)] = True
    rest = rng.permutation(np.setdiff1d(labelled, np.flatnonzero(train)))
    if len(rest) < 2:
        raise DataError(f"{graph.name}: too few labelled nodes ({len(labelled)}) for a train/val/test split")
    n_val = min(n_val, len(rest) // 2)
    val, test = np.zeros(n, bool), np.zeros(n, bool)
    val[rest[:n_val]] = True
    test[rest[n_val:n_val + n_test]] = True
    return dataclasses.replace(graph, train_mask=train, val_mask=val, test_mask=test,
                               name=f"{graph.name}[random split {seed}]",
                               meta={**graph.meta, "split": f"random seed {seed}: {train_per_class}/class, "
                                                             f"{n_val} val, {int(test.sum())} test"})
