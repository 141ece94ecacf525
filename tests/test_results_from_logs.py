"""Results saved from a log or CSV a benchmark wrote (no training) stay those of that file: the file is the
one whose sha256 the result records, and summarising it again gives the saved rows, summary and params."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_shared

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SELECT = sorted(RESULTS.glob("classify_select_*.json"))
DEPTH = sorted(p for p in RESULTS.glob("depth_study_*.json") if "_refit_" not in p.stem)
REFIT = sorted(RESULTS.glob("depth_study_*_refit_*.json"))  # re-fits compared with a study's CSV


def _benchmark(name: str):
    sys.path.insert(0, str(ROOT / "benchmarks"))  # the scripts import their siblings
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def _saved(path: Path) -> dict:
    return json.loads(path.read_text())


def _same_without_provenance(new: Path, old: Path) -> None:
    a, b = _saved(new), _saved(old)
    for key in ("name", "params", "results", "summary"):
        assert a[key] == b[key], f"{old.name}: {key} differs from a fresh summary of its source"


def test_there_are_results_saved_from_logs():
    assert SELECT and DEPTH


@pytest.mark.parametrize("path", SELECT + DEPTH + REFIT, ids=lambda p: p.stem)
def test_the_source_file_is_the_one_recorded(path):
    params = _saved(path)["params"]
    source = params.get("select_log") or params["csv"]
    data = (ROOT / source["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"], (
        f"{source['path']} changed: save {path.name} again")


@pytest.mark.parametrize("path", SELECT, ids=lambda p: p.stem)
def test_a_select_result_is_its_log_summarised(path, tmp_path):
    select = _benchmark("classify_select")
    params = _saved(path)["params"]
    new = select.save_select_result(ROOT / params["select_log"]["path"], params["model"], params["dataset"],
                                    params["tag"] or "", params["select_log"]["command"], directory=tmp_path)
    _same_without_provenance(new, path)
    summary = _saved(path)["summary"]
    chosen = max(_saved(path)["results"], key=lambda r: r["val_acc_mean"])
    assert summary["chosen_val"] == chosen["val_acc_mean"] == summary["val_max"]


@pytest.mark.parametrize("path", DEPTH, ids=lambda p: p.stem)
def test_a_depth_result_is_its_csv_summarised(path, tmp_path):
    from learnless.classify.depth_study import read_csv

    plot = _benchmark("classify_depth_plot")
    params = _saved(path)["params"]
    src = ROOT / params["csv"]["path"]
    _same_without_provenance(plot.save_depth_result(read_csv(src), src, params["dataset"], tmp_path), path)


def test_the_saved_gsl_is_what_gsl_computes_now():
    require_shared("planetoid/ind.cora.x")
    from learnless.classify import gsl
    from learnless.data import load_graph

    saved = [r for r in _saved(RESULTS / "sgc_smoothing_gsl.json")["results"] if r["dataset"] == "cora"]
    g = load_graph("cora")
    depth = 10  # a prefix of the saved Dp 0..64, cheap to recompute
    np.testing.assert_allclose(gsl(g.adj, g.x, depth), [r["gsl"] for r in saved[: depth + 1]], rtol=1e-6)
