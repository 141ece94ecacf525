"""The `learnless` command: one Typer sub-app per capability, plus `data` and `demo`."""

from __future__ import annotations

import importlib
import sys

import typer

from learnless import __version__
from learnless.errors import LearnlessError

app = typer.Typer(name="learnless", no_args_is_help=True, add_completion=True, pretty_exceptions_enable=False,
                  help="Good neural models, and an understanding of them, with as little training as possible.")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"learnless {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Good neural models, and an understanding of them, with as little training as possible."""

# (sub-command, module holding a Typer `app`). A capability that is not built yet simply is not listed.
SUBCOMMANDS = [
    ("data", "learnless.cli.data", "Datasets: list, info, verify, fetch."),
    ("recommend", "learnless.cli.recommend", "GTE and baselines: learning-less recommendation."),
    ("classify", "learnless.cli.classify", "DGMLP and baselines: decoupled deep GNN node classification."),
    ("search", "learnless.cli.search", "Hardware-aware sub-network search (DyNAS-T / LINAS)."),
    ("relate", "learnless.cli.relate", "Relative representations and zero-shot stitching."),
    ("grok", "learnless.cli.grok", "The Li2 grokking lab on group arithmetic."),
    ("runs", "learnless.cli.runs", "List and compare run directories."),
]

for _name, _module, _help in SUBCOMMANDS:
    try:
        _mod = importlib.import_module(_module)
    except ModuleNotFoundError as _exc:
        if not _exc.name or not (_module == _exc.name or _module.startswith(_exc.name + ".")):
            # a real import error inside an existing module must not be hidden
            raise
        continue
    app.add_typer(_mod.app, name=_name, help=_help)


@app.command()
def demo(quick: bool = typer.Option(False, "--quick", help="Smaller problems, for a smoke test."),
         json_output: bool = typer.Option(False, "--json", help="Print the summary rows as JSON.")):
    """Run every capability on embedded (generated) data and print a summary table."""
    from learnless.demo import run_demo

    run_demo(quick=quick, json_output=json_output)


@app.command()
def version():
    """Print the version."""
    typer.echo(__version__)


def _usage_error_types() -> tuple[type, ...]:
    """Click's exception base, as vendored by typer >= 0.20 (typer._click) and/or as the click package."""
    types = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            types.append(importlib.import_module(module).ClickException)
        except ImportError:
            pass
    return tuple(types)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes print one `error: <message>` line (or click's usage line) on stderr and exit
    2, never a traceback; Ctrl-C prints `interrupted` and exits 130."""
    import warnings

    from learnless.report.figures import use_file_backend

    use_file_backend()
    warnings.showwarning = _one_line_warning
    try:
        # standalone_mode=False hands back a command's `typer.Exit(code)` as the return value.
        code = app(args=argv, standalone_mode=False)
    except LearnlessError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except _usage_error_types() as exc:  # bad option values, unknown commands, missing arguments
        exc.show()
        sys.exit(2 if exc.exit_code in (None, 0, 1) else exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(f"warning: {message}\n")
