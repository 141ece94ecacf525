"""`learnless data ...`: list, info, verify, fetch."""

from __future__ import annotations

import typer
from rich.table import Table

from learnless.cli.common import DataDirOption, stdout_console
from learnless.data.registry import get_dataset, list_datasets

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_cmd(task: str = typer.Option(None, "--task", help="Only datasets of this task.")):
    """Every registered dataset."""
    table = Table(title="learnless datasets")
    for col in ("name", "task", "files", "description"):
        table.add_column(col)
    for ds in list_datasets(task):
        table.add_row(ds.name, ds.task, str(len(ds.files)), ds.description)
    stdout_console.print(table)


@app.command()
def info(name: str, data_dir: DataDirOption = None):
    """What a dataset is, its files and checksums, where it comes from."""
    ds = get_dataset(name)
    stdout_console.print(f"[bold]{ds.name}[/bold] ({ds.task}): {ds.description}")
    stdout_console.print(f"citation: {ds.citation}\nlicence: {ds.licence}")
    for f in ds.files:
        stdout_console.print(f"  {f.path}  sha256={f.sha256}  {f.url or ''}")
