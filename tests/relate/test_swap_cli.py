"""`learnless relate swap` through the console script: an index embedded by A, queries embedded by B."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from learnless.relate.swap import retrieval_scores, swap_search

SRC = str(Path(__file__).resolve().parents[2] / "src")
EXE = Path(sys.executable).parent / "learnless"


def run(*args):
    exe = str(EXE) if EXE.exists() else shutil.which("learnless")
    return subprocess.run([exe, "relate", *args], check=False, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC}, timeout=300)


@pytest.fixture(scope="module")
def spaces(tmp_path_factory):
    """Encoder B = a nonlinear, rotated re-encoding of A's space; queries = noisy copies of the items."""
    d = tmp_path_factory.mktemp("swap")
    rng = np.random.default_rng(0)
    items = rng.standard_normal((600, 12))
    q = np.linalg.qr(rng.standard_normal((12, 12)))[0]
    enc_a = lambda x: x  # encoder A: the items themselves
    w_b = rng.standard_normal((12, 24)) / 3
    enc_b = lambda x: np.tanh((x @ q) @ w_b)
    queries = items + 0.3 * rng.standard_normal(items.shape)
    np.save(d / "index_a.npy", enc_a(items))
    np.save(d / "index_b.npy", enc_b(items))
    np.save(d / "queries_b.npy", enc_b(queries))
    np.save(d / "anchors_a.npy", enc_a(items[:200]))
    np.save(d / "anchors_b.npy", enc_b(items[:200]))
    np.save(d / "truth.npy", np.arange(600))
    np.save(d / "anchors_short.npy", enc_b(items[:150]))
    return d


@pytest.mark.parametrize("via", ["relative", "affine", "linear"])
def test_swap_reaches_most_of_the_oracle(spaces, via):
    d = spaces
    r = run("swap", str(d / "index_a.npy"), str(d / "queries_b.npy"), "--anchors-a", str(d / "anchors_a.npy"),
            "--anchors-b", str(d / "anchors_b.npy"), "--via", via, "--truth", str(d / "truth.npy"),
            "--oracle-index", str(d / "index_b.npy"), "--out", str(d / f"run-{via}"), "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["oracle.recall@10"] > 0.5
    assert m["recall@10 / oracle"] > 0.7
    top = np.load(d / f"run-{via}" / "neighbours.npy")
    assert top.shape == (600, 10)
    assert retrieval_scores(top, np.arange(600))["recall@10"] == pytest.approx(m["swap.recall@10"])


def test_without_anchors_the_spaces_do_not_match(spaces):
    d = spaces
    a, qb = np.load(d / "index_a.npy"), np.load(d / "queries_b.npy")
    # same anchors, shuffled on one side: the correspondence is what carries the swap
    aa, ab = np.load(d / "anchors_a.npy"), np.load(d / "anchors_b.npy")
    top, _ = swap_search(a, qb, aa, ab[np.random.default_rng(1).permutation(len(ab))], via="relative")
    assert retrieval_scores(top, np.arange(600))["recall@10"] < 0.1


@pytest.mark.parametrize("extra, needle", [
    (["--anchors-b", "anchors_short.npy"], "--anchors-a has 200 rows but --anchors-b has 150"),
    (["--anchors-b", "anchors_b.npy", "--via", "spline"], "--via"),
    (["--anchors-b", "anchors_b.npy", "--oracle-index", "index_b.npy"], "--oracle-index"),
])
def test_swap_bad_input_is_one_error_line(spaces, extra, needle):
    d = spaces
    extra = [str(d / e) if e.endswith(".npy") else e for e in extra]
    r = run("swap", str(d / "index_a.npy"), str(d / "queries_b.npy"), "--anchors-a", str(d / "anchors_a.npy"),
            *extra, "--out", str(d / "bad"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], r.stderr
