"""Beyond-accuracy metrics of top-K lists, and per-user metric distributions.

For lists L_u (K items each; slots of -1 = no candidate, ignored), train popularity pop_i (users holding i)
and n users in the train matrix:

- coverage@K: distinct recommended items / catalogue size (PyG LinkPredCoverage).
- novelty@K: mean over users of the mean self-information -log2(pop_i / n) of their items (items with no
  train interaction are counted as held by one user, so the information stays finite).
- diversity@K (intra-list): mean over users of 1 - mean_{i != j in L_u} sim(i, j), with sim the cosine of
  the items' user columns (co-occurrence cosine); given `item_category`, sim = same category, which is
  PyG's LinkPredDiversity exactly. Both computed from sum_{i != j} sim = |sum_i v_i|^2 - sum_i |v_i|^2.
- personalisation@K: 1 - mean over user pairs of |L_u ∩ L_v| / K (PyG LinkPredPersonalization), exact
  over ALL pairs: sum over pairs of the overlap = sum_i C(c_i, 2), c_i = lists holding i. PyG computes
  it on the first 4,096 users unless max_src_nodes=None.
- popularity: ARP@K (mean over users of the mean pop_i of their list; PyG LinkPredAveragePopularity) and
  long-tail share@K (the fraction of recommended slots on long-tail items: items outside the short head,
  the most popular items that together hold `head_share` = 20 % of the train interactions).
- distributions: per-user recall@K, NDCG@K, novelty, diversity, ARP and long-tail share, summarised by
  percentiles (5, 25, 50, 75, 95) and drawn as histograms.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError

GROUPS = ("coverage", "novelty", "diversity", "personalisation", "popularity", "distributions")
PERCENTILES = (5, 25, 50, 75, 95)


def parse_groups(text: str | None) -> tuple[str, ...]:
    """`--metrics`: comma-separated groups, or `all`; empty/None = none (accuracy only)."""
    if not text:
        return ()
    names = [t.strip().lower() for t in text.split(",") if t.strip()]
    if names == ["all"]:
        return GROUPS
    bad = [n for n in names if n not in GROUPS]
    if bad:
        raise ConfigError(f"--metrics: unknown {bad[0]!r}; expected all or a comma-separated subset of "
                          f"{', '.join(GROUPS)}")
    return tuple(dict.fromkeys(names))


def long_tail(popularity: np.ndarray, head_share: float = 0.2) -> np.ndarray:
    """Boolean mask of long-tail items: all but the most popular items holding `head_share` of the
    interactions (ties by lower item id)."""
    order = np.lexsort((np.arange(popularity.size), -popularity))
    cum = np.cumsum(popularity[order])
    total = cum[-1] if cum.size else 0
    n_head = int(np.searchsorted(cum, head_share * total, side="left")) + 1 if total else 0
    tail = np.ones(popularity.size, dtype=bool)
    tail[order[:n_head]] = False
    return tail


def list_metrics(lists: np.ndarray, train: sp.spmatrix, test: sp.spmatrix | None = None,
                 item_category: np.ndarray | None = None, head_share: float = 0.2) -> tuple[dict, dict]:
    """(summary, per_user) for top-K `lists` (one row per user, K item ids, -1 = empty slot). `train`: the
    whole train matrix (popularity, similarity); `test` (rows aligned with `lists`): adds per-user recall
    and NDCG."""
    lists = np.asarray(lists, dtype=np.int64)
    n_lists, K = lists.shape
    train = sp.csr_matrix(train, dtype=np.float64)
    n_users, n_items = train.shape
    pop = np.asarray((train != 0).sum(axis=0)).ravel().astype(np.float64)
    valid = lists >= 0
    counts = valid.sum(axis=1)
    safe = np.where(valid, lists, 0)
    per_user: dict[str, np.ndarray] = {}

    def mean_over_slots(values: np.ndarray) -> np.ndarray:
        v = np.where(valid, values[safe], 0.0).sum(axis=1)
        return np.divide(v, counts, out=np.full(n_lists, np.nan), where=counts > 0)

    info = -np.log2(np.maximum(pop, 1.0) / n_users)
    per_user["novelty"] = mean_over_slots(info)
    per_user["arp"] = mean_over_slots(pop)
    per_user["long_tail_share"] = mean_over_slots(long_tail(pop, head_share).astype(np.float64))
    per_user["diversity"] = _intra_list_diversity(lists, valid, train, item_category)
    if test is not None:
        per_user.update(_accuracy(lists, valid, sp.csr_matrix(test), K))

    flat = lists[valid]
    c = np.bincount(flat, minlength=n_items).astype(np.float64)
    pairs = n_lists * (n_lists - 1) / 2
    overlap = float((c * (c - 1) / 2).sum())
    summary = {
        f"coverage@{K}": float(np.unique(flat).size / n_items),
        f"novelty@{K}": float(np.nanmean(per_user["novelty"])),
        f"diversity@{K}": float(np.nanmean(per_user["diversity"])),
        f"personalisation@{K}": float(1.0 - overlap / (K * pairs)) if pairs else float("nan"),
        f"arp@{K}": float(np.nanmean(per_user["arp"])),
        f"long_tail_share@{K}": float(np.nanmean(per_user["long_tail_share"])),
        "diversity_similarity": "category" if item_category is not None else "cooccurrence-cosine",
    }
    return summary, per_user


def _intra_list_diversity(lists, valid, train, item_category) -> np.ndarray:
    n_lists, K = lists.shape
    if K < 2:
        return np.full(n_lists, np.nan)
    if item_category is not None:
        cat = np.asarray(item_category)
        vectors = sp.csr_matrix((np.ones(cat.size), (np.arange(cat.size), np.unique(cat,
                                 return_inverse=True)[1])))  # one-hot: sim = same category
    else:
        norms = np.sqrt(np.asarray(train.multiply(train).sum(axis=0)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        vectors = sp.csr_matrix(train @ sp.diags(scale)).T.tocsr()  # items x users, unit rows
    rows = np.repeat(np.arange(n_lists), K)[valid.ravel()]
    pick = sp.csr_matrix((np.ones(rows.size), (rows, lists[valid])), shape=(n_lists, vectors.shape[0]))
    summed = pick @ vectors  # per list: the sum of its items' vectors
    square = np.asarray(summed.multiply(summed).sum(axis=1)).ravel()
    self_sim = np.asarray(pick @ np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()).ravel()
    m = valid.sum(axis=1).astype(np.float64)
    # PyG divides by k (k - 1) with k = K; lists with empty slots use their own length
    denom = np.where(m == K, K * (K - 1.0), m * (m - 1))
    return np.divide(denom - (square - self_sim), denom, out=np.full(n_lists, np.nan), where=denom > 0)


def _accuracy(lists, valid, test, K) -> dict:
    n_test = np.diff(test.indptr)
    safe = np.where(valid, lists, 0)
    hits = np.zeros(lists.shape, dtype=bool)
    for r in range(lists.shape[0]):
        held = test.indices[test.indptr[r]:test.indptr[r + 1]]
        hits[r] = valid[r] & np.isin(safe[r], held)
    discount = 1.0 / np.log2(np.arange(K) + 2.0)
    ideal = np.cumsum(discount)[np.clip(n_test, 1, K) - 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(n_test > 0, hits.sum(axis=1) / n_test, np.nan)
        ndcg = np.where(n_test > 0, (hits * discount).sum(axis=1) / ideal, np.nan)
    return {"recall": recall, "ndcg": ndcg}


def beyond_accuracy(model, interactions, k: int = 20, users=None, item_category=None,
                    block_size: int = 512) -> tuple[dict, dict]:
    """Top-k lists of every test user (or `users`) by the exact protocol (train items never ranked, ties
    by the lower item id), then `list_metrics` with per-user recall and NDCG."""
    from learnless.runtime.progress import progress

    model._check_fitted("train_")
    test = sp.csr_matrix(interactions.test)
    if users is None:
        users = np.flatnonzero(np.diff(test.indptr) > 0)
    users = np.asarray(users, dtype=np.int64)
    lists = np.full((users.size, k), -1, dtype=np.int64)
    for start in progress(range(0, users.size, block_size), f"top-{k} lists"):
        block = users[start:start + block_size]
        lists[start:start + block.size] = model.recommend(block, N=k)[0]
    return list_metrics(lists, model.train_, test[users], item_category=item_category)


def distribution_summary(per_user: dict) -> dict:
    """{metric: {p5: ..., p25: ..., ..., mean: ...}} over users with a value."""
    out = {}
    for name, values in per_user.items():
        v = np.asarray(values, dtype=np.float64)
        v = v[np.isfinite(v)]
        if v.size:
            out[name] = {f"p{p}": float(np.percentile(v, p)) for p in PERCENTILES} | {"mean": float(v.mean())}
    return out


def plot_distributions(per_user: dict, path, title: str = "") -> None:
    """One histogram per metric, written atomically at 150 dpi."""
    import os
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(per_user)
    cols = 3
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3 * rows), squeeze=False)
    for ax, name in zip(axes.ravel(), names):
        v = np.asarray(per_user[name], dtype=np.float64)
        v = v[np.isfinite(v)]
        ax.hist(v, bins=40, color="#4477aa")
        ax.set_title(name)
        ax.set_ylabel("users")
    for ax in axes.ravel()[len(names):]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=os.path.dirname(os.path.abspath(path)))
    os.close(fd)
    fig.savefig(tmp, dpi=150)
    plt.close(fig)
    os.replace(tmp, path)
