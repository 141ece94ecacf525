"""What makes a unit of work the same unit: its resolved parameters, its seed, its split and the data it
runs on. The runtime hashes these into the unit's journal key, and an experiment's identity (what every unit
shares: the function, the data, the split, settings) into the journal header that a resume checks.

Data is fingerprinted by content: `fingerprint(obj)` hashes the arrays of an in-memory dataset (a Graph, a
dict of arrays, ...), `files_fingerprint` the sha256 of input files (the checksum provenance records), and
generated data is named by its generator and parameters (`generated("learnless.grok.groups.split_pairs")`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np


def _canonical(obj: Any) -> str:
    from learnless.runtime.rundir import to_jsonable

    return json.dumps(to_jsonable(obj), sort_keys=True, separators=(",", ":"), default=str)


def stable_hash(obj: Any, length: int = 16) -> str:
    """A hex hash of a JSON-able object (dict key order does not matter)."""
    return hashlib.sha256(_canonical(obj).encode()).hexdigest()[:length]


def unit_key(params: dict, seed: int | None = None, split: Any = None, data: Any = None) -> str:
    """The journal key of one unit: all its resolved parameters, its seed, its split and its data."""
    return stable_hash({"params": params, "seed": seed, "split": split, "data": data})


def _feed(h, obj: Any) -> None:
    import scipy.sparse as sp

    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj)
        h.update(f"nd{arr.dtype.str}{arr.shape}".encode())
        h.update(arr.tobytes() if arr.dtype != object else _canonical(arr.tolist()).encode())
    elif sp.issparse(obj):
        csr = sp.csr_matrix(obj)
        h.update(f"sp{csr.shape}".encode())
        for part in (csr.data, csr.indices, csr.indptr):
            _feed(h, part)
    elif hasattr(obj, "detach") and hasattr(obj, "cpu"):  # a torch tensor
        _feed(h, obj.detach().cpu().numpy())
    elif isinstance(obj, dict):
        for k in sorted(obj, key=str):
            h.update(f"k{k}".encode())
            _feed(h, obj[k])
    elif isinstance(obj, (list, tuple)):
        h.update(f"l{len(obj)}".encode())
        for v in obj:
            _feed(h, v)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        _feed(h, {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    else:
        h.update(_canonical(obj).encode())


def fingerprint(data: Any) -> str:
    """sha256 of an in-memory dataset's content (arrays, sparse matrices, tensors, dicts, dataclasses)."""
    h = hashlib.sha256()
    _feed(h, data)
    return h.hexdigest()


def files_fingerprint(inputs: dict[str, str | os.PathLike]) -> dict[str, str]:
    """name -> sha256 of each input file (the checksum provenance records in config.json)."""
    from learnless.data.integrity import sha256_file

    return {name: sha256_file(p) for name, p in sorted(inputs.items()) if Path(p).is_file()}


def dataset_fingerprint(*names: str) -> dict[str, str | None]:
    """path -> sha256 of every file of the registered datasets `names`, as found in the data directory
    (None for a file that is not there)."""
    from learnless.data.api import dataset_root
    from learnless.data.integrity import sha256_file
    from learnless.data.registry import get_dataset

    out: dict[str, str | None] = {}
    for name in names:
        ds = get_dataset(name)
        root = dataset_root(ds)
        for f in ds.files:
            path = root / f.path
            out[f.path] = sha256_file(path) if path.is_file() else None
    return out


def generated(generator: str, **params) -> dict:
    """The identity of generated data: the generator's name and its parameters."""
    return {"generator": generator, **params}


def function_name(fn) -> str:
    """module.qualname of a function (of the function a functools.partial wraps)."""
    inner = getattr(fn, "func", fn)
    return f"{getattr(inner, '__module__', '?')}.{getattr(inner, '__qualname__', type(inner).__name__)}"


def differences(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Human-readable `field: old -> new` lines where two JSON-able identities differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            name = f"{prefix}.{k}" if prefix else str(k)
            if k not in new:
                out.append(f"{name}: {_short(old[k])} in the journal, absent now")
            elif k not in old:
                out.append(f"{name}: absent in the journal, {_short(new[k])} now")
            else:
                out += differences(old[k], new[k], name)
        return out
    if _canonical(old) != _canonical(new):
        return [f"{prefix or 'identity'}: {_short(old)} in the journal, {_short(new)} now"]
    return []


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return f"sha256 {value[:12]}…"
    text = _canonical(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
