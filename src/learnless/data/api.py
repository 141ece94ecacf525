"""The data layer's front door: `load_graph`, `load_interactions`, `load` — by registered name or by path."""

from __future__ import annotations

import os
from pathlib import Path

from learnless.data.paths import data_dir
from learnless.data.registry import get_dataset
from learnless.errors import ConfigError, DataError, MissingFileError
from learnless.graph.containers import Graph, Interactions


def load(name: str, data_dir_override: str | os.PathLike | None = None):
    """Load a registered dataset from the data directory (see `learnless.data.paths.data_dir`)."""
    ds = get_dataset(name)
    root = data_dir(data_dir_override)
    for f in ds.files:
        if not (root / f.path).exists():
            raise MissingFileError(f"{root / f.path}: missing file of dataset {ds.name!r}; "
                                   f"run `learnless data fetch {ds.name}` or set --data-dir / LEARNLESS_DATA")
    return ds.load(root)


def _load_path(path: str | os.PathLike, fmt: str | None, **kwargs):
    from learnless.data.formats import read_format

    if fmt is None:
        raise ConfigError(f"--format is required when --dataset is a path ({path})")
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file or directory")
    return read_format(p, fmt, **kwargs)


def load_graph(name_or_path: str | os.PathLike, format: str | None = None,
               data_dir: str | os.PathLike | None = None, **kwargs) -> Graph:
    """A node-classification Graph from a registered name, or from a path with `format`."""
    obj = _load_path(name_or_path, format, **kwargs) if format else load(str(name_or_path), data_dir)
    if not isinstance(obj, Graph):
        raise DataError(f"{name_or_path}: is a {type(obj).__name__}, not a node-classification graph")
    return obj


def load_interactions(name_or_path: str | os.PathLike, format: str | None = None,
                      data_dir: str | os.PathLike | None = None, **kwargs) -> Interactions:
    """User x item Interactions from a registered name, or from a path with `format`."""
    obj = _load_path(name_or_path, format, **kwargs) if format else load(str(name_or_path), data_dir)
    if not isinstance(obj, Interactions):
        raise DataError(f"{name_or_path}: is a {type(obj).__name__}, not a recommendation dataset")
    return obj
