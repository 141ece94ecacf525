"""Docs that run: every `learnless ...` command line in README.md and docs/*.md names options that exist with
values they accept (parsed by the CLI itself, nothing executed), the cheap ones are run, and every Python
snippet of the README runs as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperOption

from learnless.cli.main import app
from tests.console import ENV, console

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PLACEHOLDER = re.compile(r"^([A-Z][A-Z_0-9]*|[A-Z]+=[A-Z]+|KEY=VALUE|NAME:min\|max|\.\.\.)$")
# commands cheap enough to run from the docs as they stand (no data, a second or two)
CHEAP = ("learnless search spaces", "learnless grok presets", "learnless data list", "learnless version")


COMMAND_WORDS = r"(?:data|recommend|classify|search|relate|grok|runs|demo|version|--)"


def _command_lines(text: str) -> list[tuple[str, str]]:
    """(kind, line): "block" for a line of a shell block (a command as typed), "prose" for an inline span
    (which may name a command without its required arguments)."""
    lines = []
    for lang, block in _fences(text):
        if lang not in ("", "bash", "sh", "console", "shell"):
            continue
        joined = re.sub(r"\\\n\s*", " ", block)
        lines += [("block", ln.strip()) for ln in joined.splitlines()
                  if re.match(r"\s*(\$ )?learnless\b", ln)]
    for span in re.findall(rf"`(learnless {COMMAND_WORDS}[^`]*)`", text):
        lines.append(("prose", " ".join(span.split())))
    return lines


def _fences(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, fences paired in order."""
    out, lang, body = [], None, []
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            if lang is None:
                lang, body = line.strip()[3:].strip(), []
            else:
                out.append((lang, "\n".join(body)))
                lang = None
        elif lang is not None:
            body.append(line)
    return out


def _doc_commands() -> list[tuple[str, str, str]]:
    out = []
    for page in PAGES:
        for kind, line in _command_lines(page.read_text()):
            out.append((page.name, kind, line))
    return list(dict.fromkeys(out))


def _tokens(line: str) -> list[str]:
    line = re.sub(r"\s#.*$", "", line.removeprefix("$ "))
    line = line.replace("[", " ").replace("]", " ")
    try:
        tokens = shlex.split(line)
    except ValueError:
        tokens = line.split()
    out = []
    for t in tokens[1:]:
        if t in ("...", "…") or t.startswith(("|", ">", "2>")):
            continue
        if t.endswith(("...", "…")) and not t.startswith("-"):
            t = t.rstrip(".…").rstrip(",")
        if t.startswith("-") and "|" in t:  # --a|--b alternatives: the first
            t = t.split("|")[0]
        if "|" in t and not t.startswith("-") and ":" not in t and "<=" not in t:
            t = t.split("|")[0]
        out.append(t)
    return out


def _resolve(tokens: list[str]):
    """(leaf command, its arguments, command path) for `learnless <tokens>`."""
    cmd, path = typer.main.get_command(app), ["learnless"]
    ctx = typer.Context(cmd)
    while hasattr(cmd, "commands") or hasattr(cmd, "get_command"):
        if not tokens or tokens[0].startswith("-"):
            break
        sub = cmd.get_command(ctx, tokens[0])
        if sub is None:
            return None, tokens, path
        path.append(tokens.pop(0))
        cmd, ctx = sub, typer.Context(sub, parent=ctx)
        if not hasattr(sub, "commands"):
            break
    return cmd, tokens, path


def _fill_placeholders(cmd, tokens: list[str]) -> tuple[list[str], bool]:
    """Placeholder values (N, DIR, KEY=VALUE) become a valid value of their option; returns (tokens, whether
    the line held placeholders)."""
    by_name = {o: p for p in cmd.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
    out, had = [], False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        name = t.split("=")[0] if t.startswith("--") else t
        param = by_name.get(name)
        if isinstance(param, TyperOption) and not param.is_flag and "=" not in t and i + 1 < len(tokens):
            value = tokens[i + 1]
            if PLACEHOLDER.match(value) or value in ("F", "DIR", "RUN"):
                had = True
                default = param.default
                kind = param.bare_type()
                kind = kind if isinstance(kind, str) else kind.__name__
                if default in (None, []):
                    value = {"int": "1", "float": "0.5"}.get(kind, "x=1")
                else:
                    value = str(default[0] if isinstance(default, list) else default)
            out += [t, value]
            i += 2
            continue
        if PLACEHOLDER.match(t):
            had = True
        out.append(t)
        i += 1
    return out, had


COMMANDS = _doc_commands()


def test_the_docs_hold_command_lines():
    assert len(COMMANDS) > 40
    pages = {p for p, _, _ in COMMANDS}
    assert "README.md" in pages and "grok.md" in pages


@pytest.mark.parametrize("page, kind, line", COMMANDS, ids=[f"{p}: {ln[:70]}" for p, _, ln in COMMANDS])
def test_every_documented_command_parses(page, kind, line):
    from typer._click.exceptions import MissingParameter, UsageError

    cmd, args, path = _resolve(_tokens(line))
    assert cmd is not None, f"{page}: `{line}`: no such command ({' '.join(path)} {args[0] if args else ''})"
    if hasattr(cmd, "commands") and not args:
        return  # a group named in prose (`learnless grok`)
    args, had_placeholders = _fill_placeholders(cmd, args)
    if any(a in ("--help", "help") for a in args):
        return
    try:
        cmd.make_context(path[-1], list(args), parent=typer.Context(typer.main.get_command(app)))
    except MissingParameter:
        assert kind == "prose" or had_placeholders or "..." in line or "[" in line, (
            f"{page}: `{line}` misses a required argument")
    except UsageError as exc:
        pytest.fail(f"{page}: `{line}`: {exc.format_message()}")


@pytest.mark.parametrize("line", sorted({ln for _, _, ln in COMMANDS if ln.startswith(CHEAP)}))
def test_the_cheap_documented_commands_run(line):
    proc = console(*_tokens(line))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def _readme_snippets() -> list[str]:
    return [body for lang, body in _fences((ROOT / "README.md").read_text()) if lang == "python"]


@pytest.mark.parametrize("index", range(len(_readme_snippets())))
def test_every_readme_python_snippet_runs_as_written(index, tmp_path):
    code = _readme_snippets()[index]
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={**ENV, "LEARNLESS_PROGRESS": "0"}, timeout=600, check=False)
    assert proc.returncode == 0, f"snippet {index}:\n{code}\n{proc.stderr[-3000:]}"
