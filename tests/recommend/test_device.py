"""--device on the recommend commands that train: the trained baselines take a `device` parameter, train
there and come back as CPU models; a device that is not there is one `error:` line and exit 2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from learnless.data import user_item_graph
from learnless.recommend.baselines import BPRMF, LightGCN
from learnless.recommend.models import make_model
from tests.console import console


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "clicks.csv"
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(0, 60, 900), rng.integers(0, 40, 900))}
    path.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    return path


@pytest.mark.parametrize("cls", [BPRMF, LightGCN])
def test_trained_models_train_on_the_given_device_and_return_cpu_state(cls):
    data = user_item_graph(120, 80, seed=0)
    model = cls(device="cpu", dim=8, max_epochs=2, eval_every=1).fit(data)
    assert next(model.net_.parameters()).device.type == "cpu"
    assert isinstance(model.user_emb_, np.ndarray) and model.epochs_ == 2
    same = cls(dim=8, max_epochs=2, eval_every=1).fit(data)  # the default is cpu: identical training
    np.testing.assert_array_equal(model.user_emb_, same.user_emb_)


def test_an_unknown_device_is_refused_by_the_estimator():
    from learnless.errors import ConfigError

    with pytest.raises(ConfigError, match="device"):
        BPRMF(device="tpu").validate()


def test_models_without_training_ignore_the_shared_device():
    assert "device" not in make_model("gte", common={"device": "cuda"}).get_params()
    assert make_model("bprmf", common={"device": "cuda"}).device == "cuda"


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("device, message", [("tpu", "--device: must be cpu or cuda, got 'tpu'")])
def test_a_bad_device_is_one_error_line_exit_2(csv_file, tmp_path, command, device, message):
    extra = ["--model", "bprmf"] if command == "run" else ["--models", "gte,bprmf"]
    r = console("recommend", command, "--dataset", str(csv_file), "--format", "interactions-csv", *extra,
                "--device", device, "--out", str(tmp_path / "run"))
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines == [f"error: {message}"], r.stderr
    assert not (tmp_path / "run").exists()


def test_cuda_without_a_gpu_is_one_error_line(csv_file, tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    r = console("recommend", "top", "--dataset", str(csv_file), "--format", "interactions-csv",
                "--users", "1", "--model", "bprmf", "--device", "cuda")
    assert r.returncode == 2 and r.stderr.startswith("error: --device cuda:"), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_run_on_cpu_records_the_device(csv_file, tmp_path):
    r = console("recommend", "run", "--dataset", str(csv_file), "--format", "interactions-csv",
                "--model", "bprmf", "--set", "max_epochs=2", "--set", "dim=8", "--device", "cpu", "--json",
                "--out", str(tmp_path / "run"))
    assert r.returncode == 0, r.stderr
    metrics = json.loads(r.stdout)
    assert metrics["device"] == "cpu" and metrics["epochs"] == 2
