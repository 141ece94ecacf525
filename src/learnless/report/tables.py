"""Markdown tables from rows of dicts."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def _cell(value, fmt: str | Callable | None) -> str:
    if value is None:
        return "—"
    if callable(fmt):
        return str(fmt(value))
    if fmt and isinstance(value, (int, float)):
        return format(value, fmt)
    return str(value)


def markdown_table(rows: Sequence[dict], columns: Sequence[str] | None = None,
                   formats: dict[str, str | Callable] | None = None,
                   headers: dict[str, str] | None = None) -> str:
    """A GitHub-flavoured Markdown table. `columns` default to the first row's keys; `formats` maps a column
    to a format spec ("{:.3f}"-style without braces, e.g. ".3f") or a callable; `headers` renames columns."""
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    formats, headers = formats or {}, headers or {}
    head = "| " + " | ".join(headers.get(c, c) for c in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(_cell(r.get(c), formats.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join([head, rule, *body]) + "\n"
