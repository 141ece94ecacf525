"""The CLI vocabulary (learnless.cli.common.VOCABULARY) holds for every option of every command: the whole
Typer app is walked, so a command added anywhere is checked too."""

from __future__ import annotations

import re

import pytest
import typer
from typer.core import TyperOption

from learnless.cli.common import PER_COMMAND, VOCABULARY
from learnless.cli.main import SUBCOMMANDS, _load_subapp, _module_exists, app
from tests.console import console

# Commands that compute must take --json, --quiet and --out; these only list or show what exists (or, for
# resume, write into the RUN_DIR argument, which is its --out).
NOT_COMPUTING = {
    "learnless version", "learnless demo", "learnless data list", "learnless data info",
    "learnless data verify",
    "learnless data fetch", "learnless runs list", "learnless runs show", "learnless search show",
    "learnless search spaces", "learnless grok presets", "learnless search resume",
    # these write into what they are given: the RUN argument (update), one --output file (export, predict)
    "learnless recommend update", "learnless search export", "learnless classify predict",
}


def _commands():
    out = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}")
        else:
            out.append((path, cmd))

    root = typer.main.get_command(app)
    for name, sub in root.commands.items():
        walk(sub, f"learnless {name}")
    for name, module, help_ in SUBCOMMANDS:
        if _module_exists(module):
            walk(_load_subapp(name, module, help_), f"learnless {name}")
    out.append(("learnless", root))
    return out


COMMANDS = _commands()
TYPER_OWN = {"help", "install_completion", "show_completion"}  # typer's, not learnless's
OPTIONS = [(path, p) for path, cmd in COMMANDS for p in cmd.params if isinstance(p, TyperOption)
           and p.name not in TYPER_OWN]


def _long(param) -> str:
    return next(o for o in param.opts if o.startswith("--"))


def _decls(term) -> set[str]:
    return {d for decl in term.decls for d in decl.split("/")}


def test_the_walk_reaches_every_capability():
    paths = {p for p, _ in COMMANDS}
    for name, module, _ in SUBCOMMANDS:
        if _module_exists(module):
            assert any(p.startswith(f"learnless {name} ") for p in paths), name
    assert len(OPTIONS) > 150


@pytest.mark.parametrize("path, param", OPTIONS, ids=[f"{p} {_long(q)}" for p, q in OPTIONS])
def test_every_option_is_in_the_vocabulary(path, param):
    name = _long(param)
    assert name in VOCABULARY, f"{path}: {name} is not in learnless.cli.common.VOCABULARY"
    term = VOCABULARY[name]
    assert set(param.opts) | set(param.secondary_opts) == _decls(term), f"{path} {name}: declarations"
    kind = param.bare_type()
    if term.kind is bool:
        assert param.is_flag, f"{path} {name}: the vocabulary says an on/off flag"
    else:
        actual = kind if isinstance(kind, str) else kind.__name__
        expected = f"list[{term.kind.__name__}]" if term.multiple else term.kind.__name__
        assert actual == expected, f"{path} {name}: type {actual}, vocabulary {expected}"
    assert param.multiple == term.multiple, f"{path} {name}: repeatable or not"
    assert (param.min, param.max) == (term.min, term.max), f"{path} {name}: range"
    assert (param.help or "").startswith(term.meaning), f"{path} {name}: help must start with its meaning"
    if term.default is not PER_COMMAND:
        default = param.default
        if term.multiple and default is not None:
            default = ",".join(default)
        assert default == term.default, f"{path} {name}: {param.default!r}, vocabulary {term.default!r}"


@pytest.mark.parametrize("path, param", OPTIONS, ids=[f"{p} {_long(q)}" for p, q in OPTIONS])
def test_the_default_shown_is_the_default_used(path, param):
    """Typer shows `[default: X]` from the code's default; prose may describe a default only where the code's
    is None (what None resolves to), never beside a shown one."""
    cmd = next(c for p, c in COMMANDS if p == path)
    record = param.get_help_record(typer.Context(cmd))
    text = " ".join(record[1].split()) if record else ""
    shown = re.search(r"\[default: ([^;\]]*)", text)
    value = param.default
    if param.is_flag and param.secondary_opts:  # --on/--off: typer shows the name of the default side
        value = (param.opts if value else param.secondary_opts)[0].lstrip("-")
    if value is None or param.is_flag and value is False:
        assert shown is None, f"{path} {_long(param)}: shows a default for None"
    else:
        expected = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        assert shown is not None and shown.group(1).strip() == expected, f"{path} {_long(param)}: {text}"
        prose = re.sub(r"\[default:[^\]]*\]", "", text)
        assert not re.search(r"\bdefault\b", prose, re.IGNORECASE), (
            f"{path} {_long(param)}: help prose names a default beside the shown {expected!r}")


@pytest.mark.parametrize("path, cmd", [(p, c) for p, c in COMMANDS if p != "learnless"],
                         ids=[p for p, _ in COMMANDS if p != "learnless"])
def test_every_computing_command_takes_json_quiet_and_out(path, cmd):
    names = {_long(p) for p in cmd.params if isinstance(p, TyperOption) and p.name != "help"}
    if path in NOT_COMPUTING or not hasattr(cmd, "params"):
        return
    missing = {"--json", "--quiet", "--out"} - names
    assert not missing, f"{path} lacks {', '.join(sorted(missing))}"


def test_set_keys_are_generated_from_the_estimators():
    """`--set help` on stdout, exit 0: every constructor parameter with its type and default."""
    from learnless.grok.trainer import GrokTrainer

    proc = console("grok", "train", "--set", "help")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    for key in GrokTrainer._get_param_names():
        assert re.search(rf"^\s+{key}\s", proc.stdout, re.MULTILINE), key
    assert "hidden  int in [1, inf)" in " ".join(proc.stdout.split("\n")) or "int in [1" in proc.stdout


@pytest.mark.parametrize("args", [
    ["classify", "run", "-d", "cora", "--seeds", "0"],
    ["classify", "run", "-d", "cora", "--seed", "99999999999999999999"],
    ["search", "run", "--supernet", "mlp-elastic", "--evals", "abc"],
    ["relate", "compare", "a.npy", "b.npy", "--top-n", "0"],
    ["recommend", "top", "-d", "x", "--users", "1", "-n", "-1"],
])
def test_range_and_usage_errors_are_one_error_line(args):
    proc = console(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "--help" in lines[0]
