"""Similarity of two latent spaces on parallel samples: cross-space retrieval (Jaccard@k, MRR, mean paired
cosine, as the word-embedding table of the paper computes them), CKA (linear / RBF, biased / debiased) and
the orthogonal Procrustes distance; shuffled-correspondence nulls and bootstrap intervals."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_nonzero, check_parallel


def _unit(x: np.ndarray, what: str) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1)
    check_nonzero(norms, what)
    return x / norms[:, None]


def _pair(a, b):
    a = np.asarray(as_matrix(a, "A"), dtype=np.float64)
    b = np.asarray(as_matrix(b, "B"), dtype=np.float64)
    check_parallel(a, b)
    if len(a) < 2:
        raise DataError(f"A and B: need at least 2 parallel samples, got {len(a)}")
    return a, b


def cosine_paired(a, b) -> float:
    """Mean cosine between a_i and b_i (needs the same dimension)."""
    a, b = _pair(a, b)
    if a.shape[1] != b.shape[1]:
        raise DataError(f"A has {a.shape[1]} dimensions and B {b.shape[1]}: paired cosine needs equal ones")
    return float(np.mean(np.sum(_unit(a, "A") * _unit(b, "B"), axis=1)))


def cross_space_retrieval(a, b, k: int = 10, chunk: int = 2048) -> dict:
    """Search B with each source vector a_i (cosine): the rank of its counterpart b_i among all B rows, and
    Jaccard@k between the k nearest B rows to a_i and the k nearest B rows to b_i (b_i's own neighbourhood
    in B, b_i included).

    Returns `jaccard@k`; `mrr@k`, the paper's MRR (lucmos/relreps scores 1/rank when b_i is among the k rows
    its top-k search returns, else 0); and `mrr`, the untruncated mean reciprocal rank (>= mrr@k)."""
    rows = retrieval_rows(a, b, k, chunk)
    return {f"jaccard@{k}": float(rows["jaccard"].mean()), f"mrr@{k}": float(rows["rr@k"].mean()),
            "mrr": float(rows["rr"].mean())}


def retrieval_rows(a, b, k: int = 10, chunk: int = 2048) -> dict[str, np.ndarray]:
    """Per-sample values behind `cross_space_retrieval`: rr (1 / rank), rr@k, jaccard (arrays of length n)."""
    a, b = _pair(a, b)
    if a.shape[1] != b.shape[1]:
        raise DataError(f"A has {a.shape[1]} dimensions and B {b.shape[1]}: cross-space retrieval needs "
                        "equal ones (compare relative representations instead)")
    n = len(a)
    if not 1 <= k < n:
        raise ConfigError(f"k: must be in [1, {n - 1}] for {n} samples, got {k}")
    au, bu = _unit(a, "A"), _unit(b, "B")
    rr = np.empty(n)
    rr_k = np.empty(n)
    jac = np.empty(n)
    for s in range(0, n, chunk):
        idx = np.arange(s, min(n, s + chunk))
        cross = au[idx] @ bu.T            # source vectors against the target space
        within = bu[idx] @ bu.T           # the counterparts' own neighbourhoods
        target = cross[np.arange(len(idx)), idx]
        rank = 1.0 + np.sum(cross > target[:, None], axis=1)
        rr[idx] = 1.0 / rank
        rr_k[idx] = np.where(rank <= k, 1.0 / rank, 0.0)
        top_c = np.argpartition(-cross, k - 1, axis=1)[:, :k]
        top_w = np.argpartition(-within, k - 1, axis=1)[:, :k]
        for row, (c, w) in enumerate(zip(top_c, top_w)):
            inter = len(np.intersect1d(c, w, assume_unique=True))
            jac[idx[row]] = inter / (2 * k - inter)
    return {"rr": rr, "rr@k": rr_k, "jaccard": jac}


# ---- CKA -------------------------------------------------------------------------------------------------

def _gram(x: np.ndarray, kernel: str, sigma: float | None) -> np.ndarray:
    if kernel == "linear":
        return x @ x.T
    sq = np.sum(x * x, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0)
    if sigma is None:  # the median pairwise distance (Kornblith et al.'s default scale)
        off = d2[~np.eye(len(x), dtype=bool)]
        sigma = float(np.sqrt(np.median(off))) or 1.0
    return np.exp(-d2 / (2 * sigma * sigma))


def _hsic(k: np.ndarray, m: np.ndarray, unbiased: bool) -> float:
    n = len(k)
    if not unbiased:
        # H K H by subtracting row / column means: O(n^2) instead of two n^3 products
        kc = k - k.mean(axis=0, keepdims=True) - k.mean(axis=1, keepdims=True) + k.mean()
        return float(np.sum(kc * m)) / (n - 1) ** 2
    k = k.copy()
    m = m.copy()
    np.fill_diagonal(k, 0.0)
    np.fill_diagonal(m, 0.0)
    ones_k, ones_m = k.sum(axis=0), m.sum(axis=0)
    term = np.sum(k * m) + ones_k.sum() * ones_m.sum() / ((n - 1) * (n - 2)) - 2.0 / (n - 2) * ones_k @ ones_m
    return float(term / (n * (n - 3)))


def cka(a, b, kernel: str = "linear", unbiased: bool = False, sigma: float | None = None) -> float:
    """Centred kernel alignment of two spaces (dimensions may differ). unbiased: the debiased HSIC of Song
    et al. (2012), ~0 on independent data where the biased estimator is inflated at small n."""
    if kernel not in ("linear", "rbf"):
        raise ConfigError(f"kernel: {kernel!r} is not one of linear, rbf")
    a, b = _pair(a, b)
    if unbiased and len(a) < 4:
        raise DataError("A and B: the unbiased CKA needs at least 4 samples")
    ka, kb = _gram(a, kernel, sigma), _gram(b, kernel, sigma)
    xy, xx, yy = _hsic(ka, kb, unbiased), _hsic(ka, ka, unbiased), _hsic(kb, kb, unbiased)
    denom = np.sqrt(max(xx, 0.0) * max(yy, 0.0))
    return float(xy / denom) if denom > 0 else 0.0


def procrustes_distance(a, b) -> float:
    """Orthogonal Procrustes distance: centre, scale to unit Frobenius norm, zero-pad to a common width;
    sqrt(2 - 2 ||A^T B||_*), 0 when one space is a rotation / reflection / rescale of the other."""
    a, b = _pair(a, b)
    a, b = a - a.mean(axis=0), b - b.mean(axis=0)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        raise DataError("A or B: every row is the same point; the Procrustes distance is undefined")
    nuc = np.linalg.svd((a / na).T @ (b / nb), compute_uv=False).sum()
    return float(np.sqrt(max(0.0, 2.0 - 2.0 * nuc)))


# ---- nulls, intervals, the full comparison ----------------------------------------------------------------

def shuffled_null(metric, a, b, seed: int = 0, repeats: int = 1) -> float:
    """The metric with B's rows permuted (correspondence destroyed), averaged over `repeats` shuffles."""
    rng = np.random.default_rng(seed)
    return float(np.mean([metric(a, b[rng.permutation(len(b))]) for _ in range(repeats)]))


