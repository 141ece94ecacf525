"""Figures: one way to make and save them (>= 150 dpi, atomic write, figure closed afterwards)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DPI = 150


def use_file_backend() -> None:
    """Select the non-interactive Agg backend. Called by the CLI entry point only: a library import must not
    change a notebook user's backend."""
    import sys

    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("Agg", force=True)
    else:  # selected when matplotlib is first imported; importing it here would slow every command down
        os.environ["MPLBACKEND"] = "Agg"


def new_figure(width: float = 6.4, height: float = 4.2):
    """(fig, ax) from the object-oriented API (no pyplot global state, safe in worker processes)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def save_figure(fig, path: str | os.PathLike, dpi: int = DPI) -> Path:
    """Write `fig` to `path` (format from the suffix) through a temporary file, so no half-written plot is
    left behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=max(dpi, DPI))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
