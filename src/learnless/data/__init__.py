"""Datasets: registry, loaders for every on-disk format, safe pickles, downloads, synthetic generators.

Names are resolved on first use (PEP 562), so importing one sub-module (`learnless.data.registry` for
`learnless data --help`) does not load every reader and SciPy."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {
    "load": "api", "load_graph": "api", "load_interactions": "api",
    "read_format": "formats",
    "data_dir": "paths",
    "Dataset": "dataset", "RemoteFile": "dataset", "get_dataset": "registry", "list_datasets": "registry",
    "random_split": "splits",
    "sbm_graph": "synthetic", "user_item_graph": "synthetic",
    "ImageSet": "tables", "LatencyTable": "tables", "SubnetTable": "tables", "TextSet": "tables",
}

__all__ = ["Dataset", "ImageSet", "LatencyTable", "RemoteFile", "SubnetTable", "TextSet", "data_dir",
           "get_dataset", "list_datasets", "load", "load_graph", "load_interactions", "random_split",
           "read_format", "sbm_graph", "user_item_graph"]
assert sorted(__all__) == sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'learnless.data' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"learnless.data.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:
    from learnless.data.api import load, load_graph, load_interactions
    from learnless.data.dataset import Dataset, RemoteFile
    from learnless.data.formats import read_format
    from learnless.data.paths import data_dir
    from learnless.data.registry import get_dataset, list_datasets
    from learnless.data.splits import random_split
    from learnless.data.synthetic import sbm_graph, user_item_graph
    from learnless.data.tables import ImageSet, LatencyTable, SubnetTable, TextSet
