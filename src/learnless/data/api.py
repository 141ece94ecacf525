"""The data layer's front door: `load_graph`, `load_interactions`, `load` — by registered name or by path."""

from __future__ import annotations

import os
from pathlib import Path

from learnless.data.paths import cache_dir, data_dir
from learnless.data.registry import Dataset, get_dataset
from learnless.errors import ConfigError, DataError, MissingFileError
from learnless.graph.containers import Graph, Interactions

CACHED_TASKS = ("node-classification", "recommendation")


def dataset_root(ds: Dataset, data_dir_override: str | os.PathLike | None = None) -> Path:
    """The data directory in force; when it lacks the dataset and no directory was given explicitly, the user
    cache (where `learnless data fetch` puts downloads) if that holds every file."""
    root = data_dir(data_dir_override)
    if data_dir_override is None and not all((root / f.path).exists() for f in ds.files):
        fallback = cache_dir()
        if fallback != root and all((fallback / f.path).exists() for f in ds.files):
            return fallback
    return root


def _missing_message(ds: Dataset, path: Path) -> str:
    why = ""
    if not ds.redistributable:
        why = " (its licence forbids redistribution: it is only ever downloaded from its publisher)"
    elif not ds.in_shared_data:
        why = " (it is not part of the shared benchmark data)"
    return (f"{path}: missing file of dataset {ds.name!r}{why}; run `learnless data fetch {ds.name}` "
            "or set --data-dir / LEARNLESS_DATA")


def load(name: str, data_dir_override: str | os.PathLike | None = None, *, verify: bool = False,
         cache: bool = True, download: bool = False):
    """Load a registered dataset from the data directory (see `learnless.data.paths.data_dir`).

    verify: check every file's sha256 first (ChecksumError names expected and actual).
    cache: reuse the processed cache keyed by the raw files' checksums (graphs and interactions).
    download: fetch missing files from their canonical address instead of raising MissingFileError."""
    ds = get_dataset(name)
    root = dataset_root(ds, data_dir_override)
    missing = [f for f in ds.files if not (root / f.path).exists()]
    if missing and download:
        from learnless.data.fetch import fetch_dataset

        fetch_dataset(ds, root)
    elif missing:
        raise MissingFileError(_missing_message(ds, root / missing[0].path))
    if verify:
        from learnless.data.integrity import raise_on_problems, verify_dataset

        raise_on_problems(verify_dataset(ds, root))
    from learnless.data.reading import reading

    with reading(root):
        if cache and ds.task in CACHED_TASKS:
            from learnless.data.cache import cached

            return cached(ds.name, [root / f.path for f in ds.files], lambda: ds.load(root))
        return ds.load(root)


def _load_path(path: str | os.PathLike, fmt: str | None, **kwargs):
    from learnless.data.formats import read_format

    if fmt is None:
        raise ConfigError(f"--format is required when --dataset is a path ({path})")
    from learnless.data.reading import reading

    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file or directory")
    with reading(p):
        return read_format(p, fmt, **kwargs)


def load_graph(name_or_path: str | os.PathLike, format: str | None = None,
               data_dir: str | os.PathLike | None = None, **kwargs) -> Graph:
    """A node-classification Graph from a registered name, or from a path with `format`."""
    obj = _load_path(name_or_path, format, **kwargs) if format else load(str(name_or_path), data_dir,
                                                                         **kwargs)
    if not isinstance(obj, Graph):
        raise DataError(f"{name_or_path}: is a {type(obj).__name__}, not a node-classification graph")
    return obj


def load_interactions(name_or_path: str | os.PathLike, format: str | None = None,
                      data_dir: str | os.PathLike | None = None, **kwargs) -> Interactions:
    """User x item Interactions from a registered name, or from a path with `format`."""
    obj = _load_path(name_or_path, format, **kwargs) if format else load(str(name_or_path), data_dir,
                                                                         **kwargs)
    if not isinstance(obj, Interactions):
        raise DataError(f"{name_or_path}: is a {type(obj).__name__}, not a recommendation dataset")
    return obj
