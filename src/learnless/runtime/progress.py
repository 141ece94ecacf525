"""Rich progress bars that stay quiet when nobody is watching (not a TTY, --json, tests)."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

T = TypeVar("T")

# Progress goes to stderr so that `--json` keeps stdout clean.
console = Console(stderr=True)


# The open run's logger (set by RunDir): progress is mirrored there as plain lines.
_log_sink: logging.Logger | None = None
LOG_EVERY_SECONDS = 30.0


def set_log_sink(logger: logging.Logger | None) -> None:
    global _log_sink
    _log_sink = logger


class Tracker:
    """One task's progress: a Rich bar on stderr (when someone watches) and a line in run.log every
    LOG_EVERY_SECONDS and at the end. `total=None` for work bounded by time rather than count."""

    def __init__(self, bar: Progress, description: str, total: float | None):
        self.bar, self.description, self.total = bar, description, total
        self.task = bar.add_task(description, total=total)
        self.done = 0.0
        self.start = self._last_log = time.monotonic()

    def advance(self, n: float = 1, **fields) -> None:
        self.done += n
        self.bar.update(self.task, advance=n, **fields)
        now = time.monotonic()
        if _log_sink is not None and now - self._last_log >= LOG_EVERY_SECONDS:
            self._last_log = now
            _log_sink.info(self.line())

    def update(self, completed: float | None = None, total: float | None = None, **fields) -> None:
        if total is not None:
            self.total = total
        if completed is not None:
            self.advance(completed - self.done, **({"total": total} if total is not None else {}), **fields)
        elif total is not None or fields:  # a new total alone must reach the bar too (its ETA depends on it)
            self.bar.update(self.task, **({"total": total} if total is not None else {}), **fields)

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        of = f"/{self.total:g}" if self.total else ""
        return f"progress {self.description}: {self.done:g}{of} after {elapsed:.1f} s"


@contextmanager
def track(description: str, total: float | None = None) -> Iterator[Tracker]:
    """with track("epochs", total=200) as t: ... t.advance()"""
    with make_progress() as bar:
        tracker = Tracker(bar, description, total)
        try:
            yield tracker
        except BaseException as exc:  # Ctrl-C or an error: run.log still says how far the work got
            if _log_sink is not None:
                _log_sink.info(f"{tracker.line()} ({type(exc).__name__})")
            raise
        if _log_sink is not None:
            _log_sink.info(tracker.line())


def progress_enabled() -> bool:
    if os.environ.get("LEARNLESS_PROGRESS") == "0":
        return False
    if os.environ.get("LEARNLESS_PROGRESS") == "1":
        return True
    return sys.stderr.isatty()


def make_progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True,
                    disable=not progress_enabled())


def progress(iterable: Iterable[T], description: str = "working", total: int | None = None) -> Iterator[T]:
    """Wrap an iterable in a progress bar on stderr (silent off a terminal or with LEARNLESS_PROGRESS=0)."""
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)
    with track(description, total) as tracker:
        for item in iterable:
            yield item
            tracker.advance()
