"""The fidelity page's verdicts follow the saved results through benchmarks/fidelity.toml's rules (never
typed), every paper is covered, and `report.py --check` refuses a result whose provenance does not say where
it came from. (That docs/fidelity.md and the README's table equal what report.py renders is
tests/test_docs.py's results-block check.)"""

import copy
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _module("report")
fidelity = _module("fidelity")
PAPERS = {"GTE", "DGMLP", "DyNAS-T / LINAS", "Relative representations", "Li₂"}


def _document(docs, spec=fidelity.SPEC):
    return fidelity.document(docs, report.evaluate, report.render_text, spec)


def _row(doc, figure_start):
    rows = [r for r in doc["results"] if r["figure"].startswith(figure_start)]
    assert len(rows) == 1, figure_start
    return rows[0]


def test_every_paper_has_claims_and_every_claim_a_verdict():
    doc = _document(report.load_all())
    assert {r["paper"] for r in doc["results"]} == PAPERS
    assert {r["verdict"] for r in doc["results"]} <= set(fidelity.VERDICTS)
    counts = {p["paper"]: p for p in doc["summary"]["papers"]}
    for paper, c in counts.items():
        assert c["claims"] == c["reproduced"] + c["partial"] + c["not reproduced"] > 0, paper


def test_the_verdict_follows_the_saved_result():
    docs = report.load_all()
    cora = "Table 1: DGMLP, Cora"
    for accuracy, expected in [(0.846, "reproduced"), (0.836, "partial"), (0.80, "not reproduced")]:
        changed = copy.deepcopy(docs)
        report.pick(changed["dgmlp_reproduce"]["results"], dataset="cora", model="dgmlp-paper")[
            "test_acc_mean"] = accuracy
        row = _row(_document(changed), cora)
        assert row["verdict"] == expected, (accuracy, row)
        assert row["learnless"].startswith(f"{accuracy * 100:.1f} ±")


SPEC = """
[[claim]]
paper = "P"
figure = "F"
paper_value = "1.0"
results = {results}
learnless = "{{t.summary.v:.2f}}"
setting = "same"
x = "t.summary.v"
criterion = "x >= 1"
reproduced = "x >= 1"
partial = "x >= 0.5"
"""


def _spec(tmp_path, results='["t"]'):
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(results=results))
    return path


def _doc(v):
    return {"name": "t", "provenance": {}, "params": {}, "results": [], "summary": {"v": v}}


@pytest.mark.parametrize("v, verdict", [(1.2, "reproduced"), (0.7, "partial"), (0.1, "not reproduced")])
def test_rules_decide_the_verdict(tmp_path, v, verdict):
    row = _document({"t": _doc(v)}, _spec(tmp_path))["results"][0]
    assert (row["verdict"], row["learnless"], row["sources"]) == (verdict, f"{v:.2f}", "`t`")


def test_a_row_says_when_its_result_has_incomplete_provenance(tmp_path):
    doc = _document({"t": _doc(1.2)}, _spec(tmp_path))
    assert doc["results"][0]["sources"] == "`t`"
    doc = fidelity.document({"t": _doc(1.2)}, report.evaluate, report.render_text, _spec(tmp_path),
                            provenance_errors=report.provenance_errors)
    assert doc["results"][0]["sources"] == "`t` (no git commit; no date; no load average)"


def test_a_claim_that_was_not_measured_is_not_reproduced(tmp_path):
    row = _document({"t": _doc(5.0)}, _spec(tmp_path, results="[]"))["results"][0]
    assert row["verdict"] == "not reproduced"


def test_a_claim_naming_an_unknown_result_or_field_names_the_claim(tmp_path):
    with pytest.raises(ValueError, match=r"claim 'F'.*unknown result"):
        _document({"other": _doc(1.0)}, _spec(tmp_path))
    with pytest.raises(ValueError, match=r"claim 'F'"):
        _document({"t": {**_doc(1.0), "summary": {}}}, _spec(tmp_path))


CLEAN = {"git_commit": "0123abc", "date": "2026-12-06T11:00:00+00:00", "load_average": 1.5}


@pytest.mark.parametrize("change, error", [
    ({"git_commit": None}, "no git commit"),
    ({"git_commit": "0123abc+dirty"}, "uncommitted changes"),
    ({"date": None}, "no date"),
    ({"load_average": None}, "no load average"),
])
def test_provenance_without_a_clean_commit_date_and_load_is_refused(change, error):
    assert report.provenance_errors({"provenance": CLEAN}) == []
    errors = report.provenance_errors({"provenance": {**CLEAN, **change}})
    assert len(errors) == 1 and error in errors[0]


def _results_dir(tmp_path, provenance):
    from learnless.report.results import PROVENANCE_FIELDS

    results = tmp_path / "results"
    results.mkdir(exist_ok=True)
    prov = {k: None for k in PROVENANCE_FIELDS} | provenance
    doc = {"name": "gte_x", "provenance": prov, "params": {}, "results": [{"a": 1}], "summary": {}}
    (results / "gte_x.json").write_text(json.dumps(doc))
    return results


@pytest.mark.parametrize("provenance, code", [(CLEAN, 0), ({**CLEAN, "git_commit": "0123abc+dirty"}, 1),
                                              ({**CLEAN, "load_average": None}, 1)])
def test_check_exits_1_on_a_result_without_provenance(tmp_path, capsys, provenance, code):
    results, out = _results_dir(tmp_path, provenance), tmp_path / "pages"
    report.main(["--results", str(results), "--out", str(out), "--pages-only"])  # pages current
    with pytest.raises(SystemExit) as exc:
        report.main(["--results", str(results), "--out", str(out), "--pages-only", "--check"])
    assert exc.value.code == code
    assert ("provenance: benchmarks/results/gte_x.json" in capsys.readouterr().err) == bool(code)
