"""What a dataset is: its files (with sha256), where they come from, and the reader that turns them into a
Graph / Interactions / table. Shared by the catalog (which declares datasets) and the registry (which looks
them up), so neither imports the other's module at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
