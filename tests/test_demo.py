"""`learnless demo --json`: every figure is a number with its unit in its own field, never only a string."""

from __future__ import annotations

import json
import re

import pytest

from learnless.demo import SECTIONS, structured
from tests.console import console

# a figure of the human text: a number not inside a word, a path or a metric name (`Recall@20`), with the
# unit right after it when it has one
FIGURE = re.compile(r"(?<![\w./@])([-+]?\d+(?:\.(\d+))?(?:e([-+]?\d+))?)\s*(%|MACs\b)?")


def figures(text: str) -> list[tuple[float, float, str | None]]:
    """(number, half a unit of its last shown digit, unit) of every figure in `text`, in order."""
    out = []
    for m in FIGURE.finditer(text):
        decimals, exponent = len(m.group(2) or ""), int(m.group(3) or 0)
        out.append((float(m.group(1)), 0.5 * 10.0 ** (exponent - decimals), m.group(4)))
    return out


def test_figures_reads_numbers_units_and_precision():
    text = "epoch 14 (train 1.00), 33 % of nodes; HV 2.5e+03 at 120 MACs; Recall@20 0.5 in /d/u1/x"
    assert figures(text) == [(14, 0.5, None), (1.0, 0.005, None), (33, 0.5, "%"), (2500, 50, None),
                             (120, 0.5, "MACs"), (0.5, 0.05, None)]


@pytest.fixture(scope="module")
def demo_rows():
    r = console("demo", "--quick", "--json")  # every section, small sizes: ~20 s on one core
    assert r.returncode == 0, r.stderr
    assert "learnless demo" in r.stderr  # the human table goes to stderr; stdout is the JSON document only
    return json.loads(r.stdout)


def test_every_section_gives_named_values_that_match_its_text(demo_rows):
    assert {row["capability"] for row in demo_rows} == {m.split(".")[1] for m in SECTIONS}
    for row in demo_rows:
        assert set(row) == {"capability", "what", "text", "values", "seconds"}, row
        assert isinstance(row["seconds"], float)
        names = [v["name"] for v in row["values"]]
        assert all(isinstance(n, str) and n for n in names) and len(set(names)) == len(names), row
        shown = figures(row["text"])
        assert len(shown) == len(row["values"]), (row["text"], row["values"])
        for (number, half_digit, unit), v in zip(shown, row["values"]):
            assert isinstance(v["value"], (int, float)) and not isinstance(v["value"], bool), v
            assert abs(v["value"] - number) <= half_digit * (1 + 1e-9), (row["text"], v)
            assert v["unit"] == unit, (row["text"], v)


def test_the_gte_row_reports_recall_as_a_ratio(demo_rows):
    gte = next(row for row in demo_rows if row["what"].startswith("GTE k=3 (no training)"))
    recall = next(v for v in gte["values"] if v["name"] == "recall@20")
    assert recall["unit"] is None and 0 < recall["value"] <= 1
    assert f"Recall@20 {recall['value']:.3f}" in gte["text"]


def test_a_row_without_values_is_refused():
    with pytest.raises(ValueError, match="gives no 'values'"):
        structured({"capability": "grok", "what": "x", "result": "epoch 14", "seconds": 1})


def test_an_unknown_demo_section_is_one_error_line():
    r = console("demo", "--only", "recommend,nope")
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [
        "error: --only: unknown section(s) nope; choose from data, recommend, classify, search, relate, grok"]
