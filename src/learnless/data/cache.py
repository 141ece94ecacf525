"""The processed cache: a parsed Graph / Interactions saved as a pickle-free `.npz` under
`<cache dir>/processed/`, keyed by the sha256 of every raw file (and a format version), so that loading a
dataset twice parses it once and any change to a raw file invalidates the cache. Writes are atomic."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.data.integrity import sha256_file
from learnless.data.paths import processed_dir
from learnless.graph.containers import Graph, Interactions

CACHE_VERSION = 1  # bump when a reader's output changes
CACHE_KEY_LEN = 24


def cache_key(name: str, files: list[Path]) -> str:
    h = hashlib.sha256(f"learnless-processed-v{CACHE_VERSION}\0{name}".encode())
    for f in sorted(files, key=str):
        h.update(f"\0{f.name}\0{sha256_file(f)}".encode())
    return h.hexdigest()[:CACHE_KEY_LEN]


def cache_path(name: str, key: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return processed_dir() / f"{safe}-{key}.npz"


def _put_csr(out: dict, prefix: str, m: sp.csr_matrix) -> None:
    out[f"{prefix}.data"], out[f"{prefix}.indices"] = m.data, m.indices
    out[f"{prefix}.indptr"], out[f"{prefix}.shape"] = m.indptr, np.asarray(m.shape, np.int64)


def _get_csr(z, prefix: str) -> sp.csr_matrix:
    return sp.csr_matrix((z[f"{prefix}.data"], z[f"{prefix}.indices"], z[f"{prefix}.indptr"]),
                         shape=tuple(z[f"{prefix}.shape"]))


def to_arrays(obj) -> dict[str, np.ndarray] | None:
    """The arrays of a Graph / Interactions (None: not cacheable, e.g. meta that is not JSON)."""
    try:
        meta = json.dumps(obj.meta)
    except (TypeError, ValueError):
        return None
    out: dict[str, np.ndarray] = {"meta": np.asarray(meta), "name": np.asarray(obj.name)}
    if isinstance(obj, Graph):
        out["kind"] = np.asarray("graph")
        _put_csr(out, "adj", obj.adj)
        out["x"], out["y"] = obj.x, obj.y
        for m in ("train_mask", "val_mask", "test_mask"):
            if getattr(obj, m) is not None:
                out[m] = getattr(obj, m)
        return out
    if isinstance(obj, Interactions):
        out["kind"] = np.asarray("interactions")
        for part in ("train", "test", "val"):
            if getattr(obj, part) is not None:
                _put_csr(out, part, getattr(obj, part))
        for ids in ("user_ids", "item_ids"):
            arr = getattr(obj, ids)
            if arr is not None:
                arr = np.asarray(arr)
                if arr.dtype == object:
                    return None
                out[ids] = arr
        return out
    return None


def from_arrays(z) -> Graph | Interactions:
    kind = str(z["kind"])
    meta, name = json.loads(str(z["meta"])), str(z["name"])
    if kind == "graph":
        masks = [z[m] if m in z.files else None for m in ("train_mask", "val_mask", "test_mask")]
        return Graph(_get_csr(z, "adj"), z["x"], z["y"], *masks, name=name, meta=meta)
    parts = {p: (_get_csr(z, p) if f"{p}.data" in z.files else None) for p in ("train", "test", "val")}
    ids = {k: (z[k] if k in z.files else None) for k in ("user_ids", "item_ids")}
    return Interactions(parts["train"], parts["test"], parts["val"], ids["user_ids"], ids["item_ids"],
                        name=name, meta=meta)


def read_cached(path: Path):
    """The cached object, or None when absent or unreadable (a partial file from a crash is never renamed
    into place, but a foreign or damaged file is simply re-derived)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return from_arrays(z)
    except Exception:  # noqa: BLE001  (any damage to a cache file: fall back to the raw files)
        return None


def write_cached(path: Path, obj) -> bool:
    arrays = to_arrays(obj)
    if arrays is None:
        return False
    try:  # an unwritable cache only costs speed: never fail a load because of it
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
        _drop_stale(path)
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)
        return False
    return True


def _drop_stale(current: Path) -> None:
    """Remove this dataset's entries for older raw files (same name, other key)."""
    stem = current.stem[: -(CACHE_KEY_LEN + 1)]
    for p in current.parent.glob(f"{stem}-*.npz"):
        key = p.stem[len(stem) + 1:]
        if p != current and len(key) == CACHE_KEY_LEN and all(c in "0123456789abcdef" for c in key):
            try:
                p.unlink()
            except OSError:
                pass


def cached(name: str, files: list[Path], read):
    """`read()` once per distinct content of `files`; later calls return the cached result."""
    path = cache_path(name, cache_key(name, files))
    obj = read_cached(path)
    if obj is not None:
        return obj
    obj = read()
    write_cached(path, obj)
    return obj
