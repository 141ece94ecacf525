"""Split options and --device: users' own graphs (graph-files) through the console script, and the split
specs of `learnless.classify.splits` directly."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch

from learnless.classify.splits import apply_split, resolve_split
from learnless.classify.trainer import check_device
from learnless.errors import ConfigError
from tests.classify.test_cli import in_process, learnless, one_line_error

DEFAULT = {"kind": "per-class", "train_per_class": 20, "val_per_class": 30, "n_test": None}


def write_graph_files(folder, n_per_class: int = 100, classes: int = 3, seed: int = 0):
    """A small homophilous graph in graph-files format: edges.csv, features.npy, labels.csv."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(classes), n_per_class)
    n = len(y)
    edges = set()
    for i in range(n):
        for _ in range(4):
            j = int(rng.choice(np.flatnonzero(y == y[i]))) if rng.random() < 0.7 else int(rng.integers(n))
            if j != i:
                edges.add((i, j))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edges.csv").write_text("source,target\n" + "".join(f"{a},{b}\n" for a, b in sorted(edges)))
    centroids = rng.normal(size=(classes, 16))
    np.save(folder / "features.npy", (rng.normal(size=(n, 16)) * 2 + centroids[y]).astype(np.float32))
    (folder / "labels.csv").write_text("".join(f"{c}\n" for c in y))
    return folder


@pytest.fixture(scope="module")
def own_graph(tmp_path_factory):
    return write_graph_files(tmp_path_factory.mktemp("own") / "g")


def run(own_graph, out, *extra):
    return learnless(
        "classify", "run", "-d", str(own_graph), "--format", "graph-files", "--seeds", "2",
        "--set", "epochs=20", "--out", str(out), *extra,
    )  # fmt: skip


def test_own_graph_runs_with_the_default_per_class_split_and_says_so(own_graph, tmp_path):
    proc = run(own_graph, tmp_path / "run")
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "per-class split (20 / 30 per class, test: the rest)" in text
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["split"].startswith("per-class split") and metrics["device"] == "cpu"
    assert 0.0 <= metrics["test_acc_mean"] <= 1.0
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["params"]["split"] == DEFAULT
    per_seed = json.loads((tmp_path / "run" / "per_seed.json").read_text())
    assert [p["split"] for p in per_seed] == [
        f"per-class split (seed {s}, 20 / 30 per class, test: the rest)" for s in (0, 1)
    ]
    # the same command resumes; another split in the same directory is refused
    assert run(own_graph, tmp_path / "run").returncode == 0
    one_line_error(run(own_graph, tmp_path / "run", "--val-per-class", "10"), "--force")


def test_explicit_split_sizes_go_into_params(own_graph, tmp_path):
    proc = run(own_graph, tmp_path / "run", "--train-per-class", "10", "--val-per-class", "5",
               "--test-size", "60")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["params"]["split"] == {**DEFAULT, "train_per_class": 10, "val_per_class": 5, "n_test": 60}
    assert "10 / 5 per class, test: 60" in " ".join(proc.stdout.split())


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (("--train-per-class", "90"), "--train-per-class/--val-per-class: class 0"),
        (("--split", "planetoid"), "--split planetoid"),
        (("--test-size", "1000"), "--test-size"),
        (("--split", "random"), "--split"),
        (("--split", "planetoid", "--val-per-class", "10"), "--val-per-class"),
        (("--train-per-class", "0"), "--train-per-class"),
    ],
)
def test_impossible_split_is_one_error_line(own_graph, tmp_path, capsys, extra, needle):
    code, err = in_process(
        capsys, "classify", "run", "-d", str(own_graph), "--format", "graph-files", "--out",
        str(tmp_path / "run"), *extra,
    )  # fmt: skip
    assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1, err
    assert needle in err
    assert not (tmp_path / "run").exists()


def test_impossible_split_through_the_console_script(own_graph, tmp_path):
    err = one_line_error(run(own_graph, tmp_path / "run", "--train-per-class", "90"), "--train-per-class")
    assert err.startswith("error:") and "has 100 labelled nodes" in err


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_cuda_without_a_gpu_is_refused(own_graph, tmp_path):
    err = one_line_error(run(own_graph, tmp_path / "run", "--device", "cuda"), "--device cuda")
    assert err.startswith("error:")
    args = ["classify", "depth-study", "-d", str(own_graph), "--format", "graph-files", "--quick"]
    err = one_line_error(learnless(*args, "--device", "cuda", "--out", str(tmp_path / "ds")), "--device cuda")
    assert err.startswith("error:")


def test_bad_device_name():
    with pytest.raises(ConfigError, match="--device"):
        check_device("tpu")


# ---- the specs themselves --------------------------------------------------------------------------------
def test_published_split_is_kept_unless_split_is_given(sbm):
    assert resolve_split(sbm) == {"kind": "published"}
    with pytest.raises(ConfigError, match="--train-per-class: .* published split"):
        resolve_split(sbm, train_per_class=10)
    spec = resolve_split(sbm, "per-class", 10, 10)
    g = apply_split(sbm, spec, seed=3)
    for c in range(3):
        assert (g.train_mask & (g.y == c)).sum() == 10
        assert (g.val_mask & (g.y == c)).sum() == 10
    assert not (g.train_mask & g.val_mask).any() and not (g.test_mask & (g.train_mask | g.val_mask)).any()
    assert g.test_mask.sum() == (g.y >= 0).sum() - 60


def test_planetoid_sizes(sbm):
    unsplit = dataclasses.replace(sbm, train_mask=None, val_mask=None, test_mask=None)
    spec = resolve_split(unsplit, "planetoid", test_size=30)
    assert spec == {"kind": "planetoid", "train_per_class": 20, "n_val": 500, "n_test": 30}
    g = apply_split(unsplit, spec, seed=0)
    assert (g.train_mask.sum(), g.val_mask.sum(), g.test_mask.sum()) == (60, 500, 30)
    with pytest.raises(ConfigError, match="--test-size"):
        resolve_split(unsplit, "planetoid")  # 600 nodes: 60 + 500 leave 40, not the default 1000


def test_fit_on_cpu_device_leaves_the_module_on_the_cpu(sbm):
    from learnless.classify import MODELS

    est = MODELS.make("sgc", epochs=5).fit(sbm, device="cpu")
    assert all(p.device.type == "cpu" for p in est.module_.parameters())
    assert est.predict(sbm).shape == (sbm.num_nodes,)
    with pytest.raises(ConfigError, match="--device"):
        MODELS.make("sgc", epochs=5).fit(sbm, device="tpu")
