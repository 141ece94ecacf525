"""Supervised maps between two latent spaces fitted on known correspondences: a bound on what a fitted
alignment can retrieve, against which the zero-shot relative comparison is judged.

Every map sees unit-length rows (retrieval is by cosine, so vector norms carry no signal here).
`lstsq`: affine least squares from A to B (widths may differ). `procrustes`: orthogonal Procrustes after
centring both spaces on their training means; when the widths differ, the wider space is first reduced by
PCA (fitted on the training rows) to the narrower width. Retrieval for `procrustes` happens in the centred
target frame, for the others in the target's own frame. `kernel_ridge`: a nonlinear map, scikit-learn's
RBF kernel ridge regression (alpha 0.1, gamma 1 on unit rows)."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_nonzero, check_parallel

MAPS = ("lstsq", "procrustes", "kernel_ridge")


def _unit_rows(x: np.ndarray, what: str) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1)
    check_nonzero(norms, what)
    return x / norms[:, None]


def _pca_basis(x: np.ndarray, width: int) -> np.ndarray:
    """(d, width): the top principal directions of already-centred rows."""
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return vt[:width].T


class FittedMap:
    """A supervised map (`method` in MAPS): `fit(a, b)` on parallel rows, then `source(a)` / `target(b)`
    put new rows of each space in the frame where the mapped source rows are compared with the target
    rows."""

    def __init__(self, method: str = "lstsq"):
        if method not in MAPS:
            raise ConfigError(f"method: {method!r} is not one of {', '.join(MAPS)}")
        self.method = method

    def fit(self, a, b) -> FittedMap:
        a, b = (np.asarray(as_matrix(x, w), dtype=np.float64) for x, w in ((a, "A"), (b, "B")))
        check_parallel(a, b)
        a, b = _unit_rows(a, "A"), _unit_rows(b, "B")
        if self.method == "kernel_ridge":
            from sklearn.kernel_ridge import KernelRidge

            self.model_ = KernelRidge(alpha=0.1, kernel="rbf", gamma=1.0).fit(a, b)
            return self
        if self.method == "lstsq":
            if len(a) <= a.shape[1]:
                raise DataError(f"A: {len(a)} training rows for {a.shape[1] + 1} coefficients per output: "
                                "least squares needs more rows than that")
            design = np.hstack([a, np.ones((len(a), 1))])
            self.coef_, *_ = np.linalg.lstsq(design, b, rcond=None)
            return self
        self.mean_a_, self.mean_b_ = a.mean(axis=0), b.mean(axis=0)
        ac, bc = a - self.mean_a_, b - self.mean_b_
        width = min(a.shape[1], b.shape[1])
        self.basis_a_ = _pca_basis(ac, width) if a.shape[1] > width else np.eye(width)
        self.basis_b_ = _pca_basis(bc, width) if b.shape[1] > width else np.eye(width)
        u, _, vt = np.linalg.svd((ac @ self.basis_a_).T @ (bc @ self.basis_b_))
        self.rotation_ = u @ vt
        return self

    def source(self, a) -> np.ndarray:
        a = _unit_rows(np.asarray(as_matrix(a, "A"), dtype=np.float64), "A")
        if self.method == "kernel_ridge":
            return self.model_.predict(a)
        if self.method == "lstsq":
            return np.hstack([a, np.ones((len(a), 1))]) @ self.coef_
        return (a - self.mean_a_) @ self.basis_a_ @ self.rotation_

    def target(self, b) -> np.ndarray:
        b = _unit_rows(np.asarray(as_matrix(b, "B"), dtype=np.float64), "B")
        if self.method != "procrustes":
            return b
        return (b - self.mean_b_) @ self.basis_b_


def split_rows(n: int, train_fraction: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(known, held_out) row indices: a seeded random `train_fraction` of range(n) and the rest."""
    if not 0 < train_fraction < 1:
        raise ConfigError(f"train_fraction: must be in (0, 1), got {train_fraction}")
    order = np.random.default_rng(seed).permutation(n)
    cut = round(train_fraction * n)
    return order[:cut], order[cut:]


def supervised_bound(a, b, method: str = "lstsq", train_fraction: float = 0.5, k: int = 5, seed: int = 0,
                     null: bool = True) -> dict:
    """Fit a `FittedMap` from A to B on the known rows of `split_rows`, then search the
    held-out B rows with the mapped held-out A rows: `jaccard@k`, `mrr@k`, `mrr` (as
    `cross_space_retrieval`) and the paired `cosine`; with `null`, each also after fitting on shuffled
    training pairs (`<name>.null`: what the map achieves without any correspondence)."""
    from learnless.relate.metrics import _pair, cosine_paired, cross_space_retrieval

    a, b = _pair(a, b)
    train, test = split_rows(len(a), train_fraction, seed)
    rng = np.random.default_rng(seed + 1)
    if len(test) <= k:
        raise DataError(f"A and B: {len(test)} held-out rows, need more than k = {k}")
    out = {"train": len(train), "test": len(test)}
    fits = [("", train)]
    if null:
        fits.append((".null", train[rng.permutation(len(train))]))
    for key, b_rows in fits:
        m = FittedMap(method).fit(a[train], b[b_rows])
        src, tgt = m.source(a[test]), m.target(b[test])
        r = cross_space_retrieval(src, tgt, k=k)
        for name, value in r.items():
            out[f"{name}{key}"] = value
        out[f"cosine{key}"] = cosine_paired(src, tgt)
    return out
