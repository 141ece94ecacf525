"""The dataset registry: what each dataset is, which files it has (with sha256), where it comes from, and
which reader turns those files into a Graph / Interactions / table."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from learnless.errors import DatasetNotFoundError

TASKS = ("node-classification", "recommendation", "images", "text", "nas-table")


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset: its path relative to the data directory, sha256 (None: not pinned), and the
    canonical public download address. `member`: the file is that member of the archive (.zip) at `url`."""

    path: str
    sha256: str | None
    url: str | None = None
    size: int | None = None
    member: str | None = None


@dataclass(frozen=True)
class Dataset:
    name: str
    task: str
    files: tuple[RemoteFile, ...]
    reader: Callable[[Path, Dataset], object] = field(repr=False, compare=False)
    description: str = ""
    citation: str = ""
    licence: str = ""
    redistributable: bool = True  # False: loaders exist but the files may only be downloaded by the user
    in_shared_data: bool = True  # False: registered and downloadable but not in ../shared/data

    def load(self, root: Path):
        return self.reader(Path(root), self)


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


def _ensure_catalog() -> None:
    from learnless.data import catalog  # noqa: F401  (registers every dataset on import)
