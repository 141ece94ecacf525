"""Why cross-space retrieval can be asymmetric: anisotropy (all vectors of a space pointing into one narrow
cone) and hubness (a few target vectors among the nearest neighbours of very many queries, crowding the
true counterparts out of the top k), measured; and CSLS retrieval (Conneau et al., 2018), which discounts
hubs, as a diagnostic: if CSLS closes a gap between the two directions, hubs caused it."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_nonzero


def _unit(x, what: str = "x") -> np.ndarray:
    x = np.asarray(as_matrix(x, what), dtype=np.float64)
    if len(x) < 2:
        raise DataError(f"{what}: need at least 2 rows, got {len(x)}")
    norms = np.linalg.norm(x, axis=1)
    check_nonzero(norms, what)
    return x / norms[:, None]


def anisotropy(x) -> float:
    """Mean cosine between two distinct rows of `x` (0 for isotropic directions, 1 when every row points
    the same way), exactly, from the norm of the summed unit rows."""
    u = _unit(x)
    n = len(u)
    s = u.sum(axis=0)
    return float((s @ s - n) / (n * (n - 1)))


def _top_k(queries: np.ndarray, targets: np.ndarray, k: int, chunk: int = 2048) -> np.ndarray:
    out = np.empty((len(queries), k), dtype=np.int64)
    for s in range(0, len(queries), chunk):
        sims = queries[s:s + chunk] @ targets.T
        out[s:s + chunk] = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return out


def k_occurrence(queries, targets, k: int = 5) -> np.ndarray:
    """N_k: for each target row, how many queries have it among their k nearest targets (cosine)."""
    q, t = _unit(queries, "queries"), _unit(targets, "targets")
    if q.shape[1] != t.shape[1]:
        raise ConfigError(f"queries have {q.shape[1]} dimensions and targets {t.shape[1]}")
    if not 1 <= k < len(t):
        raise ConfigError(f"k: must be in [1, {len(t) - 1}], got {k}")
    return np.bincount(_top_k(q, t, k).ravel(), minlength=len(t))


def hubness(queries, targets, k: int = 5) -> dict:
    """`hub_summary` of `k_occurrence(queries, targets, k)`."""
    return hub_summary(k_occurrence(queries, targets, k))


def hub_summary(counts) -> dict:
    """Of k-occurrence counts: `skewness` of N_k (0 for a symmetric spread; large and positive when hubs
    exist), `top1%_share` (the share of all hits taken by the 1 % most frequent targets; 0.01 without hubs)
    and `anti_hubs` (the fraction of targets no query retrieves)."""
    counts = np.asarray(counts, dtype=np.float64)
    centred = counts - counts.mean()
    skew = float(np.mean(centred ** 3) / np.mean(centred ** 2) ** 1.5) if centred.any() else 0.0
    top = max(1, len(counts) // 100)
    share = float(np.sort(counts)[::-1][:top].sum() / counts.sum())
    return {"skewness": skew, "top1%_share": share, "anti_hubs": float(np.mean(counts == 0))}


def csls_retrieval(a, b, k: int = 5, neighbours: int = 10, chunk: int = 2048) -> dict:
    """Cross-space retrieval of b_i by a_i scored with CSLS: 2 cos(a_i, b_j) - r_B(a_i) - r_A(b_j), where
    r_B(a_i) is the mean cosine of a_i to its `neighbours` nearest B rows and r_A(b_j) that of b_j to its
    nearest A rows. `mrr@k` (1/rank within the top k, else 0, as the paper's code) and `mrr`."""
    u, v = _unit(a, "A"), _unit(b, "B")
    if u.shape != v.shape:
        raise ConfigError(f"A {u.shape} and B {v.shape}: CSLS needs parallel rows of equal width")

    def mean_top(q, t):
        out = np.empty(len(q))
        for s in range(0, len(q), chunk):
            sims = q[s:s + chunk] @ t.T
            out[s:s + chunk] = -np.mean(np.partition(-sims, neighbours - 1, axis=1)[:, :neighbours], axis=1)
        return out

    r_a, r_b = mean_top(u, v), mean_top(v, u)  # hubness of each query in B, of each target in A
    rr, rr_k = np.empty(len(u)), np.empty(len(u))
    for s in range(0, len(u), chunk):
        idx = np.arange(s, min(len(u), s + chunk))
        score = 2 * (u[idx] @ v.T) - r_a[idx, None] - r_b[None, :]
        rank = 1.0 + np.sum(score > score[np.arange(len(idx)), idx][:, None], axis=1)
        rr[idx] = 1.0 / rank
        rr_k[idx] = np.where(rank <= k, 1.0 / rank, 0.0)
    return {f"mrr@{k}": float(rr_k.mean()), "mrr": float(rr.mean())}
