"""The recommend CLI through the installed console script: user mistakes are one `error:` line and exit 2,
and a GTE run never imports torch, torch_geometric or torch's compiler stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.console import ENV, console

ROOT = Path(__file__).resolve().parents[2]
SRC = str(ROOT / "src")


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "clicks.csv"
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(0, 60, 900), rng.integers(0, 40, 900))}
    path.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    return path


def base_args(csv_file, tmp_path):
    return ["recommend", "run", "--dataset", str(csv_file), "--format", "interactions-csv", "--out",
            str(tmp_path / "run")]


@pytest.mark.parametrize("extra, message", [
    (["--model", "svd"], "model: unknown 'svd'"),
    (["--model", "gte", "--set", "layers=3"], "--set: unknown key 'layers'"),
    (["--model", "gte", "--set", "k=0"], "'k' parameter of GTE"),
    (["--model", "bprmf", "--set", "lr=-1"], "'lr' parameter of BPRMF"),
    (["--model", "gte", "--set", "k"], "--set: expected KEY=VALUE"),
    (["--protocol", "fast"], "protocol: unknown 'fast'"),
    (["--cutoffs", "x"], "--cutoffs"),
])
def test_bad_arguments_are_one_error_line_exit_2(csv_file, tmp_path, extra, message):
    r = console(*base_args(csv_file, tmp_path), *extra)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "run").exists(), "argument errors must be caught before the run directory is made"


def test_set_help_lists_the_model_keys(csv_file, tmp_path):
    r = console(*base_args(csv_file, tmp_path), "--model", "lightgcn", "--set", "help")
    assert r.returncode == 0 and "layers" in r.stdout and "time_budget" in r.stdout, r.stderr
    assert "int in [1, inf)  (default: 3)" in r.stdout


def test_help_lists_models_and_set_keys():
    r = console("recommend", "run", "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    for name in ("gte", "lightgcn", "bprmf", "itemknn", "ease", "exact", "official", "--set help"):
        assert name in text, name


def test_gte_run_imports_neither_torch_nor_pyg(csv_file, tmp_path):
    """The whole `recommend run --model gte` in one interpreter; then the modules it loaded are inspected."""
    out = tmp_path / "run"
    code = ("import sys\nfrom learnless.cli.main import main\n"
            f"try:\n    main({base_args(csv_file, tmp_path) + ['--json', '--set', 'k=3']!r})\n"
            "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'torch_geometric'))\n"
            "sys.stderr.write('LOADED=' + ','.join(loaded) + '\\n')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False)
    assert r.returncode == 0, r.stderr
    loaded = [ln for ln in r.stderr.splitlines() if ln.startswith("LOADED=")][-1][len("LOADED="):]
    assert loaded == "", f"a GTE run imported {loaded[:300]}"
    metrics = json.loads(r.stdout.strip().splitlines()[-1])
    assert 0 <= metrics["recall@20"] <= 1 and metrics["model"] == "gte"
    config = json.loads((out / "config.json").read_text())
    assert config["params"]["model_params"]["k"] == 3 and config["provenance"]["inputs"]


def test_same_out_resumes_and_a_different_config_needs_force(csv_file, tmp_path):
    args = base_args(csv_file, tmp_path) + ["--quiet"]
    assert console(*args).returncode == 0
    assert console(*args).returncode == 0  # same command and config: resumes
    other = console(*args, "--set", "k=5")
    assert other.returncode == 2 and "--force" in other.stderr
    assert console(*args, "--set", "k=5", "--force").returncode == 0
    assert json.loads((tmp_path / "run" / "config.json").read_text())["params"]["model_params"]["k"] == 5


def test_help_model_list_matches_the_registry():
    from learnless.cli.recommend import MODEL_NAMES, PROTOCOLS
    from learnless.recommend import PROTOCOLS as LIBRARY_PROTOCOLS
    from learnless.recommend.models import MODELS

    assert list(MODEL_NAMES) == MODELS.names() and PROTOCOLS == LIBRARY_PROTOCOLS


def test_set_help_lists_exactly_each_models_parameters(csv_file, tmp_path):
    """Generated from the estimators: `recommend compare --set help` names each model's own parameters."""
    import re

    from learnless.recommend.models import MODELS

    r = console("recommend", "compare", "--dataset", str(csv_file), "--format", "interactions-csv",
                "--set", "help")
    assert r.returncode == 0, r.stderr
    sections = re.split(r"^--set keys of (\w+):$", r.stdout, flags=re.MULTILINE)[1:]
    listed = {name: {line.split()[0] for line in body.strip().splitlines()}
              for name, body in zip(sections[::2], sections[1::2])}
    assert listed == {name: set(MODELS[name]._get_param_names()) for name in MODELS}


@pytest.fixture(scope="module")
def named_csv(tmp_path_factory):
    rng = np.random.default_rng(1)
    path = tmp_path_factory.mktemp("named") / "named.csv"
    rows = {(f"u{u}", f"item-{i}") for u, i in zip(rng.integers(0, 40, 600), rng.integers(0, 30, 600))}
    path.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    return path


def test_top_speaks_the_source_files_ids(named_csv):
    r = console("recommend", "top", "--dataset", str(named_csv), "--format", "interactions-csv",
                "--users", "u3,u17", "-n", "4", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"u3", "u17"}
    for recs in out.values():
        assert len(recs) == 4 and all(isinstance(i, str) and i.startswith("item-") for i, _ in recs)
    table = console("recommend", "top", "--dataset", str(named_csv), "--format", "interactions-csv",
                    "--users", "u3", "-n", "4")
    assert table.returncode == 0 and "user u3" in table.stdout and "item-" in table.stdout


def test_top_refuses_an_id_the_file_does_not_have(named_csv):
    r = console("recommend", "top", "--dataset", str(named_csv), "--format", "interactions-csv",
                "--users", "u3,nobody")
    assert r.returncode == 2 and "error: --users: unknown user id(s) nobody" in r.stderr
