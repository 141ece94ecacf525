"""An append-only journal for long runs (sweeps, searches): every finished unit of work is on disk before the
next starts, and a killed run resumes where it stopped — the idea of Optuna's JournalStorage.

    journal = Journal(run.path / "journal.jsonl")
    for key, config in work:
        if key in journal:            # finished in an earlier, interrupted run
            continue
        journal.append(key, evaluate(config))

One JSON object per line, flushed and fsynced per record. A torn last line (the process died mid-write) is
ignored on reading and overwritten by the next append.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from learnless.errors import DataError
from learnless.runtime.rundir import to_jsonable


class Journal:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._records: dict[str, Any] = {}
        self._valid_bytes = 0
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        data = self.path.read_bytes()
        offset = 0
        for lineno, line in enumerate(data.split(b"\n"), 1):
            end = offset + len(line) + 1
            if not line.strip():
                offset = end
                continue
            try:
                record = json.loads(line)
                key, value = record["key"], record["value"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                if end >= len(data):  # torn final line: the writer died mid-record
                    break
                raise DataError(f"{self.path}:{lineno}: corrupt journal record ({exc})") from exc
            if end > len(data):  # a complete record missing only its newline
                break
            self._records[str(key)] = value
            offset = end
            self._valid_bytes = offset

    def __contains__(self, key: str) -> bool:
        return str(key) in self._records

    def __getitem__(self, key: str) -> Any:
        return self._records[str(key)]

    def __len__(self) -> int:
        return len(self._records)

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(self._records.items())

    def append(self, key: str, value: Any) -> None:
        """Record `value` for `key` durably (a later append for the same key wins on reading)."""
        line = (json.dumps({"key": str(key), "value": to_jsonable(value)}) + "\n").encode()
        with open(self.path, "r+b" if self.path.exists() else "wb") as fh:
            fh.seek(self._valid_bytes)
            fh.write(line)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        self._valid_bytes += len(line)
        self._records[str(key)] = json.loads(line)["value"]
