"""Maps from one latent space to another fitted on parallel anchors (the rows both encoders embedded), as
stitchers beside the relative projection: linear (least squares, no bias), affine (least squares with a
bias) and orthogonal (Procrustes: both sides centred and scaled to unit Frobenius norm on the anchors, the
narrower side zero-padded; the map is a rotation / reflection, then rescaled and shifted to B's anchors)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_parallel

TRANSLATORS = ("linear", "affine", "orthogonal")
VIAS = ("relative", *TRANSLATORS)


class Translator:
    """fit(anchors_a, anchors_b) then transform(x_a) -> estimate of x_b in B's space."""

    kinds: ClassVar[tuple[str, ...]] = TRANSLATORS

    def __init__(self, kind: str = "affine"):
        if kind not in TRANSLATORS:
            raise ConfigError(f"translator: {kind!r} is not one of {', '.join(TRANSLATORS)}")
        self.kind = kind

    def fit(self, anchors_a, anchors_b) -> Translator:
        xa = np.asarray(as_matrix(anchors_a, "anchors of A"), dtype=np.float64)
        xb = np.asarray(as_matrix(anchors_b, "anchors of B"), dtype=np.float64)
        check_parallel(xa, xb, ("anchors of A", "anchors of B"))
        if len(xa) < 2:
            raise DataError(f"anchors: need at least 2, got {len(xa)}")
        self.dim_a_, self.dim_b_ = xa.shape[1], xb.shape[1]
        if self.kind == "linear":
            self.w_ = np.linalg.lstsq(xa, xb, rcond=None)[0]
            self.mean_a_, self.bias_ = np.zeros(self.dim_a_), np.zeros(self.dim_b_)
        elif self.kind == "affine":
            self.mean_a_ = xa.mean(axis=0)
            self.bias_ = xb.mean(axis=0)
            self.w_ = np.linalg.lstsq(xa - self.mean_a_, xb - self.bias_, rcond=None)[0]
        else:
            self._fit_orthogonal(xa, xb)
        return self

    def _fit_orthogonal(self, xa, xb) -> None:
        width = max(self.dim_a_, self.dim_b_)
        self.mean_a_, self.bias_ = xa.mean(axis=0), xb.mean(axis=0)
        ca, cb = xa - self.mean_a_, xb - self.bias_
        na, nb = np.linalg.norm(ca), np.linalg.norm(cb)
        if na == 0 or nb == 0:
            raise DataError("anchors: every anchor is the same point in one space; no rotation is defined")
        pa = np.zeros((len(xa), width))
        pb = np.zeros((len(xb), width))
        pa[:, : self.dim_a_], pb[:, : self.dim_b_] = ca / na, cb / nb
        u, _, vt = np.linalg.svd(pa.T @ pb)
        r = u @ vt                                     # argmin ||pa R - pb||_F over orthogonal R
        # x_a -> pad((x_a - mean_a) / na) R * nb + mean_b, cut to B's width: one (dim_a, dim_b) matrix
        self.w_ = (r[: self.dim_a_, : self.dim_b_]) * (nb / na)

    def transform(self, x):
        if not hasattr(self, "w_"):
            raise ConfigError("translator: call fit(anchors_a, anchors_b) first")
        x = np.asarray(as_matrix(x, "A"), dtype=np.float64)
        if x.shape[1] != self.dim_a_:
            raise DataError(f"A: has {x.shape[1]} dimensions, the translator was fitted on {self.dim_a_}")
        return (x - self.mean_a_) @ self.w_ + self.bias_


def translate(x_a, anchors_a, anchors_b, kind: str = "affine") -> np.ndarray:
    """x_a carried into B's space by a translator fitted on the parallel anchors."""
    return Translator(kind).fit(anchors_a, anchors_b).transform(x_a)
