"""`learnless search run --device`: it reaches the super-network's training, an unavailable device is one
error line (exit 2) through the installed console script, and the run trains on the CPU."""

from __future__ import annotations

import json

import pytest
import torch

from learnless.cli.search import _supernet
from learnless.errors import ConfigError
from learnless.search.supernets.mlp_elastic import MLPElastic
from tests.console import ROOT, console

RUN = ["search", "run", "--objectives", "accuracy:max", "macs:min", "--tactic", "random", "--evals", "6",
       "--population", "3", "--json", "--quiet"]


def test_mlp_elastic_trains_on_the_device_it_is_given_and_evaluates_on_the_cpu():
    net = MLPElastic(epochs=2, latency_repeats=3, device="cpu").fit()
    layers, heads, _, _ = net._state
    assert {p.device.type for p in [*layers.parameters(), *heads.parameters()]} == {"cpu"}
    out = net.evaluate({"depth": 1, "width_0": 16, "width_1": 16, "width_2": 16}, ["accuracy", "macs"])
    assert 0 <= out["accuracy"] <= 100 and out["macs"] > 0
    with pytest.raises(ConfigError, match="--device"):
        MLPElastic(device="tpu").fit()


def test_the_built_in_trained_supernets_get_the_device_and_ofa_mbv3_needs_none():
    assert _supernet("mlp-elastic", "cpu").device == "cpu"
    assert _supernet("dgmlp-elastic", "cpu").device == "cpu"  # no data loaded before the first evaluation
    assert not hasattr(_supernet("ofa-mbv3", "cuda"), "device")  # trains nothing; latency@cpu stays on CPU
    assert _supernet("tests.search.test_dgmlp_elastic:tiny", "cpu").device == "cpu"  # a **kwargs factory
    with pytest.raises(ConfigError, match=r"--device cuda: --supernet tests.search.toy:factory takes no"):
        _supernet("tests.search.toy:factory", "cuda")


def test_search_run_trains_mlp_elastic_on_cpu(tmp_path):
    r = console(*RUN, "--supernet", "mlp-elastic", "--device", "cpu", "--out", tmp_path / "run", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    metrics = json.loads(r.stdout)
    assert metrics["device"] == "cpu" and metrics["evaluations"] == 6 and metrics["failed"] == 0
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert "device" not in config["params"]  # not a search parameter: the run resumes on either device
    r = console("search", "resume", tmp_path / "run", "--device", "cpu", "--json", cwd=ROOT)
    assert r.returncode == 0 and json.loads(r.stdout)["replayed_from_journal"] == 6, r.stderr


@pytest.mark.parametrize("device, message", [
    ("cuda", "error: --device cuda: torch.cuda.is_available() is False"),
    ("tpu", "error: --device: must be cpu or cuda, got 'tpu'"),
])
def test_an_unavailable_device_is_one_error_line(tmp_path, device, message):
    if device == "cuda" and torch.cuda.is_available():
        pytest.skip("a GPU is present: cuda is available here")
    for supernet in ("mlp-elastic", "dgmlp-elastic"):
        r = console(*RUN, "--supernet", supernet, "--device", device, "--out", tmp_path / supernet, cwd=ROOT)
        assert r.returncode == 2, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(message), r.stderr
        assert not (tmp_path / supernet).exists()  # refused before a run directory is made
