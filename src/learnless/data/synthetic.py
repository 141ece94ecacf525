"""Seeded synthetic data: the demo's embedded datasets and the tests' small worlds."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError
from learnless.graph.containers import Graph, Interactions


def sbm_graph(n_nodes: int = 2000, n_classes: int = 5, n_features: int = 128, p_in: float = 0.01,
              p_out: float = 0.001, feature_signal: float = 1.0, train_per_class: int = 20, n_val: int = 500,
              n_test: int = 1000, seed: int = 0) -> Graph:
    """A stochastic-block-model graph whose node features are noisy class centroids.

    Edges: within-class with probability p_in, across with p_out (undirected, no self-loops).
    Features: x_v = feature_signal * mu_{y_v} + N(0, I), with random unit class centroids mu — so the
    features alone are weakly informative and propagation over the homophilous graph helps.
    Split: `train_per_class` labelled nodes per class, then `n_val` and `n_test` random nodes
    (Planetoid-style).
    """
    if n_nodes < n_classes or n_classes < 1:
        raise ConfigError(f"n_nodes ({n_nodes}) must be >= n_classes ({n_classes}) >= 1")
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n_nodes)
    # Sample edges block by block: expected counts, then uniform endpoints inside each block pair.
    rows, cols = [], []
    members = [np.flatnonzero(y == c) for c in range(n_classes)]
    for a in range(n_classes):
        for b in range(a, n_classes):
            p = p_in if a == b else p_out
            pairs = len(members[a]) * len(members[b]) / (2 if a == b else 1)
            m = rng.binomial(int(pairs), p) if pairs >= 1 else 0
            rows.append(rng.choice(members[a], m))
            cols.append(rng.choice(members[b], m))
    r, c = np.concatenate(rows), np.concatenate(cols)
    keep = r != c
    ones = np.ones(keep.sum(), np.float32)
    adj = sp.coo_matrix((ones, (r[keep], c[keep])), shape=(n_nodes, n_nodes)).tocsr()
    adj = adj.maximum(adj.T).tocsr()
    adj.data[:] = 1.0
    centroids = rng.standard_normal((n_classes, n_features))
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    x = feature_signal * centroids[y] * np.sqrt(n_features) / 4 + rng.standard_normal((n_nodes, n_features))
    train = np.zeros(n_nodes, bool)
    for cls in range(n_classes):
        idx = np.flatnonzero(y == cls)
        train[rng.choice(idx, min(train_per_class, len(idx)), replace=False)] = True
    rest = rng.permutation(np.flatnonzero(~train))
    val = np.zeros(n_nodes, bool)
    test = np.zeros(n_nodes, bool)
    val[rest[:n_val]] = True
    test[rest[n_val:n_val + n_test]] = True
    return Graph(adj, x.astype(np.float32), y, train, val, test, name=f"sbm-{n_nodes}-seed{seed}",
                 meta={"synthetic": "sbm", "p_in": p_in, "p_out": p_out, "seed": seed})


def user_item_graph(n_users: int = 2000, n_items: int = 1500, n_communities: int = 8,
                    interactions_per_user: float = 20.0, in_community: float = 0.8,
                    test_fraction: float = 0.2,
                    popularity_exponent: float = 1.0, seed: int = 0) -> Interactions:
    """Implicit feedback with latent communities and a held-out test split.

    Each user and item belongs to one community; a user draws ~Poisson(interactions_per_user) distinct items,
    a fraction `in_community` of them from their own community, with Zipf-like item popularity inside each
    pool. A random `test_fraction` of every user's items (at least
    one when the user has two or more) is held out.
    """
    if not 0 < test_fraction < 1:
        raise ConfigError(f"test_fraction must be in (0, 1), got {test_fraction}")
    rng = np.random.default_rng(seed)
    user_comm = rng.integers(0, n_communities, n_users)
    item_comm = rng.integers(0, n_communities, n_items)
    popularity = 1.0 / np.arange(1, n_items + 1) ** popularity_exponent
    popularity = popularity[rng.permutation(n_items)]
    pools = [np.flatnonzero(item_comm == c) for c in range(n_communities)]
    all_items = np.arange(n_items)
    train_rows, train_cols, test_rows, test_cols = [], [], [], []
    for u in range(n_users):
        k = int(np.clip(rng.poisson(interactions_per_user), 2, n_items // 2))
        k_in = rng.binomial(k, in_community)
        chosen = set()
        for pool, count in ((pools[user_comm[u]], k_in), (all_items, k - k_in)):
            if len(pool) == 0 or count == 0:
                continue
            w = popularity[pool] / popularity[pool].sum()
            chosen.update(rng.choice(pool, min(count, len(pool)), replace=False, p=w).tolist())
        items = rng.permutation(np.fromiter(chosen, dtype=np.int64))
        n_test = max(1, round(test_fraction * len(items))) if len(items) >= 2 else 0
        test_rows += [u] * n_test
        test_cols += items[:n_test].tolist()
        train_rows += [u] * (len(items) - n_test)
        train_cols += items[n_test:].tolist()
    shape = (n_users, n_items)
    train = sp.csr_matrix((np.ones(len(train_rows), np.float32), (train_rows, train_cols)), shape=shape)
    test = sp.csr_matrix((np.ones(len(test_rows), np.float32), (test_rows, test_cols)), shape=shape)
    return Interactions(train, test, name=f"synthetic-{n_users}x{n_items}-seed{seed}",
                        meta={"synthetic": "user-item", "communities": n_communities, "seed": seed,
                              "user_community": user_comm, "item_community": item_comm})
