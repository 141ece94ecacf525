"""What every sub-command shares: option types, dataset resolution, run directories and --json output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:  # the runtime (numpy, rich.progress) loads only when a command writes metrics
    from learnless.runtime.rundir import RunDir

# Human output goes to stderr when --json is on, so stdout holds exactly one JSON document.
stdout_console = Console()
stderr_console = Console(stderr=True)

# The one CLI vocabulary. Every run-like command takes the options below that apply to it, with these names,
# these defaults and these help texts; capability modules add only options that are theirs alone.
DatasetOption = Annotated[str, typer.Option(
    "--dataset", "-d", help="A registered dataset name (see `learnless data list`) or a path to your own "
                            "files (with --format).")]
SeedOption = Annotated[int, typer.Option(
    "--seed", min=0, help="Random seed (splits, initialisation, sampling).")]
SeedsOption = Annotated[int, typer.Option(
    "--seeds", min=1, help="Number of seeds: 0, 1, ..., N-1 (one run each; on a dataset with published "
                           "splits, seed i uses split i).")]
SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="Hyper-parameter KEY=VALUE (repeatable); `--set help` lists the keys.")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress bars or tables; errors still print.")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Overwrite an --out directory that holds a different run.")]
TimeBudgetOption = Annotated[float | None, typer.Option(
    "--time-budget", min=0, help="Seconds of training per model (default: no limit; epochs bound it).")]
OutOption = Annotated[Path | None, typer.Option(
    "--out", help="Run directory (default runs/<capability>/<time>-<name>).")]
JsonOption = Annotated[bool, typer.Option(
    "--json", help="Print the flat metrics dict as JSON on stdout, nothing else.")]
DataDirOption = Annotated[Path | None, typer.Option(
    "--data-dir", help="Data directory (default $LEARNLESS_DATA, else the user cache).")]
FormatOption = Annotated[str | None, typer.Option(
    "--format", help="Format when --dataset is a path to your own files.")]
DeviceOption = Annotated[
    str, typer.Option("--device", help="Where to train: cpu or cuda (cuda needs a GPU build of torch).")
]
BackendOption = Annotated[str, typer.Option("--backend", help="Executor: local (process pool) or ray.")]
AddressOption = Annotated[str | None, typer.Option(
    "--address", help="Ray cluster address (with --backend ray).")]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", help="Parallel workers (default: all cores).")]


def parse_set(pairs: list[str] | None, estimator: type | None = None,
              extra_keys: tuple[str, ...] = ()) -> dict:
    """--set KEY=VALUE pairs as a dict; VALUE parsed as a Python literal (1, 0.5, True, None, [1, 2], 'x')
    and kept as a string otherwise. With `estimator`, unknown keys are refused, listing the valid ones."""
    import ast

    from learnless.errors import ConfigError

    valid = sorted(set(estimator._get_param_names()) | set(extra_keys)) if estimator is not None else None
    out = {}
    for pair in pairs or []:
        if pair.strip() == "help":
            raise ConfigError(f"--set keys: {', '.join(valid) if valid else '(none)'}")
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ConfigError(f"--set: expected KEY=VALUE, got {pair!r}")
        if valid is not None and key not in valid:
            import difflib

            close = difflib.get_close_matches(key, valid, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"--set: unknown key {key!r}{hint}; valid keys: {', '.join(valid)}")
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            value = raw.strip()
        out[key] = value
    return out


def command_name(ctx: typer.Context) -> str:
    """"learnless classify run": with the resolved params, what config.json compares to resume a run dir."""
    return ctx.command_path


def console_for(json_output: bool) -> Console:
    return stderr_console if json_output else stdout_console


def emit_metrics(metrics: dict, run: RunDir | None, json_output: bool) -> None:
    """Write metrics.json (atomically) and print the metrics: a JSON dict on stdout with --json."""
    from learnless.runtime.rundir import to_jsonable

    if run is not None:
        run.write_metrics(metrics)
    if json_output:
        sys.stdout.write(json.dumps(to_jsonable(metrics)) + "\n")
        sys.stdout.flush()
