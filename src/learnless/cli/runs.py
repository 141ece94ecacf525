"""`learnless runs`: list and compare run directories."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import JsonOption

app = typer.Typer(no_args_is_help=True, help="List and compare run directories.")


@app.command("list")
def list_runs(
    root: Annotated[Path, typer.Argument(help="Directory to search (default ./runs).")] = Path("runs"),
    json_output: JsonOption = False,
):
    """Every run under ROOT, newest first: path, command, date, finished or not."""
    from rich.console import Console
    from rich.table import Table

    from learnless.runtime.listing import find_runs, summarise

    rows = [summarise(p) for p in find_runs(root)]
    if json_output:
        sys.stdout.write(
            json.dumps([{k: r[k] for k in ("path", "command", "date", "status")} for r in rows]) + "\n"
        )
        return
    table = Table(title=f"{len(rows)} runs under {root}")
    for col in ("path", "command", "date", "status"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["path"], r["command"], r["date"], r["status"])
    Console(width=max(160, Console().width)).print(table)


@app.command("show")
def show(
    runs: Annotated[list[Path], typer.Argument(help="One or more run directories to compare.")],
    json_output: JsonOption = False,
):
    """Parameters and metrics of each RUN, side by side (only the keys that differ are marked)."""
    from rich.console import Console
    from rich.table import Table

    from learnless.runtime.listing import summarise

    rows = [summarise(r) for r in runs]
    if json_output:
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    table = Table(title="runs")
    table.add_column("key", overflow="fold")
    for r in rows:
        table.add_column(Path(r["path"]).name, overflow="fold")
    for section in ("params", "metrics"):
        keys = list(dict.fromkeys(k for r in rows for k in r[section]))
        for k in keys:
            values = [r[section].get(k) for r in rows]
            differs = len({json.dumps(v, sort_keys=True, default=str) for v in values}) > 1
            label = f"{section}.{k}" + (" *" if differs and len(rows) > 1 else "")
            table.add_row(label, *("—" if v is None else str(v) for v in values))
    Console(width=max(160, Console().width)).print(table)
