"""`learnless classify` through the installed console script: one-line errors with exit 2, run directories
that resume, and refusals that need the real data (split count, memory)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_shared

SRC = Path(__file__).resolve().parents[2] / "src"
CORA = ["planetoid/ind.cora.x", "planetoid/ind.cora.graph"]


def _script() -> str:
    beside = Path(sys.executable).with_name("learnless")
    found = str(beside) if beside.exists() else shutil.which("learnless")
    if found is None:
        pytest.skip("the learnless console script is not installed")
    return found


def learnless(*args: str, data: Path | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "LEARNLESS_PROGRESS": "0",
    }
    if data is not None:
        env["LEARNLESS_DATA"] = str(data)
    return subprocess.run(
        [_script(), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in err
    if err.startswith("error:"):
        assert len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err
    return err


def in_process(capsys, *args: str) -> tuple[int, str]:
    """The same entry point without a new interpreter (most error cases; a few go through the script)."""
    from learnless.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return exc.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    "args, needles",
    [
        (["--model", "gat"], ["model", "dgmlp, gcn"]),
        (["--set", "colour=3"], ["unknown key 'colour'", "prop_depth"]),
        (["--set", "lr=-1"], ["'lr' parameter"]),
    ],
)
def test_bad_arguments_through_the_console_script(tmp_path, args, needles):
    proc = learnless(
        "classify",
        "run",
        "--dataset",
        "cora",
        *args,
        "--out",
        str(tmp_path / "run"),
        data=tmp_path / "no-data",
    )
    one_line_error(proc, *needles)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    "args, needles",
    [
        (["--trans-depth", "0"], ["--trans-depth"]),
        (["--prop-depth", "-1"], ["--prop-depth"]),
        (["--model", "gcn", "--variant", "released"], ["dgmlp only"]),
        (["--model", "gcn", "--prop-depth", "3"], ["does not apply"]),
        (["--set", "nonsense"], ["KEY=VALUE"]),
        (["--set", "dropout=abc"], ["'dropout' parameter"]),
    ],
)
def test_bad_arguments_are_refused_before_loading_data(tmp_path, capsys, monkeypatch, args, needles):
    monkeypatch.setenv("LEARNLESS_DATA", str(tmp_path / "no-data"))
    code, err = in_process(
        capsys, "classify", "run", "--dataset", "cora", *args, "--out", str(tmp_path / "run")
    )
    assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1, err
    assert all(n in err for n in needles), err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("args, needles", [
    (["--set", "help"], ["--set keys", "temperature", "row_normalize", "int in [1, inf)"]),
    (["--model", "sgc", "--set", "help"], ["--set keys", "prop_depth"]),
])
def test_set_help_lists_keys_types_and_defaults_on_stdout(tmp_path, capsys, args, needles):
    from learnless.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["classify", "run", "--dataset", "cora", *args, "--out", str(tmp_path / "run")])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and all(n in out for n in needles), out
    assert not (tmp_path / "run").exists()


def test_usage_errors_exit_2(tmp_path, capsys):
    one_line_error(learnless("classify", "run", "--dataset", "cora", "--seeds", "abc"), "--seeds")
    for args, needle in [
        (["run", "--dataset", "cora", "--seeds", "0"], "--seeds"),
        (["run"], "--dataset"),
        (["smoothness", "--dataset", "cora", "--max-depth", "-2"], "--max-depth"),
        (["run", "--dataset", str(tmp_path / "nope"), "--format", "planetoid"], "error:"),
    ]:
        code, err = in_process(capsys, "classify", *args)
        assert code == 2 and needle in err and "Traceback" not in err, err


def test_help_lists_models_and_every_option_has_help():
    from learnless.classify import MODELS

    out = learnless("classify", "run", "--help").stdout
    assert all(name in out for name in MODELS.names())
    for option in (
        "--dataset",
        "--seeds",
        "--seed",
        "--set",
        "--backend",
        "--workers",
        "--address",
        "--out",
        "--force",
        "--json",
        "--quiet",
        "--data-dir",
        "--format",
    ):
        assert option in out


def test_more_seeds_than_published_splits_is_an_error(tmp_path):
    root = require_shared("heterophilous/texas.npz")
    proc = learnless(
        "classify", "run", "--dataset", "texas", "--seeds", "11", "--out", str(tmp_path / "r"), data=root
    )
    one_line_error(proc, "10 published splits", "--seeds")


def test_a_request_that_cannot_fit_in_memory_is_refused_with_the_estimate(tmp_path):
    root = require_shared(*CORA)
    proc = learnless(
        "classify",
        "run",
        "--dataset",
        "cora",
        "--model",
        "sgc",
        "--prop-depth",
        "100000",
        "--out",
        str(tmp_path / "r"),
        data=root,
    )
    one_line_error(proc, "1.4 TiB", "prop_depth=100000")
    assert not (tmp_path / "r").exists()  # refused before the run directory is made


def test_run_writes_metrics_resumes_and_refuses_another_config(tmp_path):
    root = require_shared(*CORA)
    out = tmp_path / "run"
    base = [
        "classify",
        "run",
        "--dataset",
        "cora",
        "--model",
        "dgmlp",
        "--variant",
        "released",
        "--seeds",
        "2",
        "--set",
        "epochs=20",
        "--out",
        str(out),
        "--json",
    ]
    first = learnless(*base, data=root)
    assert first.returncode == 0, first.stderr
    metrics = json.loads(first.stdout)
    assert set(metrics) >= {"test_acc_mean", "test_acc_std", "val_acc_mean", "seconds"}
    assert metrics["test_acc_mean"] > 0.7
    assert json.loads((out / "metrics.json").read_text()) == metrics
    assert len(json.loads((out / "per_seed.json").read_text())) == 2
    config = json.loads((out / "config.json").read_text())
    assert config["params"]["estimator"]["epochs"] == 20 and config["params"]["seeds"] == [0, 1]
    assert _records(out / "journal.jsonl") == 2  # the two seeds, beside the experiment's header
    assert "seed 1: 20/20" in (out / "run.log").read_text()  # the training progress is mirrored to run.log

    again = learnless(
        *base, data=root
    )  # same command and config: resumed from the journal, nothing retrained
    assert again.returncode == 0
    assert json.loads(again.stdout)["test_acc_mean"] == metrics["test_acc_mean"]
    assert _records(out / "journal.jsonl") == 2

    other = learnless(*[a if a != "epochs=20" else "epochs=21" for a in base], data=root)
    one_line_error(other, "--force")


def _records(path) -> int:
    from learnless.runtime.journal import Journal

    return len(Journal(path))


def test_smoothness_command(tmp_path):
    root = require_shared(*CORA)
    proc = learnless(
        "classify",
        "smoothness",
        "--dataset",
        "cora",
        "--max-depth",
        "10",
        "--out",
        str(tmp_path),
        "--json",
        data=root,
    )
    assert proc.returncode == 0, proc.stderr
    m = json.loads(proc.stdout)
    assert m["gsl_10"] < 0.4 * m["gsl_1"]  # the paper's >60 % drop from Dp = 1 to 10
    assert (tmp_path / "gsl.png").stat().st_size > 1000
