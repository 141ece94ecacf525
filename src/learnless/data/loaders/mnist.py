"""MNIST idx files (LeCun et al.): `<split>-images-idx3-ubyte[.gz]` and `<split>-labels-idx1-ubyte[.gz]`."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from learnless.data.tables import ImageSet
from learnless.errors import DataError, MissingFileError


def read_idx(path: str | Path) -> np.ndarray:
    """An idx array (unsigned-byte data): magic 0x0000 08 <ndim>, big-endian int32 dims, then the bytes."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: missing idx file")
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: truncated or corrupt gzip ({exc})") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataError(f"{path}: not an unsigned-byte idx file (bad magic {raw[:4].hex()})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    dims = tuple(int(d) for d in np.frombuffer(raw[4:header], dtype=">i4"))
    if len(dims) != ndim or int(np.prod(dims)) != len(raw) - header:
        raise DataError(f"{path}: header says {dims} but holds {len(raw) - header} bytes of data")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def read_mnist(folder: str | Path, split: str = "t10k", name: str | None = None) -> ImageSet:
    folder = Path(folder)

    def find(kind: str) -> Path:
        for suffix in (".gz", ""):
            p = folder / f"{split}-{kind}-ubyte{suffix}"
            if p.exists():
                return p
        raise MissingFileError(f"{folder / f'{split}-{kind}-ubyte.gz'}: missing MNIST file")

    images = read_idx(find("images-idx3"))
    labels = read_idx(find("labels-idx1"))
    if images.ndim != 3 or labels.ndim != 1:
        raise DataError(f"{folder}: expected images (n, h, w) and labels (n,), got {images.shape}, "
                        f"{labels.shape}")
    if labels.size and labels.max() > 9:
        raise DataError(f"{folder}: label {int(labels.max())} is not a digit")
    return ImageSet(images, labels.astype(np.int64), name=name or f"mnist-{split}",
                    meta={"format": "idx", "split": split})
