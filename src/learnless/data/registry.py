"""The dataset registry: look datasets up by name (with close-name suggestions) and list them by task.

The datasets themselves are declared in `learnless.data.catalog` (imported on the first lookup, since it
imports every reader); `register` adds one more (a test's, a user's)."""

from __future__ import annotations

import difflib

from learnless.data.dataset import TASKS, Dataset, RemoteFile
from learnless.errors import DatasetNotFoundError

__all__ = ["REGISTRY", "TASKS", "Dataset", "RemoteFile", "get_dataset", "list_datasets", "register"]

REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.task not in TASKS:
        raise ValueError(f"dataset {dataset.name}: unknown task {dataset.task!r}")
    if dataset.name in REGISTRY:
        raise ValueError(f"dataset {dataset.name} registered twice")
    REGISTRY[dataset.name] = dataset
    return dataset


def get_dataset(name: str) -> Dataset:
    """The registered dataset `name`; an unknown name raises with the closest registered names."""
    _ensure_catalog()
    key = name.strip()
    if key in REGISTRY:
        return REGISTRY[key]
    lowered = {k.lower(): k for k in REGISTRY}
    if key.lower() in lowered:
        return REGISTRY[lowered[key.lower()]]
    close = difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(lowered[c] for c in close)}?" if close else ""
    raise DatasetNotFoundError(f"unknown dataset {name!r}{hint} (see `learnless data list`)")


def list_datasets(task: str | None = None) -> list[Dataset]:
    _ensure_catalog()
    return [d for d in REGISTRY.values() if task is None or d.task == task]


_catalog_loaded = False


def _ensure_catalog() -> None:
    """Register the catalog's datasets, once, before the first lookup (the catalog imports every reader)."""
    global _catalog_loaded
    if _catalog_loaded:
        return
    from learnless.data.catalog import DATASETS

    for dataset in DATASETS:
        if dataset.name not in REGISTRY:
            register(dataset)
    _catalog_loaded = True
