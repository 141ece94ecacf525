"""Every figure table in the docs is generated from the saved benchmark results, never typed: the results
pages and every results block of the guides must equal what `benchmarks/report.py` renders now, every
results file must be in the one schema, and no guide may hold a table of figures outside a results block."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _report_module():
    spec = importlib.util.spec_from_file_location("report", ROOT / "benchmarks" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _report_module()


RESULT_FILES = sorted((ROOT / "benchmarks" / "results").glob("*.json"))


@pytest.mark.parametrize("path", RESULT_FILES, ids=lambda p: p.name)
def test_every_results_file_is_in_the_save_result_schema(path):
    from learnless.report import schema_errors

    assert schema_errors(json.loads(path.read_text()), path.stem) == []


def test_a_legacy_shape_is_refused():
    from learnless.report import schema_errors

    legacy = {"machine": {"when": "2026-11-22T07:07:49+00:00"}, "rows": [{"a": 1}]}
    errors = schema_errors(legacy, "x")
    assert "missing key 'results'" in errors and "unknown top-level key 'rows'" in errors


def test_results_pages_match_saved_results(tmp_path):
    texts = report.write_pages(report.load_all(), tmp_path)
    assert tmp_path / "index.md" in texts and len(texts) > 2
    committed = ROOT / "docs" / "results"
    for path, text in texts.items():
        assert (committed / path.name).read_text() == text, (
            f"docs/results/{path.name} is stale: run python benchmarks/report.py"
        )


def test_results_blocks_in_the_guides_are_current():
    docs = report.with_derived(report.load_all())  # with "fidelity", the papers' figures against the results
    for rel in report.GUIDES:
        path = ROOT / rel
        text = path.read_text()
        assert report.fill(text, docs, rel) == text, f"{rel}: a results block is stale: run report.py"


def test_no_guide_types_a_table_of_figures():
    """A table outside a results block must be marked `<!-- not-results -->` (options, formats, datasets) or
    `<!-- unsaved-figures: why -->` (figures no saved result holds)."""
    typed = {rel: report.typed_tables((ROOT / rel).read_text()) for rel in report.GUIDES}
    assert {rel: lines for rel, lines in typed.items() if lines} == {}


def test_every_guide_is_checked():
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")} | {"README.md"}
    assert pages <= set(report.GUIDES)


DOC = {"name": "t", "provenance": {}, "params": {"budget": 90}, "summary": {"paper": {"r": 0.18}},
       "results": [{"model": "gte", "dataset": "a", "recall@20": 0.1234, "seconds": 2.0},
                   {"model": "bpr", "dataset": "a", "recall@20": 0.05, "seconds": 8.0, "epochs": 12},
                   {"model": "gte", "dataset": "b", "skipped": "too large"}]}


def _block(spec: str) -> str:
    return f"x\n\n<!-- results: t\n{spec}\n-->\n\nold\n\n<!-- /results -->\ny\n"


def test_a_template_renders_each_row_with_formats_and_arithmetic():
    spec = ("| model | R@20 | x |\n|---|---|---|\nwhere: dataset == 'a'\n"
            "| {model} | {recall@20:.3f} "
            "| {seconds / pick(results, model='gte', dataset='a').seconds:.1f}x |")
    out = report.fill(_block(spec), {"t": DOC})
    assert "| gte | 0.123 | 1.0x |\n| bpr | 0.050 | 4.0x |\n" in out
    assert "old" not in out and out.startswith("x\n") and out.endswith("<!-- /results -->\ny\n")
    assert report.fill(out, {"t": DOC}) == out  # filling is idempotent


def test_missing_fields_fall_back_and_once_lines_read_the_document():
    spec = ("| a | b |\n|---|---|\n= | paper | {summary.paper.r:.2f} |\n"
            "rows: pivot(results, 'model', 'dataset')\n"
            "| {model} | {a.epochs} ep ;; {a.recall@20:.2f} ;; {b.skipped} |")
    out = report.fill(_block(spec), {"t": DOC})
    assert "| paper | 0.18 |\n| gte | 0.12 |\n| bpr | 12 ep |\n" in out


def test_a_broken_block_names_the_page_and_line():
    with pytest.raises(ValueError, match=r"guide.md:3: results block 't': nope"):
        report.fill(_block("| a |\n|---|\n| {nope} |"), {"t": DOC}, "guide.md")
    with pytest.raises(ValueError, match="unknown result"):
        report.fill("<!-- results: absent\n-->\n<!-- /results -->", {"t": DOC})


def test_templates_cannot_run_code():
    with pytest.raises(ValueError, match="not allowed"):
        report.evaluate("__import__('os').system('true')", [{}])
    with pytest.raises(ValueError, match="not allowed"):
        report.evaluate("(lambda: 1)()", [{}])


def test_an_indented_example_of_a_block_is_left_alone():
    example = "text\n\n    <!-- results: t\n    -->\n    | a |\n    |---|\n    <!-- /results -->\n"
    assert report.fill(example, {"t": DOC}) == example
    assert report.typed_tables(example) == []


def test_typed_tables_are_found_outside_blocks_and_fences():
    text = ("| a |\n|---|\n| 1 |\n\n<!-- not-results -->\n| b |\n|---|\n\n```\n| c |\n|---|\n```\n\n"
            "<!-- unsaved-figures: a CSV -->\n| d |\n|---|\n\n" + _block("") + "\n| e |\n|---|\n")
    assert report.typed_tables(text) == [1, len(text.splitlines()) - 1]


def test_ci_installs_keep_the_pinned_torch():
    """Every extra is installed by `.[dev]`; none may replace the pinned CPU torch (some packages
    upgrade it)."""
    import os

    import torch

    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("the pin is .ci/run's; a developer's venv may hold another torch")
    assert torch.__version__.startswith("2.13.0"), torch.__version__
