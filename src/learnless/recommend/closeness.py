"""Topological closeness, the paper's link-level expressiveness metric, and a node-level WL check.

Closeness (our reading of Cai et al. 2023, as stated in the issue): for a user u and items i, j, i is closer
to u than j when the shortest-path distance d(u, i) < d(u, j), or the distances are equal and i has more
shortest paths to u. A model agrees with the metric on a pair when its scores order the pair the same way.
Distances in the user-item graph are odd (1, 3, 5, ...); unreachable items are farthest (distance inf).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError
from learnless.graph.wl import wl_colors
from learnless.recommend.inputs import as_user_items, check_user_ids


def shortest_paths(train, user: int, max_distance: int | None = None):
    """(distance, count) over all items for one user: breadth-first search on the bipartite graph that
    carries the number of shortest paths along (count_next = A count_frontier, restricted to new nodes).
    distance is float (inf when unreachable); count is float64, exact below 2^53."""
    R = as_user_items(train)
    return _shortest_paths(R, sp.csr_matrix(R.T), int(check_user_ids([user], R.shape[0])[0]), max_distance)


def _shortest_paths(R: sp.csr_matrix, Rt: sp.csr_matrix, user: int, max_distance: int | None):
    n_users, n_items = R.shape
    dist_items = np.full(n_items, np.inf)
    count_items = np.zeros(n_items)
    seen_users = np.zeros(n_users, bool)
    seen_users[user] = True
    frontier_users = np.zeros(n_users)
    frontier_users[user] = 1.0
    d = 1
    while max_distance is None or d <= max_distance:
        reach = Rt @ frontier_users  # paths into items, one step further
        new = (reach > 0) & np.isinf(dist_items)
        if not new.any():
            break
        dist_items[new] = d
        count_items[new] = reach[new]
        items_frontier = np.where(new, reach, 0.0)
        reach_u = R @ items_frontier
        new_u = (reach_u > 0) & ~seen_users
        seen_users |= new_u
        frontier_users = np.where(new_u, reach_u, 0.0)
        d += 2
    return dist_items, count_items


def closeness_order(train, user: int, max_distance: int | None = None) -> np.ndarray:
    """Items sorted from closest to farthest for `user` (ties in closeness: lower index first)."""
    dist, count = shortest_paths(train, user, max_distance)
    return np.lexsort((np.arange(dist.size), -count, dist))


def closeness_agreement(model, train=None, users=None, n_users: int = 200, pairs_per_user: int = 2000,
                        exclude_seen: bool = True, max_distance: int | None = None, seed: int = 0) -> dict:
    """How often the model's scores order item pairs as topological closeness does.

    For each user (given, or `n_users` sampled), every pair of candidate items when there are at most
    ~`pairs_per_user` pairs, else `pairs_per_user` random pairs. Pairs equally close are left out. A pair
    agrees when the closer item scores strictly higher; `score_ties` counts pairs the model scores equally.
    With exclude_seen, the user's train items are not candidates (the recommendation setting).
    """
    model._check_fitted()
    R = model.train_ if train is None else as_user_items(train)
    rng = np.random.default_rng(seed)
    n_u, n_i = R.shape
    if pairs_per_user < 1 or n_users < 1:
        raise ConfigError(f"n_users and pairs_per_user must be >= 1, got {n_users}, {pairs_per_user}")
    if users is None:
        users = np.sort(rng.choice(n_u, min(n_users, n_u), replace=False))
    users = check_user_ids(users, n_u)
    Rt = sp.csr_matrix(R.T)
    all_scores = model.score(users)
    agree = ties = total = 0
    for row, u in enumerate(users):
        dist, count = _shortest_paths(R, Rt, int(u), max_distance)
        scores = all_scores[row]
        cand = np.flatnonzero(R[u].toarray().ravel() == 0) if exclude_seen else np.arange(n_i)
        if cand.size < 2:
            continue
        if cand.size * (cand.size - 1) // 2 <= pairs_per_user:
            a, b = np.triu_indices(cand.size, k=1)
        else:
            a = rng.integers(0, cand.size, pairs_per_user)
            b = rng.integers(0, cand.size, pairs_per_user)
        i, j = cand[a], cand[b]
        closer = _compare(dist[i], count[i], dist[j], count[j])
        mask = closer != 0
        diff = np.sign(scores[i] - scores[j])
        agree += int((diff[mask] == closer[mask]).sum())
        ties += int((diff[mask] == 0).sum())
        total += int(mask.sum())
    return {"pairs": total, "agreement": agree / total if total else float("nan"),
            "score_ties": ties / total if total else float("nan"), "users": int(users.size)}


def _compare(d1, c1, d2, c2) -> np.ndarray:
    """+1 where the first item is closer, -1 where the second is, 0 when equally close."""
    out = np.where(d1 < d2, 1, np.where(d1 > d2, -1, 0))
    same = out == 0
    both_reach = same & np.isfinite(d1)
    out[both_reach] = np.sign(c1[both_reach] - c2[both_reach]).astype(int)
    return out


def bipartite_adjacency(train) -> sp.csr_matrix:
    R = as_user_items(train)
    return sp.bmat([[None, R], [R.T, None]], format="csr")


def wl_check(train, user_reps: np.ndarray | None = None, iterations: int | None = None) -> dict:
    """Node level: 1-WL colour classes of the users (users and items start with different colours) and,
    given the model's user representations, how they compare: `wl_pairs_separated` is the fraction of user
    pairs that WL tells apart and the model tells apart too (1.0: at least as expressive as WL on users);
    `model_pairs_separated_beyond_wl` counts pairs WL cannot separate but the model does."""
    R = as_user_items(train)
    n_u, n_i = R.shape
    initial = np.r_[np.zeros(n_u, np.int64), np.ones(n_i, np.int64)]
    colors = wl_colors(bipartite_adjacency(R), initial=initial, iterations=iterations)[-1][:n_u]
    out = {"users": n_u, "wl_user_classes": int(np.unique(colors).size)}
    if user_reps is None:
        return out
    reps = np.asarray(user_reps)
    if reps.shape[0] != n_u:
        raise ConfigError(f"user_reps: {reps.shape[0]} rows for {n_u} users")
    _, model_class = np.unique(reps.reshape(n_u, -1), axis=0, return_inverse=True)
    model_class = model_class.ravel()
    pairs = lambda counts: int((counts * (counts - 1) // 2).sum())
    joint = np.unique(np.c_[colors, model_class], axis=0, return_counts=True)[1]
    same_wl = pairs(np.unique(colors, return_counts=True)[1])
    same_model = pairs(np.unique(model_class, return_counts=True)[1])
    same_both = pairs(joint)
    all_pairs = n_u * (n_u - 1) // 2
    wl_separated = all_pairs - same_wl
    out.update({"model_user_classes": int(np.unique(model_class).size),
                "wl_pairs_separated": (wl_separated - (same_model - same_both)) / wl_separated
                if wl_separated else 1.0,
                "model_pairs_separated_beyond_wl": same_wl - same_both})
    return out
