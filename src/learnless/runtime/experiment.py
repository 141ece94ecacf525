"""The one experiment runner: (configs x seeds) -> executor -> journal keyed by the config -> records.

Seed studies, depth studies, scaling sweeps, searches and seed-pair studies are all Experiments:

    exp = Experiment(train_one, configs=[{"depth": d} for d in (2, 4, 8)], seeds=range(5),
                     journal=run.path / "journal.jsonl", executor=get_executor("local", 2))
    records = exp.run()          # [{"key", "config", "seed", "status", "result"|"error"}, ...]

`fn(config, seed) -> dict` must be a module-level function (it is pickled for worker processes). Every
finished unit is appended (fsynced) to the journal as it completes, so an interrupted run — Ctrl-C, a kill,
a crash — resumes with `run()` again, repeating nothing it had finished. A unit's key is a stable hash of its
resolved config and seed, so changing a config makes a new unit rather than reusing a stale result.
With `catch=True`, a unit whose `fn` raises is journaled as failed
(its error message kept) and the rest go on.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from learnless.runtime.executor import Executor, LocalExecutor
from learnless.runtime.journal import Journal
from learnless.runtime.rundir import to_jsonable


def config_key(config: dict, seed: int | None = None) -> str:
    """A stable 16-hex-digit hash of a JSON-able config (key order does not matter) and seed."""
    payload = {"config": to_jsonable(config), "seed": seed}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Unit:
    config: dict
    seed: int | None
    key: str


def _run_unit(item: tuple[Callable, dict, int | None, bool]) -> dict:
    fn, config, seed, catch = item
    try:
        result = fn(config, seed) if seed is not None else fn(config)
    except Exception as exc:
        if not catch:
            raise
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    return {"status": "ok", "result": result}


class Experiment:
    """Runs `fn` over every (config, seed) unit not yet in the journal; see the module docstring."""

    def __init__(self, fn: Callable, configs: Iterable[dict], seeds: Iterable[int] | None = (0,), *,
                 journal: Journal | str | os.PathLike | None = None, executor: Executor | None = None,
                 catch: bool = False, description: str | None = None,
                 on_record: Callable[[dict], None] | None = None):
        self.fn = fn
        self.configs = [dict(c) for c in configs]
        self.seeds = list(seeds) if seeds is not None else [None]
        self.journal = journal if isinstance(journal, Journal) or journal is None else Journal(journal)
        self.executor = executor
        self.catch = catch
        self.description = description or getattr(fn, "__name__", "experiment")
        self.on_record = on_record

    def units(self) -> list[Unit]:
        out, seen = [], set()
        for config in self.configs:
            for seed in self.seeds:
                key = config_key(config, seed)
                if key not in seen:  # duplicates are one unit
                    seen.add(key)
                    out.append(Unit(config, seed, key))
        return out

    def pending(self) -> list[Unit]:
        return [u for u in self.units() if self.journal is None or u.key not in self.journal]

    def run(self) -> list[dict]:
        """Run what is pending; return every unit's record (journaled earlier or now), in unit order."""
        units = self.units()
        todo = self.pending()
        done: dict[str, dict] = {}
        if self.journal is not None:
            for u in units:
                if u.key in self.journal:
                    done[u.key] = self.journal[u.key]

        def record(i: int, outcome: dict) -> None:
            unit = todo[i]
            rec = {"key": unit.key, "config": unit.config, "seed": unit.seed, **outcome}
            if self.journal is not None:
                self.journal.append(unit.key, rec)
            done[unit.key] = to_jsonable(rec)
            if self.on_record is not None:
                self.on_record(done[unit.key])

        if todo:
            executor = self.executor or LocalExecutor(1)
            items = [(self.fn, u.config, u.seed, self.catch) for u in todo]
            executor.map(_run_unit, items, description=self.description, on_result=record)
        return [done[u.key] for u in units]


def ok_results(records: list[dict]) -> list[dict]:
    """The successful records' results, each with its config and seed merged in (for tables)."""
    return [{**r["config"], "seed": r["seed"], **r["result"]} for r in records if r.get("status") == "ok"]


def failures(records: list[dict]) -> list[dict[str, Any]]:
    return [r for r in records if r.get("status") != "ok"]
