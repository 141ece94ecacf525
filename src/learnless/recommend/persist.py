"""Saving a fitted recommender without pickle: one `.npz` holding the parameters and scalar state as JSON,
NumPy arrays as themselves, and sparse matrices as their CSR arrays (data, indices, indptr, shape).

Loading reads with `allow_pickle=False`, so a file can only ever yield arrays and JSON. Attributes that are
neither (the torch network of a BPR-trained model) are listed in the class's `_unsaved` and dropped: the
cached embeddings are what scoring uses."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError, DataError

FORMAT = "learnless.recommender/1"
_CSR_PARTS = ("data", "indices", "indptr", "shape")


def save(model, path) -> Path:
    """Write `model` (fitted) to `path` (".npz" is appended when missing, as NumPy does); returns the path."""
    model._check_fitted("train_")
    state, arrays = {}, {}
    for name, value in vars(model).items():
        if not name.endswith("_") or name.startswith("_") or name in getattr(model, "_unsaved", ()):
            continue
        if sp.issparse(value):
            csr = sp.csr_matrix(value)
            for part in _CSR_PARTS:
                arrays[f"csr:{name}:{part}"] = np.asarray(getattr(csr, part))
        elif isinstance(value, np.ndarray):
            if value.dtype == object:
                value = value.astype(str)
            arrays[f"array:{name}"] = value
        elif isinstance(value, np.dtype):
            state[name] = {"dtype": value.str}
        else:
            state[name] = _jsonable(name, value)
    header = {"format": FORMAT, "class": f"{type(model).__module__}:{type(model).__qualname__}",
              "params": model.get_params(deep=False), "state": state}
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    np.savez(path, __header__=np.array(json.dumps(header)), **arrays)
    return path


def load(path, expected: type | None = None):
    """The recommender saved at `path`. With `expected` (a class), refuse a file holding another model."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such saved model")
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["__header__"]))
            arrays = {k: z[k] for k in z.files if k != "__header__"}
    except (ValueError, KeyError, OSError) as e:
        raise DataError(f"{path}: not a saved learnless recommender ({e})") from None
    if header.get("format") != FORMAT:
        raise DataError(f"{path}: unknown format {header.get('format')!r}, expected {FORMAT!r}")
    cls = _class(str(header.get("class", "")), path)
    if expected is not None and not issubclass(cls, expected):
        raise ConfigError(f"{path}: holds a {cls.__name__}, not a {expected.__name__}")
    try:
        model = cls(**header["params"])
    except TypeError as e:
        raise DataError(f"{path}: parameters do not match {cls.__name__} ({e})") from None
    model.validate()
    names = list(header["state"]) + [k.split(":")[1] for k in arrays]
    odd = [n for n in names if not (n.endswith("_") and n[:1].isalpha())]
    if odd:
        raise DataError(f"{path}: {odd[0]!r} is not a fitted attribute name")
    for name, value in header["state"].items():
        setattr(model, name, np.dtype(value["dtype"]) if isinstance(value, dict) and "dtype" in value
                else value)
    csr: dict[str, dict] = {}
    for key, value in arrays.items():
        kind, _, rest = key.partition(":")
        if kind == "array":
            setattr(model, rest, value)
        else:
            name, _, part = rest.partition(":")
            csr.setdefault(name, {})[part] = value
    for name, parts in csr.items():
        matrix = sp.csr_matrix((parts["data"], parts["indices"], parts["indptr"]),
                               shape=tuple(int(s) for s in parts["shape"]))
        setattr(model, name, matrix)
    return model


def _class(spec: str, path: Path) -> type:
    """Only learnless's own recommenders: a file never chooses an arbitrary module to import."""
    from learnless.recommend.base import Recommender

    module, _, attr = spec.partition(":")
    if not module.startswith("learnless.recommend."):
        raise DataError(f"{path}: class {spec!r} is not a learnless recommender")
    cls = getattr(importlib.import_module(module), attr, None)
    if not (isinstance(cls, type) and issubclass(cls, Recommender)):
        raise DataError(f"{path}: class {spec!r} is not a learnless recommender")
    return cls


def _jsonable(name, value):
    if isinstance(value, np.generic):
        value = value.item()
    try:
        json.dumps(value)
    except TypeError:
        raise ConfigError(f"save: fitted attribute {name} ({type(value).__name__}) cannot be saved without "
                          "pickle") from None
    return value
