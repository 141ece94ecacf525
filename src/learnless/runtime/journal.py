"""An append-only journal for long runs (sweeps, searches): every finished unit of work is on disk before the
next starts, and a killed run resumes where it stopped — the design of Optuna's JournalFileStorage.

    journal = Journal(run.path / "journal.jsonl")
    for key, config in work:
        if key in journal:            # finished in an earlier, interrupted run
            continue
        journal.append(key, evaluate(config))

One JSON object per line, `{"key": ..., "value": ...}`. Writing: the file is opened in append mode and each
record is written whole under an exclusive fcntl lock, then flushed and fsynced, so concurrent writers never
interleave and a record on disk is complete. Reading never fails on damage: every line is checked (UTF-8,
JSON, shape, finite numbers, and the caller's `validate`); a bad line is reported by its number (a
JournalWarning) and skipped, so its unit runs again, and everything before and after it is kept. A torn last
line (a writer killed mid-record) is dropped with a warning and cut off by the next append.
"""

from __future__ import annotations

import fcntl
import json
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from learnless.errors import DataError
from learnless.runtime.rundir import to_jsonable

HEADER = "__experiment__"


class JournalWarning(UserWarning):
    """A journal line was skipped or dropped (damage); the unit it held runs again."""


class BadRecord(ValueError):
    """Raised by a journal's `validate` for a record that must not be reused."""


def _no_constant(name: str):
    raise BadRecord(f"non-finite number {name}")


def parse_line(raw: bytes) -> tuple[str, Any]:
    """(key, value) of one journal line; BadRecord saying why it is not a record."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRecord("not UTF-8 text") from None
    try:
        record = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"not JSON ({exc.msg})") from None
    if not isinstance(record, dict) or set(record) != {"key", "value"} or not isinstance(record["key"], str):
        raise BadRecord('not a {"key": str, "value": ...} object')
    return record["key"], record["value"]


@contextmanager
def _locked(fd: int):
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _tail_start(fd: int, size: int, chunk: int = 1 << 16) -> int:
    """Offset just after the last newline of the file (0 when it has none)."""
    end = size
    while end > 0:
        start = max(0, end - chunk)
        block = os.pread(fd, end - start, start)
        i = block.rfind(b"\n")
        if i >= 0:
            return start + i + 1
        end = start
    return 0


class Journal:
    """See the module docstring. `validate(key, value)` raises BadRecord (or ValueError, TypeError, KeyError)
    for a value that must not be reused; the header record (HEADER) is not passed to it."""

    def __init__(self, path: str | os.PathLike, validate: Callable[[str, Any], None] | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.validate = validate
        self._records: dict[str, Any] = {}
        self.skipped: list[int] = []  # line numbers of bad records
        self.torn = False
        if self.path.exists():
            self._load()

    def _check(self, raw: bytes) -> tuple[str, Any]:
        key, value = parse_line(raw)
        if self.validate is not None and key != HEADER:
            try:
                self.validate(key, value)
            except (BadRecord, ValueError, TypeError, KeyError, AttributeError) as exc:
                raise BadRecord(str(exc) or type(exc).__name__) from None
        return key, value

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise DataError(f"{self.path}: cannot read the journal ({exc.strerror or exc})") from None
        lines = data.split(b"\n")
        for lineno, raw in enumerate(lines[:-1], 1):
            if not raw.strip():
                continue
            try:
                key, value = self._check(raw)
            except BadRecord as exc:
                self.skipped.append(lineno)
                warnings.warn(f"{self.path}:{lineno}: skipped a bad journal record ({exc}); its unit runs "
                              "again", JournalWarning, stacklevel=3)
                continue
            self._records[key] = value
        tail = lines[-1]
        if tail.strip():  # no newline after the last line: complete but unterminated, or torn
            try:
                key, value = self._check(tail)
                self._records[key] = value
            except BadRecord:
                self.torn = True
                warnings.warn(f"{self.path}:{len(lines)}: dropped a torn last line ({len(tail)} bytes: the "
                              "writer stopped mid-record); its unit runs again", JournalWarning, stacklevel=3)

    def __contains__(self, key: str) -> bool:
        return str(key) in self._records

    def __getitem__(self, key: str) -> Any:
        return self._records[str(key)]

    def get(self, key: str, default: Any = None) -> Any:
        return self._records.get(str(key), default)

    def __len__(self) -> int:
        """The number of records, the header not counted."""
        return len(self._records) - (HEADER in self._records)

    def items(self) -> Iterator[tuple[str, Any]]:
        """(key, value) of every record but the header."""
        return ((k, v) for k, v in self._records.items() if k != HEADER)

    @property
    def header(self) -> Any:
        return self._records.get(HEADER)

    def append(self, key: str, value: Any) -> None:
        """Record `value` for `key` durably (a later append for the same key wins on reading)."""
        value = to_jsonable(value)
        line = (json.dumps({"key": str(key), "value": value}, allow_nan=False) + "\n").encode()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            with _locked(fd):
                self._mend_tail(fd)
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
        finally:
            os.close(fd)
        self._records[str(key)] = json.loads(line)["value"]

    def mend(self) -> None:
        """Cut off a torn last line now (a writer calls this when it opens the journal), so it is reported
        once, not on every later reading."""
        if not self.torn:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
        try:
            with _locked(fd):
                self._mend_tail(fd)
        finally:
            os.close(fd)
        self.torn = False

    def _mend_tail(self, fd: int) -> None:
        """Under the lock: a last line without its newline was left by a writer that died (writers hold the
        lock until their line is complete). Keep it if it is a whole record, else cut it off."""
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return
        start = _tail_start(fd, size)
        try:
            self._check(os.pread(fd, size - start, start))
            os.write(fd, b"\n")
        except BadRecord:
            os.ftruncate(fd, start)