def bootstrap_ci(metric, a, b, n_boot: int = 200, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval over resampled parallel rows (duplicates removed: retrieval is
    ill-defined with repeated rows)."""
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        idx = np.unique(rng.integers(0, len(a), len(a)))
        vals.append(metric(a[idx], b[idx]))
    lo, hi = np.quantile(vals, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


def compare_spaces(a, b, n_anchors: int = 300, k: int = 10, seed: int = 0, anchor_method: str = "uniform",
                   null: bool = True, center: bool = False, translators=("orthogonal", "affine", "linear"),
                   knn_permutations: int = 20, shape_metrics: bool = True) -> dict:
    """The paper's table for two parallel spaces: absolute.* (only when dimensions agree, else NaN) and
    relative.* (cosine projection onto the same `n_anchors` sampled rows in each space, centred on the
    anchors' mean when `center`), linear CKA; each with `<name>.null`, the value after shuffling the
    correspondences. Also: `<translator>.*`, retrieval of B's rows by A's rows carried into B's space by a
    map fitted on the anchors (see `learnless.relate.translators`); `mutual_knn@k` raw, `.null` (mean over
    `knn_permutations` shuffles) and `.calibrated` (0 = chance, 1 = identical neighbourhoods; 0 permutations
    skips it); with `shape_metrics`, debiased CKA, SVCCA, PWCCA and the Procrustes distance on the same
    <= 2,000-row subsample as CKA."""
    from learnless.relate.anchors import sample_anchors
    from learnless.relate.projection import RelativeProjection

    a, b = _pair(a, b)
    idx = sample_anchors(a, n_anchors, anchor_method, seed=seed)
    ra = RelativeProjection(center=center).fit(a[idx]).transform(a)
    rb = RelativeProjection(center=center).fit(b[idx]).transform(b)
    out = {"n": len(a), "dim_a": a.shape[1], "dim_b": b.shape[1], "anchors": int(n_anchors)}
    rng = np.random.default_rng(seed + 1)
    perm = rng.permutation(len(a))

    def block(prefix, x, y):
        if x.shape[1] != y.shape[1]:
            for name in (f"jaccard@{k}", f"mrr@{k}", "mrr", "cosine"):
                out[f"{prefix}.{name}"] = float("nan")
                out[f"{prefix}.{name}.null"] = float("nan")
            return
        for key, yy in (("", y), (".null", y[perm])):
            if key and not null:
                continue
            r = cross_space_retrieval(x, yy, k=k)
            out[f"{prefix}.jaccard@{k}{key}"] = r[f"jaccard@{k}"]
            out[f"{prefix}.mrr@{k}{key}"] = r[f"mrr@{k}"]
            out[f"{prefix}.mrr{key}"] = r["mrr"]
            out[f"{prefix}.cosine{key}"] = cosine_paired(x, yy)

    block("absolute", a, b)
    block("relative", ra, rb)
    if translators:
        from learnless.relate.translators import translate

        for kind in translators:
            block(kind, translate(a, a[idx], b[idx], kind), b)
    sub = np.sort(rng.choice(len(a), size=min(len(a), 2000), replace=False))  # CKA is O(n^2) memory
    out["cka"] = cka(a[sub], b[sub])
    if null:
        out["cka.null"] = cka(a[sub], b[perm][sub])
    if shape_metrics:
        from learnless.relate.cca import pwcca, svcca

        for name, fn in (("cka_debiased", lambda x, y: cka(x, y, unbiased=True)), ("svcca", svcca),
                         ("pwcca", lambda x, y: pwcca(x, y, symmetric=True)),
                         ("procrustes_distance", procrustes_distance)):
            out[name] = fn(a[sub], b[sub])
            if null:
                out[f"{name}.null"] = fn(a[sub], b[perm][sub])
    if knn_permutations and len(a) > k + 1:
        from learnless.relate.streaming import calibrated_mutual_knn

        m = calibrated_mutual_knn(a, b, k=k, permutations=knn_permutations, seed=seed, n_boot=0)
        for key in (f"mutual_knn@{k}", f"mutual_knn@{k}.null", f"mutual_knn@{k}.calibrated"):
            out[key] = m[key]
    return out
