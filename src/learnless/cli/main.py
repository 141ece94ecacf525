"""The `learnless` command: one Typer sub-app per capability, plus `data`, `demo` and `bench`."""

from __future__ import annotations

import importlib
import sys

import typer

from learnless import __version__
from learnless.errors import LearnlessError

app = typer.Typer(name="learnless", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Good neural models, and an understanding of them, with as little training as possible.")

# (sub-command, module holding a Typer `app`). A capability that is not built yet simply is not listed.
SUBCOMMANDS = [
    ("data", "learnless.cli.data", "Datasets: list, info, verify, fetch."),
    ("recommend", "learnless.cli.recommend", "GTE and baselines: learning-less recommendation."),
    ("classify", "learnless.cli.classify", "DGMLP and baselines: decoupled deep GNN node classification."),
    ("search", "learnless.cli.search", "Hardware-aware sub-network search (DyNAS-T / LINAS)."),
    ("relate", "learnless.cli.relate", "Relative representations and zero-shot stitching."),
    ("grok", "learnless.cli.grok", "The Li2 grokking lab on group arithmetic."),
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


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes print `error: <message>` on stderr and exit 2, never a traceback."""
    try:
        # standalone_mode=False hands back a command's `typer.Exit(code)` as the return value.
        code = app(args=argv, standalone_mode=False)
    except LearnlessError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # click usage errors (bad option values) are user mistakes too
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(code if isinstance(code, int) else 0)
