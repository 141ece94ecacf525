"""`learnless data ...`: list, info, verify, fetch."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from learnless.cli.common import DataDirOption, JsonOption, option, stdout_console
from learnless.data.registry import TASKS, get_dataset, list_datasets
from learnless.errors import ConfigError, DataError

app = typer.Typer(no_args_is_help=True)


def _where(ds) -> str:
    if not ds.redistributable:
        return "download only (licence)"
    return "shared data" if ds.in_shared_data else "download only"


@app.command("list")
def list_cmd(task: Annotated[str | None, option("--task", f"One of {', '.join(TASKS)}.")] = None,
             json_output: JsonOption = False):
    """Every registered dataset (with --json: a list of {name, task, files, source, description})."""
    if task is not None and task not in TASKS:
        raise ConfigError(f"--task: unknown {task!r}; expected one of {', '.join(TASKS)}")
    rows = [{"name": ds.name, "task": ds.task, "files": len(ds.files), "source": _where(ds),
             "description": ds.description} for ds in list_datasets(task)]
    if json_output:
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    table = Table(title="learnless datasets", box=box.SIMPLE_HEAD, pad_edge=False)
    # names are what users copy into --dataset: never truncated or wrapped, whatever the terminal width;
    # the description takes what room is left, folded
    table.add_column("name", no_wrap=True, min_width=max((len(r["name"]) for r in rows), default=4))
    table.add_column("task", no_wrap=True)
    table.add_column("files", justify="right", no_wrap=True)
    table.add_column("source", overflow="fold")
    table.add_column("description", overflow="fold", ratio=1)
    for r in rows:
        table.add_row(r["name"], r["task"], str(r["files"]), r["source"], escape(r["description"]))
    stdout_console.print(table)


@app.command()
def info(name: str, data_dir: DataDirOption = None):
    """What a dataset is, its files and checksums, where it comes from, whether it is present locally."""
    from learnless.data.api import dataset_root

    ds = get_dataset(name)
    root = dataset_root(ds, data_dir)
    out = stdout_console
    out.print(f"[bold]{ds.name}[/bold] ({ds.task}): {escape(ds.description)}")
    out.print(f"citation: {escape(ds.citation)}\nlicence: {escape(ds.licence)}\nsource: {_where(ds)}")
    out.print(f"data directory: {root}")
    table = Table(show_header=True)
    for col in ("file", "bytes", "sha256", "local", "address"):
        table.add_column(col, overflow="fold")
    for f in ds.files:
        present = "present" if (root / f.path).exists() else "missing"
        url = f.url or ""
        if f.member:
            url += f" (member {f.member})"
        table.add_row(f.path, f"{f.size:,}" if f.size else "?", f.sha256 or "not pinned", present, url)
    out.print(table)


@app.command()
def verify(name: str | None = typer.Argument(None, help="Dataset to check (default: every dataset)."),
           data_dir: DataDirOption = None):
    """Check the sha256 of local copies: ok / missing / mismatch (expected and actual). Exit 2 on problems.

    Without NAME, datasets of which no file is present are listed as 'absent' and are not problems."""
    from learnless.data.api import dataset_root
    from learnless.data.integrity import verify_dataset

    datasets = [get_dataset(name)] if name else list_datasets()
    table = Table(title="learnless data verify")
    for col in ("dataset", "file", "status", "detail"):
        table.add_column(col, overflow="fold")
    problems = 0
    roots = set()
    for ds in datasets:
        root = dataset_root(ds, data_dir)
        roots.add(str(root))
        checks = verify_dataset(ds, root)
        if not name and all(c.status == "missing" for c in checks):
            table.add_row(ds.name, f"{len(checks)} file(s)", "[dim]absent[/dim]", f"learnless data fetch "
                                                                                  f"{ds.name}")
            continue
        for c in checks:
            problems += c.problem
            style = {"ok": "green", "unpinned": "yellow"}.get(c.status, "bold red")
            detail = ""
            if c.status == "mismatch":
                detail = f"expected {c.expected}\nactual   {c.actual}"
            elif c.status == "missing":
                detail = f"learnless data fetch {ds.name}"
            elif c.status == "unpinned":
                detail = f"sha256 {c.actual} (no registered checksum)"
            table.add_row(ds.name, _relative(c.path, root), f"[{style}]{c.status}[/{style}]", detail)
    stdout_console.print(table)
    stdout_console.print(f"data directory: {', '.join(sorted(roots))}")
    if problems:  # a LearnlessError: the CLI prints it as one line and exits 2
        raise DataError(f"{problems} file(s) missing or not matching their sha256 (see the table above)")
    stdout_console.print("[green]all present files match their checksums[/green]")


def _relative(path, root) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


@app.command()
def fetch(name: str, data_dir: DataDirOption = None,
          force: Annotated[bool, option("--force", "For data fetch: download again even when the files are "
                                                   "present.")] = False):
    """Download a dataset from its canonical address into the data directory (atomic, checksum-verified)."""
    from learnless.data.fetch import fetch_dataset
    from learnless.data.paths import data_dir as resolve

    ds = get_dataset(name)
    root = resolve(data_dir)
    if not ds.redistributable:
        stdout_console.print(f"[yellow]licence:[/yellow] {escape(ds.licence)}")
    done = fetch_dataset(ds, root, force=force)
    from learnless.data.integrity import sha256_file

    for f in ds.files:
        note = "" if f.sha256 else f"  (no pinned checksum; sha256 {sha256_file(root / f.path)})"
        stdout_console.print(f"{done[f.path]:>10}  {root / f.path}{note}")
    stdout_console.print(f"[green]{ds.name}: ready in {root}[/green]")
