"""CCA-family similarities of two parallel spaces: SVCCA (Raghu et al., 2017) and PWCCA (Morcos et al.,
2018). Both centre each space, take an orthonormal basis of its column span and read the canonical
correlations as the singular values of Q_A^T Q_B."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_parallel


def _centred(a, b):
    a = np.asarray(as_matrix(a, "A"), dtype=np.float64)
    b = np.asarray(as_matrix(b, "B"), dtype=np.float64)
    check_parallel(a, b)
    if len(a) < 2:
        raise DataError(f"A and B: need at least 2 parallel samples, got {len(a)}")
    return a - a.mean(axis=0), b - b.mean(axis=0)


def _basis(x: np.ndarray, what: str, rtol: float = 1e-10):
    """(Q, singular values, right vectors) of the column span of a centred matrix, numerical rank only."""
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    keep = s > rtol * (s[0] if len(s) else 0.0)
    if not keep.any():
        raise DataError(f"{what}: every row is the same point; canonical correlations are undefined")
    return u[:, keep], s[keep], vt[keep]


def canonical_correlations(a, b) -> np.ndarray:
    """Canonical correlations of two spaces, largest first (min(rank A, rank B) of them)."""
    a, b = _centred(a, b)
    qa, qb = _basis(a, "A")[0], _basis(b, "B")[0]
    return np.clip(np.linalg.svd(qa.T @ qb, compute_uv=False), 0.0, 1.0)


def _reduce(x: np.ndarray, keep: float, what: str) -> np.ndarray:
    u, s, _ = _basis(x, what)
    energy = np.cumsum(s**2) / np.sum(s**2)
    m = int(np.searchsorted(energy, keep - 1e-12) + 1)
    return u[:, :m] * s[:m]


def svcca(a, b, keep: float = 0.99, summary: str = "mean") -> float:
    """SVCCA: each centred space reduced to the top singular directions that explain `keep` of its variance,
    then CCA. summary: "mean" (Raghu et al.'s mean canonical correlation) or "pillai" (mean squared one,
    Pillai's trace over the number of correlations)."""
    if not 0 < keep <= 1:
        raise ConfigError(f"keep: the variance fraction must be in (0, 1], got {keep}")
    if summary not in ("mean", "pillai"):
        raise ConfigError(f"summary: {summary!r} is not one of mean, pillai")
    a, b = _centred(a, b)
    rho = canonical_correlations(_reduce(a, keep, "A"), _reduce(b, keep, "B"))
    return float(np.mean(rho if summary == "mean" else rho**2))


def pwcca(a, b, symmetric: bool = False) -> float:
    """PWCCA: canonical correlations weighted by how much of A's neurons each canonical direction accounts
    for (alpha_i proportional to sum_j |<h_i, a_j>|, h_i the i-th canonical variate of A); direction A -> B
    as Morcos et al. define it. symmetric: the mean of both directions."""
    if symmetric:
        return 0.5 * (pwcca(a, b) + pwcca(b, a))
    a, b = _centred(a, b)
    qa, qb = _basis(a, "A")[0], _basis(b, "B")[0]
    u, rho, _ = np.linalg.svd(qa.T @ qb, full_matrices=False)
    h = qa @ u                                      # canonical variates of A, unit norm, (n, c)
    alpha = np.abs(h.T @ a).sum(axis=1)
    return float(np.sum(alpha * np.clip(rho, 0, 1)) / np.sum(alpha))
