"""The `learnless` command: one Typer sub-app per capability, plus `data` and `demo`.

Sub-apps are imported only when their command is run (or its own --help asked for), so `learnless --help`
imports no capability code."""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup, _click

from learnless import __version__
from learnless.cli.common import option
from learnless.errors import LearnlessError

# (sub-command, module holding a Typer `app`, one-line help). A module that does not exist yet (a capability
# not built) is simply not listed.
SUBCOMMANDS = [
    ("data", "learnless.cli.data", "Datasets: list, info, verify, fetch."),
    ("recommend", "learnless.cli.recommend", "GTE and baselines: learning-less recommendation."),
    ("classify", "learnless.cli.classify", "DGMLP and baselines: decoupled deep GNN node classification."),
    ("search", "learnless.cli.search", "Hardware-aware sub-network search (DyNAS-T / LINAS)."),
    ("relate", "learnless.cli.relate", "Relative representations and zero-shot stitching."),
    ("grok", "learnless.cli.grok", "The Li2 grokking lab on group arithmetic."),
    ("runs", "learnless.cli.runs", "List and compare run directories."),
]


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


class Interrupted(Exception):
    """Ctrl-C inside a command, carried past typer's own KeyboardInterrupt handling to `main`."""


class LazyGroup(TyperGroup):
    """The root group: capability sub-apps resolved on demand through `typer.main.get_command`."""

    _listing = False  # True while the root help is rendered: list sub-apps from SUBCOMMANDS, import nothing

    def _lazy(self) -> dict[str, tuple[str, str]]:
        return {name: (module, help_) for name, module, help_ in SUBCOMMANDS
                if name not in self.commands and _module_exists(module)}

    def list_commands(self, ctx):
        return [*self._lazy(), *super().list_commands(ctx)]

    def get_command(self, ctx, cmd_name):
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            return cmd
        lazy = self._lazy()
        if cmd_name not in lazy:
            return None
        module, help_ = lazy[cmd_name]
        if self._listing:
            return TyperGroup(name=cmd_name, help=help_)
        return _load_subapp(cmd_name, module, help_)

    def format_help(self, ctx, formatter):
        self._listing = True
        try:
            return super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would turn it into a silent `Exit(130)`, indistinguishable from a command's own exit code
            raise Interrupted from None

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except _click.exceptions.UsageError as exc:
            # typer suggests only among eagerly registered commands; add the lazy ones
            if args and "Did you mean" not in exc.message:
                matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
            raise


def _load_subapp(name: str, module: str, help_: str):
    """The click group of `module.app`, built exactly as `add_typer(app, name=name, help=help_)` would."""
    wrapper = typer.Typer()
    wrapper.add_typer(importlib.import_module(module).app, name=name, help=help_)
    return typer.main.get_command(wrapper).commands[name]


app = typer.Typer(name="learnless", cls=LazyGroup, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False,
                  help="Good neural models, and an understanding of them, with as little training as "
                       "possible.")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"learnless {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, option("--version", callback=_print_version, is_eager=True)] = False,
) -> None:
    """Good neural models, and an understanding of them, with as little training as possible."""


@app.command()
def demo(quick: Annotated[bool, option("--quick")] = False,
         json_output: Annotated[bool, option(
             "--json", "The summary rows: each figure a number with its unit in `values`.")] = False,
         only: Annotated[list[str] | None, option("--only")] = None):
    """Run every capability on embedded (generated) data and print a summary table."""
    from learnless.demo import run_demo

    sections = [p.strip() for v in only or () for p in v.split(",") if p.strip()]
    run_demo(quick=quick, json_output=json_output, only=sections or None)


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
    """Entry point: user mistakes (click's usage errors included) print one `error: <message>` line on stderr
    and exit 2, never a traceback; Ctrl-C prints `interrupted` and exits 130."""
    import warnings

    from learnless.cli.startup import defer_heavy_imports
    from learnless.report.figures import use_file_backend

    defer_heavy_imports()
    use_file_backend()
    warnings.showwarning = _one_line_warning
    fresh = _FreshRunDirs(sys.argv[1:] if argv is None else argv)
    try:
        # standalone_mode=False hands back a command's `typer.Exit(code)` as the return value.
        code = app(args=argv, standalone_mode=False)
    except LearnlessError as exc:
        fresh.remove_unfinished()
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (Interrupted, typer.Abort, KeyboardInterrupt):
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except _usage_error_types() as exc:  # bad option values, unknown commands, missing arguments
        if type(exc).__name__ == "NoArgsIsHelpError":  # a group without its sub-command: its help
            exc.show()
            sys.exit(2)
        typer.echo(f"error: {_usage_message(exc)}", err=True)
        sys.exit(2 if exc.exit_code in (None, 0, 1) else exc.exit_code)
    except (OverflowError, MemoryError) as exc:
        # a size the code cannot hold that no check caught first: still the user's input, not a crash
        what = "a value is too large for this machine" if isinstance(exc, OverflowError) else "out of memory"
        typer.echo(f"error: {what} ({' '.join(str(exc).split()) or type(exc).__name__})", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


class _FreshRunDirs:
    """Run directories a refused command made: `--out DIR` when it did not exist, and new folders under
    ./runs/<capability>/. A check that fails after the directory was opened (config.json, run.log and .lock
    written, nothing else) must not leave a run behind that looks started; anything with results is kept."""

    STARTED_ONLY = frozenset({"config.json", "run.log", ".lock"})  # .lock: the run directory's lock file

    def __init__(self, argv: list[str]):
        from pathlib import Path

        self.out = None
        for i, arg in enumerate(argv):
            if arg == "--out" and i + 1 < len(argv):
                self.out = Path(argv[i + 1])
            elif arg.startswith("--out="):
                self.out = Path(arg.split("=", 1)[1])
        self.out_existed = self.out is not None and self.out.exists()
        self.before = self._default_dirs()

    @staticmethod
    def _default_dirs() -> set:
        from pathlib import Path

        root = Path("runs")
        return {p for p in root.glob("*/*") if p.is_dir()} if root.is_dir() else set()

    def remove_unfinished(self) -> None:
        import shutil

        candidates = self._default_dirs() - self.before
        if self.out is not None and not self.out_existed:
            candidates.add(self.out)
        for path in candidates:
            try:
                if path.is_dir() and {p.name for p in path.iterdir()} <= self.STARTED_ONLY:
                    shutil.rmtree(path)
            except OSError:
                pass


def _usage_message(exc) -> str:
    """click's usage error as one line, in the form of every other error, with where to find help."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see `{ctx.command_path} --help`)"
    return message


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    """Python warnings as `warning: <message>`, without the file:line and source echo."""
    text = str(message).strip().splitlines()
    sys.stderr.write(f"warning: {' '.join(s.strip() for s in text)}\n")


if __name__ == "__main__":
    main()
