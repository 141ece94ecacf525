"""Checksums of local dataset files: what `learnless data verify` and `load(..., verify=True)` report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from learnless.data.registry import Dataset, RemoteFile
from learnless.errors import ChecksumError

OK, MISSING, MISMATCH, UNPINNED = "ok", "missing", "mismatch", "unpinned"


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class FileCheck:
    """One file's state: ok, missing, mismatch (expected vs actual
    sha256) or unpinned (present, no sha256)."""

    dataset: str
    path: Path
    status: str
    expected: str | None = None
    actual: str | None = None

    @property
    def problem(self) -> bool:
        return self.status in (MISSING, MISMATCH)

    def message(self) -> str:
        if self.status == MISMATCH:
            return (f"{self.path}: checksum mismatch (truncated or corrupt file): expected sha256 "
                    f"{self.expected}, "
                    f"got {self.actual}; re-run `learnless data fetch {self.dataset}`")
        if self.status == MISSING:
            return f"{self.path}: missing; run `learnless data fetch {self.dataset}`"
        return f"{self.path}: {self.status}"


def check_file(dataset: str, root: Path, f: RemoteFile) -> FileCheck:
    path = Path(root) / f.path
    if not path.exists():
        return FileCheck(dataset, path, MISSING, f.sha256)
    actual = sha256_file(path)
    if f.sha256 is None:
        return FileCheck(dataset, path, UNPINNED, None, actual)
    return FileCheck(dataset, path, OK if actual == f.sha256 else MISMATCH, f.sha256, actual)


def verify_dataset(ds: Dataset, root: Path) -> list[FileCheck]:
    return [check_file(ds.name, root, f) for f in ds.files]


def raise_on_problems(checks: list[FileCheck]) -> None:
    """ChecksumError naming the first mismatching file with the expected and actual sha256."""
    bad = [c for c in checks if c.status == MISMATCH]
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise ChecksumError(bad[0].message() + more)
