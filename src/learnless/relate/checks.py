"""Input checks shared by the projection and the metrics: finite 2-D float arrays, no zero-norm rows."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError, DataTypeError


def _rows(mask, limit: int = 5, offset: int = 0) -> str:
    idx = np.flatnonzero(np.asarray(mask)) + offset
    shown = ", ".join(str(int(i)) for i in idx[:limit])
    return shown + (f", ... ({len(idx)} rows)" if len(idx) > limit else "")


def as_matrix(x, what: str):
    """A 2-D float array or tensor (tensors are kept as tensors for autograd); NaN / inf rows refused."""
    try:
        import torch
    except ImportError:  # pragma: no cover
        torch = None
    if torch is not None and isinstance(x, torch.Tensor):
        if x.ndim != 2:
            raise DataError(f"{what}: expected a 2-D (n, d) array, got shape {tuple(x.shape)}")
        if not x.is_floating_point():
            x = x.float()
        bad = ~torch.isfinite(x.detach()).all(dim=1)
        if bool(bad.any()):
            raise DataError(f"{what}: NaN or infinite values in rows {_rows(bad.cpu().numpy())}")
        return x
    if hasattr(x, "tocsr") or type(x).__module__.startswith("scipy.sparse"):
        raise DataError(f"{what}: sparse input is not supported; pass a dense array (x.toarray())")
    arr = np.asarray(x)
    if arr.dtype == object:
        try:  # numbers held as objects are numbers; anything else is not a matrix
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise DataTypeError(f"{what}: an object array is not a numeric matrix ({exc})") from None
    if arr.ndim != 2:
        hint = " (Reshape your data: x.reshape(-1, 1) for one feature, x.reshape(1, -1) for one row)"
        raise DataError(f"{what}: expected a 2-D (n, d) array, got shape {arr.shape}"
                        f"{hint if arr.ndim == 1 else ''}")
    if arr.shape[1] == 0:
        raise DataError(f"{what}: 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required.")
    if arr.dtype.kind == "c":
        raise DataError(f"{what}: Complex data not supported (dtype {arr.dtype})")
    if arr.dtype.kind not in "fiub":
        raise DataError(f"{what}: expected numbers, got dtype {arr.dtype}")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    # chunked: a full-size boolean temporary would cost n x d bytes on inputs meant to stream
    bad = np.concatenate(
        [~np.isfinite(arr[s : s + 65536]).all(axis=1) for s in range(0, len(arr), 65536)]
        or [np.zeros(0, dtype=bool)]
    )
    if bad.any():
        raise DataError(f"{what}: NaN or infinite values in rows {_rows(bad)}")
    return arr


def check_nonzero(norms, what: str, offset: int = 0) -> None:
    norms = np.asarray(norms)
    zero = norms <= 1e-12
    if zero.any():
        raise DataError(
            f"{what}: zero-norm rows {_rows(zero, offset=offset)} have no direction (cosine undefined)"
        )


def check_parallel(a, b, names=("A", "B")) -> None:
    if len(a) != len(b):
        raise DataError(
            f"{names[0]} has {len(a)} rows but {names[1]} has {len(b)}: parallel inputs "
            "must describe the same samples in the same order"
        )


def check_anchor_count(n_anchors: int, n_samples: int) -> None:
    if n_anchors > n_samples:
        raise ConfigError(f"n_anchors: {n_anchors} anchors requested but only {n_samples} samples")
