"""The docs' results pages are generated from the saved benchmark results, never typed: the committed pages
must equal what `benchmarks/report.py` renders now."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _report_module():
    spec = importlib.util.spec_from_file_location("report", ROOT / "benchmarks" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_results_pages_match_saved_results(tmp_path):
    report = _report_module()
    report.main(["--out", str(tmp_path)])
    generated = sorted(p.name for p in tmp_path.glob("*.md"))
    assert "index.md" in generated and len(generated) > 2
    committed = ROOT / "docs" / "results"
    for name in generated:
        assert (committed / name).read_text() == (tmp_path / name).read_text(), (
            f"docs/results/{name} is stale: run python benchmarks/report.py"
        )


def test_ci_installs_keep_the_pinned_torch():
    """Every extra is installed by `.[dev]`; none may replace the pinned CPU torch (some packages
    upgrade it)."""
    import os

    import pytest
    import torch

    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("the pin is .ci/run's; a developer's venv may hold another torch")
    assert torch.__version__.startswith("2.13.0"), torch.__version__
