"""`learnless demo --json`: every figure is a number with its unit in its own field, never only a string."""

from __future__ import annotations

import json

from learnless.demo import structured, values_from_text
from tests.console import console


def test_demo_json_gives_named_numbers_with_units():
    r = console("demo", "--quick", "--json", "--only", "recommend")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)  # stdout is the JSON document only; the table went to stderr
    assert rows and {row["capability"] for row in rows} == {"recommend"}
    assert "learnless demo" in r.stderr
    for row in rows:
        assert set(row) == {"capability", "what", "text", "values", "seconds"}, row
        assert isinstance(row["seconds"], float)
        assert row["values"]
        assert all(isinstance(v["value"], (int, float)) and v["name"] for v in row["values"]), row
    gte = next(row for row in rows if row["what"].startswith("GTE k=3 (no training)"))
    recall = next(v for v in gte["values"] if v["name"] == "recall@20")
    assert recall["unit"] is None and 0 < recall["value"] <= 1
    assert f"Recall@20 {recall['value']:.3f}" in gte["text"]  # the human text shows the same figure


def test_an_unknown_demo_section_is_one_error_line():
    r = console("demo", "--only", "recommend,nope")
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [
        "error: --only: unknown section(s) nope; choose from data, recommend, classify, search, relate, grok"]


def test_rows_with_only_text_get_their_numbers_parsed():
    row = {"capability": "grok", "what": "x", "seconds": 1,
           "result": "memorised at epoch 14 (train 1.00), 33% of nodes; HV 2.5e+03 at 120 MACs, 0.5 s"}
    out = structured(row)
    assert out["values_parsed"] is True and out["text"] == row["result"] and out["seconds"] == 1.0
    assert [(v["value"], v["unit"]) for v in out["values"]] == [
        (14, None), (1.0, None), (33, "%"), (2.5e3, None), (120, "MACs"), (0.5, "s")]
    assert values_from_text("no figures") == []
