import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
EXE = Path(sys.executable).parent / "learnless"


def run(*args):
    exe = str(EXE) if EXE.exists() else shutil.which("learnless")
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [exe, "relate", *args], check=False, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 8))
    q, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    np.save(tmp_path / "a.npy", x)
    np.savetxt(tmp_path / "b.csv", x @ q, delimiter=",")
    np.save(tmp_path / "obj.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "text.npy").write_text("not an array")
    np.save(tmp_path / "short.npy", x[:50])
    return tmp_path


def test_compare_json(files):
    r = run("compare", str(files / "a.npy"), str(files / "b.csv"), "--anchors", "40", "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    for key in (
        "absolute.jaccard@10",
        "absolute.mrr",
        "absolute.cosine",
        "relative.jaccard@10",
        "relative.mrr",
        "relative.cosine",
        "cka",
    ):
        assert key in m and f"{key}.null" in m
    assert m["relative.mrr"] > 0.99 and m["relative.mrr.null"] < 0.2


@pytest.mark.parametrize(
    "other, message",
    [
        ("obj.npy", "object array"),
        ("text.npy", "not a"),
        ("short.npy", "has 200 rows but"),
        ("missing.npy", "no such file"),
    ],
)
def test_compare_errors_one_line(files, other, message):
    r = run("compare", str(files / "a.npy"), str(files / other))
    assert r.returncode == 2
    assert message in r.stderr and r.stderr.startswith("error:") and len(r.stderr.strip().splitlines()) == 1


def test_too_many_anchors(files):
    r = run("compare", str(files / "a.npy"), str(files / "a.npy"), "--anchors", "500")
    assert r.returncode == 2 and "--anchors: 500 anchors requested but only 200 samples" in r.stderr


def test_invariance_command(tmp_path):
    r = run("invariance", "--seeds", "1", "--anchors", "50", "--out", str(tmp_path / "inv"), "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["plain.rotation_rescale"] <= 1e-5 and m["centered._translation"] <= 1e-5
    assert m["plain._translation"] > 1e-3


def test_stitch_and_reconstruct_start_at_seed(tmp_path):
    """--seed is the first seed: --seed 3 --seeds 2 trains seeds 3 and 4 and journals them so."""
    for command, extra in (("stitch", ["--arch", "mlp"]), ("reconstruct", [])):
        out = tmp_path / command
        r = run(command, "--dataset", "digits", "--seed", "3", "--seeds", "2", "--epochs", "1",
                "--anchors", "50", *extra, "--out", str(out), "--json")
        assert r.returncode == 0, r.stderr
        units = [json.loads(line)["value"] for line in (out / "journal.jsonl").read_text().splitlines()]
        seeds = {u["seed"] for u in units if u.get("status") == "ok"}
        assert seeds == {3, 4}, (command, seeds)
        assert json.loads((out / "config.json").read_text())["params"]["seed"] == 3
