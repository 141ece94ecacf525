"""Reading users' embedding matrices: .npy, .npz (one array, or the key given as FILE:KEY), .pt / .pth
(loaded with weights_only=True: a tensor), .csv (numbers only, optional header)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from learnless.errors import DataError, MissingFileError


def read_matrix(spec: str | Path) -> np.ndarray:
    text = str(spec)
    key = None
    if ".npz:" in text:
        text, key = text.rsplit(":", 1)
    path = Path(text)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    from learnless.data.reading import reading

    try:
        if suffix == ".npy":
            with open(path, "rb") as fh:
                if fh.read(6) != b"\x93NUMPY":
                    raise DataError(f"{path}: not a .npy array file (no NumPy header)")
            arr = np.load(path, allow_pickle=False)
        elif suffix == ".npz":
            with np.load(path, allow_pickle=False) as z:
                names = list(z.keys())
                if key is None:
                    if len(names) != 1:
                        raise DataError(f"{path}: holds arrays {', '.join(names)}; name one as {path}:KEY")
                    key = names[0]
                if key not in names:
                    raise DataError(f"{path}: no array {key!r} (has {', '.join(names)})")
                arr = z[key]
        elif suffix in (".pt", ".pth"):
            import torch

            # a pickle beyond tensors: refused without suggesting the unsafe load (and without torch's
            # warnings about the pickle's protocol: the refusal is the one line)
            with reading(path), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                obj = torch.load(path, map_location="cpu", weights_only=True)
            if not isinstance(obj, torch.Tensor):
                raise DataError(f"{path}: holds a {type(obj).__name__}, not a tensor")
            arr = obj.detach().float().numpy()
        elif suffix == ".csv":
            with reading(path):
                arr = _read_csv(path)
        else:
            raise DataError(f"{path}: unknown extension {suffix or '(none)'}; use .npy, .npz, .pt or .csv")
    except DataError:
        raise
    except ValueError as exc:
        if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
            raise DataError(
                f"{path}: holds an object array (refused: loading it would need allow_pickle)"
            ) from None
        raise DataError(f"{path}: not a numeric array ({exc})") from None
    except (
        OSError,
        EOFError,
        RuntimeError,
        KeyError,
        TypeError,
    ) as exc:  # a corrupt or foreign file: any reader error is the user's file, one line
        raise DataError(f"{path}: not a readable {suffix} array ({type(exc).__name__}: {exc})") from None
    if arr.dtype == object:
        raise DataError(f"{path}: holds an object array")
    if arr.dtype.kind not in "fiub":
        raise DataError(f"{path}: expected numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise DataError(f"{path}: expected a 2-D (samples, dimensions) array, got shape {arr.shape}")
    return arr.astype(np.float64)


def _read_csv(path: Path) -> np.ndarray:
    lines = path.read_text().splitlines()
    skip = 0
    if lines:
        try:
            [float(v) for v in lines[0].split(",")]
        except ValueError:
            skip = 1  # a header row
    return np.loadtxt(path, delimiter=",", skiprows=skip, ndmin=2)
