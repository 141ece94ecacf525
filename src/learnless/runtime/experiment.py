"""The one experiment runner: (configs x seeds) -> executor -> journal -> records.

Seed studies, depth studies, scaling sweeps and seed-pair studies are all Experiments:

    exp = Experiment(train_one, configs=[{"depth": d} for d in (2, 4, 8)], seeds=range(5),
                     shared=graph, split={"kind": "planetoid"},
                     journal=run.path / "journal.jsonl", executor=get_executor("local", 2))
    records = exp.run()          # [{"key", "config", "seed", "status", "result"|"error"}, ...]

`fn(config, seed)` — or `fn(config, seed, shared)` with `shared=` — must be a module-level function (it is
pickled for worker processes). `shared` (the dataset) goes to each worker once, not with every unit.

Identity: the runtime, not the caller, keys each unit — a hash of its resolved config, seed, split and the
fingerprint of its data (`data=`: a file checksum dict or a generator's description; by default the content
hash of `shared`, see learnless.runtime.identity). The journal starts with a header holding the experiment's
identity (function, data, split, `identity=` settings); a resume with another identity is a DataError naming
what differs, never a silent reuse. Every finished unit is appended (fsynced) as it completes, so an
interrupted run — Ctrl-C, a kill, a crash — resumes with `run()` again, repeating nothing it had finished.
With `catch=True`, a unit whose `fn` raises is journaled as failed (its error kept) and the rest go on; a
resume runs failed units again.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from learnless.errors import DataError
from learnless.runtime.executor import _NO_SHARED, Executor, LocalExecutor
from learnless.runtime.identity import differences, fingerprint, function_name, stable_hash, unit_key
from learnless.runtime.journal import HEADER, BadRecord, Journal, JournalWarning
from learnless.runtime.rundir import to_jsonable


def config_key(config: dict, seed: int | None = None) -> str:
    """A stable 16-hex-digit hash of a JSON-able config (key order does not matter) and seed."""
    return stable_hash({"config": config, "seed": seed})


@dataclass(frozen=True)
class Unit:
    config: dict
    seed: int | None
    key: str


def _run_unit(item: tuple[dict, int | None], shared: tuple) -> dict:
    config, seed = item
    fn, catch, has_data, data = shared
    try:
        args = (config,) if seed is None else (config, seed)
        result = fn(*args, data) if has_data else fn(*args)
    except Exception as exc:
        if not catch:
            raise
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    return {"status": "ok", "result": result}


def valid_unit_record(key: str, value: Any) -> None:
    """BadRecord unless `value` is an Experiment unit record for `key`."""
    if not isinstance(value, dict) or value.get("key") != key:
        raise BadRecord("not a unit record of its key")
    if not isinstance(value.get("config"), dict):
        raise BadRecord("its config is not an object")
    if value.get("seed") is not None and not isinstance(value["seed"], int):
        raise BadRecord("its seed is not an integer")
    status = value.get("status")
    if status == "ok":
        if "result" not in value:
            raise BadRecord("an ok record without a result")
    elif status == "failed":
        if not isinstance(value.get("error"), str):
            raise BadRecord("a failed record without an error message")
    else:
        raise BadRecord(f"status {status!r}, expected ok or failed")


def _auto_fingerprint(shared: Any) -> str | None:
    if shared is _NO_SHARED:
        return None
    if isinstance(shared, (np.ndarray, dict, list, tuple)) or (
        dataclasses.is_dataclass(shared) and not isinstance(shared, type)
    ):
        return fingerprint(shared)
    return None


def check_identity(journal: Journal, identity: dict) -> None:
    """Write `identity` as the journal's header, or check it against the header there: a DataError naming
    what differs when the journal belongs to another experiment. A torn last line is cut off."""
    journal.mend()
    old = journal.header
    if old is None:
        if len(journal):
            import warnings

            warnings.warn(f"{journal.path}: {len(journal)} records without an experiment header (an older "
                          "learnless wrote them); they are not reused", JournalWarning, stacklevel=3)
        journal.append(HEADER, identity)
        return
    diff = differences(old, to_jsonable(identity))
    if diff:
        shown = "; ".join(diff[:3]) + (f"; and {len(diff) - 3} more" if len(diff) > 3 else "")
        raise DataError(f"{journal.path} holds another experiment ({shown}); choose another --out, or add "
                        "--force to start over")


class Experiment:
    """Runs `fn` over every (config, seed) unit not yet in the journal; see the module docstring."""

    def __init__(self, fn: Callable, configs: Iterable[dict], seeds: Iterable[int] | None = (0,), *,
                 journal: Journal | str | os.PathLike | None = None, executor: Executor | None = None,
                 catch: bool = False, description: str | None = None,
                 on_record: Callable[[dict], None] | None = None, shared: Any = _NO_SHARED,
                 data: Any = None, split: Any = None, identity: dict | None = None):
        self.fn = fn
        self.configs = [dict(c) for c in configs]
        self.seeds = list(seeds) if seeds is not None else [None]
        self._journal_arg = journal
        self._journal: Journal | None = None
        self.executor = executor
        self.catch = catch
        self.description = description or getattr(fn, "__name__", "experiment")
        self.on_record = on_record
        self.shared = shared
        self.data = to_jsonable(data) if data is not None else _auto_fingerprint(shared)
        self.split = to_jsonable(split)
        self.identity = {"function": function_name(fn), "data": self.data, "split": self.split,
                         **to_jsonable(identity or {})}

    @property
    def journal(self) -> Journal | None:
        """The journal, opened (and its header checked) on first use."""
        if self._journal is None and self._journal_arg is not None:
            j = self._journal_arg
            if not isinstance(j, Journal):
                j = Journal(j, validate=valid_unit_record)
            elif j.validate is None:
                j = Journal(j.path, validate=valid_unit_record)
            check_identity(j, self.identity)
            self._journal = j
        return self._journal

    def key(self, config: dict, seed: int | None) -> str:
        return unit_key(config, seed, self.split, self.data)

    def units(self) -> list[Unit]:
        out, seen = [], set()
        for config in self.configs:
            for seed in self.seeds:
                key = self.key(config, seed)
                if key not in seen:  # duplicates are one unit
                    seen.add(key)
                    out.append(Unit(config, seed, key))
        return out

    def _finished(self, key: str) -> dict | None:
        """The journaled record of a unit that succeeded; a failed one runs again (its cause — a missing
        file, a dead worker — may be gone)."""
        rec = self.journal.get(key) if self.journal is not None else None
        return rec if rec is not None and rec.get("status") == "ok" else None

    def pending(self) -> list[Unit]:
        return [u for u in self.units() if self._finished(u.key) is None]

    def run(self) -> list[dict]:
        """Run what is pending; return every unit's record (journaled earlier or now), in unit order."""
        units = self.units()
        journal = self.journal
        todo = self.pending()
        done: dict[str, dict] = {}
        for u in units:
            if self._finished(u.key) is not None:
                done[u.key] = self._finished(u.key)

        def record(i: int, outcome: dict) -> None:
            unit = todo[i]
            rec = {"key": unit.key, "config": unit.config, "seed": unit.seed, **outcome}
            if journal is not None:
                journal.append(unit.key, rec)
            done[unit.key] = to_jsonable(rec)
            if self.on_record is not None:
                self.on_record(done[unit.key])

        if todo:
            executor = self.executor or LocalExecutor(1)
            has = self.shared is not _NO_SHARED
            shared = (self.fn, self.catch, has, self.shared if has else None)
            items = [(u.config, u.seed) for u in todo]
            executor.map(_run_unit, items, shared=shared, description=self.description, on_result=record)
        return [done[u.key] for u in units]


def ok_results(records: list[dict]) -> list[dict]:
    """The successful records' results, each with its config and seed merged in (for tables)."""
    return [{**r["config"], "seed": r["seed"], **r["result"]} for r in records if r.get("status") == "ok"]


def failures(records: list[dict]) -> list[dict[str, Any]]:
    return [r for r in records if r.get("status") != "ok"]

