"""What every sub-command shares: option types, dataset resolution, run directories and --json output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from learnless.runtime.rundir import RunDir, to_jsonable

# Human output goes to stderr when --json is on, so stdout holds exactly one JSON document.
stdout_console = Console()
stderr_console = Console(stderr=True)

OutOption = Annotated[Path | None, typer.Option("--out", help="Run directory (default runs/<capability>/<time>-<name>).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the flat metrics dict as JSON on stdout, nothing else.")]
DataDirOption = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (default $LEARNLESS_DATA, else the user cache).")]
FormatOption = Annotated[str | None, typer.Option("--format", help="Format when --dataset is a path to your own files.")]
BackendOption = Annotated[str, typer.Option("--backend", help="Executor: local (process pool) or ray.")]
AddressOption = Annotated[str | None, typer.Option("--address", help="Ray cluster address (with --backend ray).")]
WorkersOption = Annotated[int | None, typer.Option("--workers", help="Parallel workers (default: all cores).")]


def console_for(json_output: bool) -> Console:
    return stderr_console if json_output else stdout_console


def emit_metrics(metrics: dict, run: RunDir | None, json_output: bool) -> None:
    """Write metrics.json (atomically) and print the metrics: a JSON dict on stdout with --json."""
    if run is not None:
        run.write_metrics(metrics)
    if json_output:
        sys.stdout.write(json.dumps(to_jsonable(metrics)) + "\n")
        sys.stdout.flush()
