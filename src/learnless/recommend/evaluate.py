"""Full-ranking evaluation shared by every model: Recall@K and NDCG@K, block by block through an executor.

protocol="exact" (default): every item is ranked, the user's train items are removed from the ranking
(never ranked, so they cannot tie with unseen items), ties are broken by the lower item index, and the
metrics are averaged over users with at least one test item.

protocol="official": the evaluation of the official GTE code (HKUDS/GTE main.py + utils.metrics), reproduced
exactly: scores in float32, seen items multiplied by 0 (they stay in the ranking, tied with unscored items),
`(-preds).argsort()` (NumPy's default unstable sort, so ties fall where that sort puts them), users in
batches of 256 in id order, and the final figure is the mean over batches of each batch's per-user mean.

Both use the official per-user formulas: recall = hits / |test items|; NDCG = DCG / IDCG with
DCG = sum over hits of 1/log2(rank + 2) (rank from 0) and IDCG over min(K, |test items|) positions.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError, DataError
from learnless.recommend.inputs import check_topk
from learnless.recommend.pairs import PairSet
from learnless.recommend.ranking import top_n

PROTOCOLS = ("exact", "official")
OFFICIAL_BATCH = 256
_FUSED_BLOCK = 2048  # users per block when the model ranks them itself (no n_items-wide scores)
_BLOCK_BYTES = 64 * 2**20  # a scoring block stays under this (and its temporaries in cache-friendly sizes)


class ColdTestItemsWarning(UserWarning):
    """Some test items have no train interaction: no collaborative model can rank them above chance."""


def default_block_size(n_items: int) -> int:
    return int(np.clip(_BLOCK_BYTES // (8 * 4 * max(n_items, 1)), 16, 2048))


def evaluate(
    model,
    interactions,
    topk=(20, 40),
    protocol: str = "exact",
    block_size: int | None = None,
    executor=None,
    test: sp.spmatrix | None = None,
    users=None,
    threads: int = 1,
) -> dict:
    """Metrics of a fitted model on `interactions.test` (or `test`): {'recall@20': ..., 'ndcg@20': ..., ...}.

    The model's `train_` decides which items are seen. `executor` (learnless.runtime) maps the user blocks;
    None scores them in this process, on `threads` threads (the sparse products, comparisons and sorts run
    outside the GIL; blocks are independent, so the metrics do not depend on it). `users` restricts the
    evaluation to those users (default: every user
    with a test item), e.g. a random sample on catalogues too large to rank for everyone.
    """
    if protocol not in PROTOCOLS:
        raise ConfigError(f"protocol: unknown {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    model._check_fitted()
    test = sp.csr_matrix(interactions.test if test is None else test, dtype=np.float32)
    train = model.train_
    if test.shape != train.shape:
        raise DataError(f"test matrix shape {test.shape} differs from the model's train matrix {train.shape}")
    ks = check_topk(topk, train.shape[1])
    if block_size is not None and block_size < 1:
        raise ConfigError(f"block_size: must be >= 1, got {block_size}")
    test.data[:] = 1.0
    n_test = np.diff(test.indptr)
    test_users = np.flatnonzero(n_test > 0)
    if users is not None:
        from learnless.recommend.inputs import check_user_ids

        test_users = np.intersect1d(test_users, check_user_ids(users, train.shape[0]))
    if test_users.size == 0:
        raise DataError("the test matrix has no interactions: nothing to evaluate")
    item_degree = np.asarray(train.sum(axis=0)).ravel()
    cold = int((item_degree[test.indices] == 0).sum())
    if cold:
        warnings.warn(
            f"{cold} test interactions are on items with no train interaction (cold items)",
            ColdTestItemsWarning,
            stacklevel=2,
        )
    no_train = int((np.diff(train.indptr)[test_users] == 0).sum())

    if protocol == "official":
        # Only rows with test items affect the metrics (each row is argsorted on its own), so we score
        # exactly those, grouped by the official 256-user batch they belong to.
        batch_of = test_users // OFFICIAL_BATCH
        blocks = [test_users[batch_of == b] for b in np.unique(batch_of)]
    else:
        # a model that ranks its own unseen items builds no dense block: large blocks, few tasks
        fused = bool(getattr(model, "_ranks_unseen", False))
        size = block_size or (_FUSED_BLOCK if fused else default_block_size(train.shape[1]))
        blocks = [test_users[i : i + size] for i in range(0, test_users.size, size)]

    shared = (model, test, tuple(ks), protocol)
    start = time.perf_counter()
    if threads is None or int(threads) < 1:
        raise ConfigError(f"threads: must be >= 1, got {threads}")
    if executor is None and int(threads) > 1 and len(blocks) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(int(threads)) as pool:
            parts = list(pool.map(_evaluate_block, blocks, [shared] * len(blocks)))
    elif executor is None:
        parts = [_evaluate_block(b, shared) for b in blocks]
    else:
        parts = executor.map(_evaluate_block, blocks, shared=shared, description=f"evaluating {model.name}")
    seconds = time.perf_counter() - start

    metrics: dict = {}
    for k in ks:
        rec = [p[k][0] for p in parts]
        ndcg = [p[k][1] for p in parts]
        if protocol == "official":
            n_batches = int(np.ceil(train.shape[0] / OFFICIAL_BATCH))
            if len(blocks) < n_batches:
                warnings.warn(
                    f"{n_batches - len(blocks)} of {n_batches} official batches have no test user; "
                    "the official code divides by zero there, we leave them out of the mean",
                    stacklevel=2,
                )
            metrics[f"recall@{k}"] = float(np.mean([r.mean() for r in rec]))
            metrics[f"ndcg@{k}"] = float(np.mean([n.mean() for n in ndcg]))
        else:
            metrics[f"recall@{k}"] = float(np.concatenate(rec).mean())
            metrics[f"ndcg@{k}"] = float(np.concatenate(ndcg).mean())
    metrics.update(
        {
            "protocol": protocol,
            "users_evaluated": int(test_users.size),
            "test_users_without_train": no_train,
            "cold_test_interactions": cold,
            "eval_seconds": seconds,
        }
    )
    return metrics


def _evaluate_block(users: np.ndarray, shared) -> dict:
    model, test, ks, protocol = shared
    kmax = max(ks)
    fused = getattr(model, "_top_unseen", None)
    top = fused(users, kmax) if protocol == "exact" and fused is not None else None
    if top is not None:  # the model ranked its unseen items itself, exactly (GTE's fused kernel)
        hit, n_rel = _hits(top[0], test[users])
        return _block_metrics(hit, n_rel, ks, kmax)
    scores = model.score(users)
    seen_rows, seen_cols = model.train_[users].nonzero()
    if protocol == "exact":
        scores[seen_rows, seen_cols] = -np.inf
        top = top_n(scores, kmax)
    if protocol == "official":
        # The official preds * (1 - mask) in float32: seen items become +0.0, like an unscored item (every
        # score is >= 0 here; a negative one times 0 would be -0.0, which sorts equal to +0.0 anyway).
        preds = scores.astype(np.float32, copy=False)
        preds[seen_rows, seen_cols] = 0
        hit, n_rel = official_hits(preds, test[users], kmax)
    else:
        hit, n_rel = _hits(top, test[users])
    return _block_metrics(hit, n_rel, ks, kmax)


def _block_metrics(hit, n_rel, ks, kmax) -> dict:
    discount = 1.0 / np.log2(np.arange(kmax) + 2)
    out = {}
    for k in ks:
        hits_k = hit[:, :k]
        recall = hits_k.sum(axis=1) / n_rel
        dcg = (hits_k * discount[:k]).sum(axis=1)
        idcg = np.cumsum(discount[:k])[np.minimum(n_rel, k) - 1]
        out[k] = (recall, dcg / idcg)
    return out


def official_hits(preds: np.ndarray, labels: sp.csr_matrix, kmax: int) -> tuple[np.ndarray, np.ndarray]:
    """What `(-preds).argsort()[:, :kmax]` would give as hits, computing that argsort only for the rows where
    its tie order can matter.

    Whatever order an argsort gives tied items, a group of items with score v occupies the positions
    [#(scores > v), #(scores > v) + #(scores == v)). If every such group reaching the first kmax positions is
    made of test items only, or of no test items, the hit at every position is fixed by the scores alone;
    only rows with a group mixing test and other items reaching the window are argsorted (NumPy's unstable
    sort decides those, as in the official code). On amazon_beauty about 8 % of the rows need it."""
    labels = sp.csr_matrix(labels)
    n_rel = np.diff(labels.indptr)
    rows = np.repeat(np.arange(preds.shape[0]), n_rel)
    value = preds[rows, labels.indices]
    step = max(1, _BLOCK_BYTES // (4 * max(preds.shape[1], 1)))  # test items compared per pass

    def count(op, which):
        out = np.empty(which.size, np.int64)
        for lo in range(0, which.size, step):
            w = which[lo : lo + step]
            out[lo : lo + step] = op(preds[rows[w]], value[w, None]).sum(axis=1)
        return out

    above = count(np.greater, np.arange(rows.size))
    in_window = above < kmax
    tied = np.zeros(rows.size, np.int64)  # group sizes, needed only for test items in the window
    tied[in_window] = count(np.equal, np.flatnonzero(in_window))
    # test items of the same row sharing a score: how many, to compare with the whole tie group
    key = np.lexsort((value, rows))
    r_s, v_s = rows[key], value[key]
    start = np.r_[True, (r_s[1:] != r_s[:-1]) | (v_s[1:] != v_s[:-1])]
    group_id = np.cumsum(start) - 1
    same_score_tests = np.empty(rows.size, np.int64)
    same_score_tests[key] = np.bincount(group_id)[group_id]
    mixed = in_window & (tied != same_score_tests)
    undecided = np.unique(rows[mixed])
    # mark [above, above + tied) of each in-window test item: +1 at the start, -1 past the end, running sum
    marks = np.zeros((preds.shape[0], kmax + 1), dtype=np.int64)
    r_w, a_w = rows[in_window], above[in_window]
    np.add.at(marks, (r_w, a_w), 1)
    np.add.at(marks, (r_w, np.minimum(a_w + tied[in_window], kmax)), -1)
    hit = np.cumsum(marks, axis=1)[:, :kmax] > 0
    if undecided.size:
        top = np.negative(preds[undecided]).argsort()[:, :kmax]
        hit[undecided] = _hits(top, labels[undecided])[0]
    return hit, n_rel


def _hits(top: np.ndarray, labels: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(hit (rows, K) bool: is top[r, p] a test item of row r; test items per row), without densifying the
    labels. Slots of -1 (nothing ranked) are never hits."""
    labels = sp.csr_matrix(labels)
    hit = PairSet(labels).contains(np.arange(top.shape[0])[:, None], top)
    return hit, np.diff(labels.indptr)
