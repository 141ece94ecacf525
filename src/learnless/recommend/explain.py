"""Exact explanations of one score: which co-items and co-users it comes from, contributions summing to it.

GTE's score counts walks u -> i' -> u' -> ... -> i of odd length j <= k, weighted by C(k, j). The length-1
walk (u holds i) is the `direct` term; every longer walk has a first co-item i' (one of u's items) and a last
co-user u' (one of i's users). Grouping the walks by i' gives

    score = direct + sum_{i' in u} sum_{m >= 1} C(k, 2m+1) (G^m)[i', i]            (G = R^T R)

and grouping them by u' gives score = direct + sum_{u' in i} sum_{m >= 1} C(k, 2m+1) (R G^(m-1) R^T)[u', u];
both sums are exact integers. EASE and ItemKNN score(u, i) = sum over u's items i' of W[i', i], so the
item weights are the contributions (no users, no direct term).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from math import comb

import numpy as np

from learnless.errors import ConfigError
from learnless.recommend.inputs import check_user_ids


@dataclass
class Explanation:
    user: int
    item: int
    score: float  # the model's score (as `score` returns it)
    direct: float  # the part no co-item or co-user explains (GTE: the length-1 walk, C(k,1) R[u, i])
    items_total: float  # direct + every co-item contribution (equals score)
    items: list = field(default_factory=list)  # top co-items: (item, contribution, share of the score)
    users_total: float | None = None  # direct + every co-user contribution (GTE; equals score)
    users: list = field(default_factory=list)  # top co-users: (user, contribution, share of the score)

    def to_dict(self) -> dict:
        return asdict(self)


def _check(model, userid, itemid, N) -> tuple[int, int, int]:
    model._check_fitted("train_")
    if np.ndim(userid) != 0 or np.ndim(itemid) != 0:
        raise ConfigError("explain: give one user id and one item id")
    u = int(check_user_ids(userid, model.n_users_)[0])
    i = int(model._item_ids(itemid, "itemid")[0])
    if int(N) < 1:
        raise ConfigError(f"N: must be >= 1, got {N}")
    return u, i, int(N)


def _top(ids: np.ndarray, values: np.ndarray, n: int, score: float) -> list:
    order = np.lexsort((ids, -values))[:n]  # largest first, ties: lower id
    share = (lambda v: v / score) if score else (lambda v: 0.0)
    return [(int(ids[o]), float(values[o]), float(share(values[o]))) for o in order]


def explain_gte(model, userid, itemid, N: int = 10) -> Explanation:
    u, i, n = _check(model, userid, itemid, N)
    R = model.train_  # binary float64: every count below is an exact integer
    r_u = R[u].toarray().ravel()
    terms = [comb(model.k, j) for j in range(3, model.k + 1, 2)]
    # co-items: sum_m C(k, 2m+1) G^m e_i, read at u's items
    v = np.zeros(R.shape[1])
    v[i] = 1.0
    by_item = np.zeros(R.shape[1])
    for c in terms:
        v = R.T @ (R @ v)
        by_item += c * v
    # co-users: sum_m C(k, 2m+1) R G^(m-1) r_u, read at i's users
    x = r_u
    by_user = np.zeros(R.shape[0])
    for c in terms:
        y = R @ x
        by_user += c * y
        x = R.T @ y
    direct = comb(model.k, 1) * float(r_u[i])
    items = R[u].indices
    users = model.train_t_[i].indices if hasattr(model, "train_t_") else R[:, i].nonzero()[0]
    score = float(model.score([u])[0, i])
    return Explanation(
        user=u, item=i, score=score, direct=direct,
        items_total=direct + float(by_item[items].sum()), items=_top(items, by_item[items], n, score),
        users_total=direct + float(by_user[users].sum()), users=_top(users, by_user[users], n, score),
    )


def explain_by_item_weights(model, userid, itemid, N, column) -> Explanation:
    """score(u, i) = sum_{i' in u} W[i', i]; `column(i)` returns W[:, i] as a dense vector."""
    u, i, n = _check(model, userid, itemid, N)
    items = model.train_[u].indices
    weights = np.asarray(column(i), dtype=np.float64)[items]
    score = float(model.score([u])[0, i])
    return Explanation(user=u, item=i, score=score, direct=0.0, items_total=float(weights.sum()),
                       items=_top(items, weights, n, score))
