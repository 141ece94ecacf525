"""`learnless data list / info / verify / fetch` through the real
entry point (exit codes, one-line errors)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from learnless.cli.main import main
from learnless.data.loaders.interactions_csv import read_interactions_csv
from learnless.data.registry import REGISTRY, Dataset, RemoteFile

CSV = "a,x\na,y\nb,x\nb,z\n"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNLESS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "250")  # keep Rich tables on one line per row


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.fixture
def toy(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "log.csv").write_text(CSV)
    ds = Dataset("toy-cli", "recommendation",
                 (RemoteFile("toy/log.csv", hashlib.sha256(CSV.encode()).hexdigest(),
                             (mirror / "log.csv").as_uri()),),
                 reader=lambda root, ds: read_interactions_csv(Path(root) / "toy" / "log.csv"),
                 description="toy log", citation="none", licence="test")
    monkeypatch.setitem(REGISTRY, ds.name, ds)
    return tmp_path / "data"


def test_list_and_filter_by_task(capsys):
    code, out, _ = run(["data", "list"], capsys)
    assert code == 0
    for name in ("cora", "pubmed", "gowalla", "movielens-1m", "dynast-ofa-mbnv3", "help-nasbench201",
                 "mnist-test",
                 "trec"):
        assert name in out
    code, out, _ = run(["data", "list", "--task", "text"], capsys)
    assert code == 0 and "sst2" in out and "cora" not in out
    code, _, err = run(["data", "list", "--task", "audio"], capsys)
    assert code == 2 and err.startswith("error: --task: unknown 'audio'")


def test_info_shows_files_checksums_and_presence(toy, capsys):
    code, out, _ = run(["data", "info", "toy-cli", "--data-dir", str(toy)], capsys)
    assert code == 0 and "toy/log.csv" in out and "missing" in out
    assert hashlib.sha256(CSV.encode()).hexdigest() in out


def test_fetch_then_verify_ok_then_corrupt_is_exit_2(toy, capsys):
    code, _, _ = run(["data", "verify", "toy-cli", "--data-dir", str(toy)], capsys)
    assert code == 2
    code, out, _ = run(["data", "fetch", "toy-cli", "--data-dir", str(toy)], capsys)
    assert code == 0 and "downloaded" in out and (toy / "toy" / "log.csv").read_text() == CSV
    code, out, _ = run(["data", "verify", "toy-cli", "--data-dir", str(toy)], capsys)
    assert code == 0 and " ok " in out
    (toy / "toy" / "log.csv").write_text(CSV[:-2])
    code, out, err = run(["data", "verify", "toy-cli", "--data-dir", str(toy)], capsys)
    assert code == 2 and "mismatch" in out and "1 file(s) missing or not matching" in err
    assert f"expected {hashlib.sha256(CSV.encode()).hexdigest()}" in out
    assert f"actual   {hashlib.sha256(CSV[:-2].encode()).hexdigest()}" in out


def test_data_dir_from_environment(toy, capsys, monkeypatch):
    monkeypatch.setenv("LEARNLESS_DATA", str(toy))
    code, _, _ = run(["data", "fetch", "toy-cli"], capsys)
    assert code == 0 and (toy / "toy" / "log.csv").exists()


def test_verify_all_treats_absent_datasets_as_absent_not_problems(tmp_path, capsys):
    code, out, _ = run(["data", "verify", "--data-dir", str(tmp_path / "empty")], capsys)
    assert code == 0 and "absent" in out


def test_fetch_failure_is_a_one_line_error(toy, capsys, monkeypatch):
    mirror = Path(REGISTRY["toy-cli"].files[0].url[len("file://"):])
    mirror.write_text("tampered\n")
    code, _, err = run(["data", "fetch", "toy-cli", "--data-dir", str(toy)], capsys)
    assert code == 2 and err.startswith("error: file://") and "does not match its registered checksum" in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_dataset_suggests(capsys):
    code, _, err = run(["data", "verify", "helpofa"], capsys)
    assert code == 2 and "did you mean help-ofa" in err


@pytest.mark.realdata
def test_verify_a_real_dataset(capsys):
    from tests.conftest import require_shared

    root = require_shared("planetoid/ind.cora.x")
    code, out, _ = run(["data", "verify", "cora", "--data-dir", str(root)], capsys)
    assert code == 0 and out.count(" ok ") == 8


@pytest.mark.parametrize("columns", ["80", "60"])
def test_list_never_truncates_names_in_a_pipe_or_a_narrow_terminal(columns):
    import os
    import subprocess
    import sys

    from learnless.data import list_datasets

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"), COLUMNS=columns)
    proc = subprocess.run([sys.executable, "-m", "learnless", "data", "list"], check=False,
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    first_cells = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert {ds.name for ds in list_datasets()} <= first_cells
    assert "…" not in "".join(line.split()[0] for line in proc.stdout.splitlines() if line.strip())


def test_list_json_is_one_document_of_every_dataset(capsys):
    import json

    from learnless.data import list_datasets

    code, out, _ = run(["data", "list", "--json", "--task", "text"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == [ds.name for ds in list_datasets("text")]
    assert set(rows[0]) == {"name", "task", "files", "source", "description"}
