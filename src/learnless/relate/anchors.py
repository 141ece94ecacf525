"""Anchor selection, seeded: which rows of a latent matrix serve as anchors (indices, so that the same
samples can be picked in every space)."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError
from learnless.relate.checks import as_matrix, check_anchor_count

SAMPLERS = ("uniform", "stratified", "farthest", "kmeans")


def sample_anchors(x, n_anchors: int, method: str = "uniform", *, labels=None, seed: int = 0) -> np.ndarray:
    """Indices of `n_anchors` distinct rows of `x` (n, d).

    uniform: a random subset. stratified: classes represented in proportion to `labels` (at least one each
    when n_anchors allows). farthest: greedy farthest-point traversal from a random start. kmeans: k-means
    centroids, each snapped to its nearest not-yet-chosen sample (anchors must be real samples, so that
    every space can embed them)."""
    if method not in SAMPLERS:
        raise ConfigError(f"method: {method!r} is not one of {', '.join(SAMPLERS)}")
    if not isinstance(n_anchors, (int, np.integer)) or n_anchors < 1:
        raise ConfigError(f"n_anchors: expected a positive integer, got {n_anchors!r}")
    x = np.asarray(as_matrix(x if method in ("farthest", "kmeans") else np.zeros((len(x), 1)), "x"))
    n = len(x)
    check_anchor_count(int(n_anchors), n)
    rng = np.random.default_rng(seed)
    if method == "uniform":
        return np.sort(rng.choice(n, size=n_anchors, replace=False))
    if method == "stratified":
        if labels is None:
            raise ConfigError("labels: the stratified sampler needs class labels")
        labels = np.asarray(labels)
        if len(labels) != n:
            raise ConfigError(f"labels: {len(labels)} labels for {n} samples")
        from sklearn.model_selection import train_test_split

        if n_anchors == n:
            return np.arange(n)
        classes, counts = np.unique(labels, return_counts=True)
        strat = labels if n_anchors >= len(classes) and counts.min() >= 2 else None
        idx, _ = train_test_split(np.arange(n), train_size=int(n_anchors), stratify=strat,
                                  random_state=int(seed))
        return np.sort(idx)
    if method == "farthest":
        chosen = [int(rng.integers(n))]
        dist = np.linalg.norm(x - x[chosen[0]], axis=1)
        for _ in range(n_anchors - 1):
            dist[chosen] = -1.0
            nxt = int(np.argmax(dist))
            chosen.append(nxt)
            dist = np.minimum(dist, np.linalg.norm(x - x[nxt], axis=1))
        return np.array(sorted(chosen))
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=int(n_anchors), n_init=1, random_state=int(seed)).fit(x)
    taken = np.zeros(n, dtype=bool)
    out = []
    for c in km.cluster_centers_:
        d = np.linalg.norm(x - c, axis=1)
        d[taken] = np.inf
        j = int(np.argmin(d))
        taken[j] = True
        out.append(j)
    return np.array(sorted(out))
