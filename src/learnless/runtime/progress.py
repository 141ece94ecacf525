"""Rich progress bars that stay quiet when nobody is watching (not a TTY, --json, tests)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
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
    with make_progress() as bar:
        task = bar.add_task(description, total=total)
        for item in iterable:
            yield item
            bar.advance(task)
