"""Exporting a sub-network: equal outputs to the super-network's sliced forward, the journaled accuracy, a
file that loads and runs without learnless, and the CLI's errors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from learnless.errors import ConfigError
from learnless.search import Search, load_supernet
from learnless.search.export import load_onnx, load_subnetwork, save_subnetwork
from learnless.search.supernets import dgmlp_elastic
from learnless.search.supernets.mlp_elastic import MLPElastic
from tests.search.test_cli import cli
from tests.search.test_dgmlp_elastic import tiny

MLP_CONFIGS = [
    {"depth": 1, "width_0": 16, "width_1": 16, "width_2": 16},
    {"depth": 2, "width_0": 64, "width_1": 32, "width_2": 16},
    {"depth": 3, "width_0": 32, "width_1": 64, "width_2": 16},
]
DGMLP_CONFIGS = [
    {"prop_depth": 2, "trans_depth": 1, "hidden": 8},
    {"prop_depth": 4, "trans_depth": 2, "hidden": 32},
    {"prop_depth": 1, "trans_depth": 3, "hidden": 8},
]


@pytest.fixture(scope="module")
def mlp():
    return MLPElastic(epochs=5).fit()


@pytest.fixture(scope="module")
def dgmlp():
    return tiny(epochs=20).fit()


def _accuracy(logits, y) -> float:
    return float(100 * (logits.argmax(1).numpy() == np.asarray(y)).mean())


@pytest.mark.parametrize("config", MLP_CONFIGS)
def test_mlp_elastic_export_equals_the_shared_weights_forward(mlp, config, tmp_path):
    layers, heads, X, y = mlp._state
    widths = [config[f"width_{i}"] for i in range(3)]
    with torch.no_grad():
        shared = MLPElastic._forward(layers, heads, X, config["depth"], widths)
    path = save_subnetwork(mlp, config, tmp_path / "sub.pt2")
    module, meta = load_subnetwork(path)
    got = module(X)
    assert torch.allclose(got, shared, atol=1e-5, rtol=0)
    assert _accuracy(got, y) == pytest.approx(mlp.evaluate(config, ["accuracy"])["accuracy"], abs=1e-9)
    assert meta["config"] == config and meta["input"]["shape"] == ["batch", 64]


@pytest.mark.parametrize("config", DGMLP_CONFIGS)
def test_dgmlp_elastic_export_equals_the_shared_weights_forward(dgmlp, config, tmp_path):
    g = dgmlp.graph()
    X = torch.from_numpy(dgmlp._features()[config["prop_depth"]])
    with torch.no_grad():
        shared = dgmlp_elastic._forward(dgmlp._state, X, config["trans_depth"], config["hidden"], 0.0, False)
    module, _ = load_subnetwork(save_subnetwork(dgmlp, config, tmp_path / "sub.pt2"))
    got = module(X)
    assert torch.allclose(got, shared, atol=1e-5, rtol=0)
    ntr, nva = len(dgmlp._idx[0]), len(dgmlp._idx[1])
    y = g.y[dgmlp._rows]
    val = _accuracy(got[ntr : ntr + nva], y[ntr : ntr + nva])
    assert val == pytest.approx(dgmlp.evaluate(config, ["accuracy"])["accuracy"], abs=1e-9)


def test_search_export_runs_without_learnless_and_scores_the_journaled_accuracy(mlp, tmp_path):
    s = Search(mlp, ["accuracy:max", "params:min"], "random", population=6, seed=1)
    s.run(12)
    s.export(1, tmp_path / "best.pt2")
    _, _, X, y = mlp._state
    torch.save({"X": X, "y": torch.from_numpy(np.asarray(y))}, tmp_path / "data.pt")
    script = (
        "import sys, json; sys.modules['learnless'] = None\n"  # any learnless import would now fail
        "import torch\n"
        f"extra = {{'learnless.json': ''}}\n"
        f"net = torch.export.load({str(tmp_path / 'best.pt2')!r}, extra_files=extra).module()\n"
        f"d = torch.load({str(tmp_path / 'data.pt')!r})\n"
        "acc = 100 * (net(d['X']).argmax(1) == d['y']).double().mean().item()\n"
        "print(json.dumps({'acc': acc, 'meta': json.loads(extra['learnless.json'])}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["acc"] == pytest.approx(s.front()[0]["accuracy"], abs=1e-9)
    assert out["meta"]["metrics"]["accuracy"] == s.front()[0]["accuracy"] and out["meta"]["rank"] == 1


def _onnx_outputs(path, X) -> torch.Tensor:
    session, meta = load_onnx(path)
    out = session.run(None, {session.get_inputs()[0].name: X.numpy()})[0]
    return torch.from_numpy(out), meta


@pytest.mark.parametrize("config", MLP_CONFIGS[1:])
def test_mlp_elastic_onnx_equals_the_shared_weights_forward(mlp, config, tmp_path):
    layers, heads, X, y = mlp._state
    widths = [config[f"width_{i}"] for i in range(3)]
    with torch.no_grad():
        shared = MLPElastic._forward(layers, heads, X, config["depth"], widths)
    got, meta = _onnx_outputs(save_subnetwork(mlp, config, tmp_path / "sub.onnx"), X)
    assert torch.allclose(got, shared, atol=1e-5, rtol=0)
    assert _accuracy(got, y) == pytest.approx(mlp.evaluate(config, ["accuracy"])["accuracy"], abs=1e-9)
    assert meta["config"] == config and meta["input"]["shape"] == ["batch", 64]


def test_dgmlp_elastic_onnx_equals_the_shared_weights_forward(dgmlp, tmp_path):
    config = DGMLP_CONFIGS[1]
    X = torch.from_numpy(dgmlp._features()[config["prop_depth"]])
    with torch.no_grad():
        shared = dgmlp_elastic._forward(dgmlp._state, X, config["trans_depth"], config["hidden"], 0.0, False)
    got, _ = _onnx_outputs(save_subnetwork(dgmlp, config, tmp_path / "sub.onnx"), X)
    assert torch.allclose(got, shared, atol=1e-5, rtol=0)


def test_supernets_without_weights_refuse():
    s = Search("nasbench-graph:cora", ["accuracy:max", "latency:min"], "random", population=5, seed=0)
    s.run(5)
    with pytest.raises(ConfigError, match="no export"):
        s.export(1)
    with pytest.raises(ConfigError, match="--rank"):
        s.export(len(s.front()) + 1)
    assert not hasattr(load_supernet("ofa-mbv3"), "export")


def test_cli_export_and_its_errors(tmp_path):
    run = tmp_path / "run"
    r = cli("run", "--supernet", "mlp-elastic", "--supernet-arg", "epochs=5", "--objectives", "accuracy:max",
            "params:min", "--tactic", "random", "--evals", "8", "--population", "8", "--out", str(run), "-q")
    assert r.returncode == 0, r.stderr
    r = cli("export", str(run), "--rank", "1", "-o", str(tmp_path / "sub.pt2"), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["accuracy_now"] == doc["accuracy_journaled"] and (tmp_path / "sub.pt2").is_file()
    module, meta = load_subnetwork(tmp_path / "sub.pt2")
    assert meta["config"] == doc["config"] and module(torch.zeros(2, 64)).shape == (2, 10)
    r = cli("export", str(run), "--rank", "1", "-o", str(tmp_path / "sub.onnx"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["path"] == str(tmp_path / "sub.onnx")  # stdout is the JSON alone
    x = torch.randn(3, 64)
    got, meta = _onnx_outputs(tmp_path / "sub.onnx", x)
    assert meta["rank"] == 1 and torch.allclose(got, module(x), atol=1e-5, rtol=0)
    nbg = tmp_path / "nbg"
    r = cli("run", "--supernet", "nasbench-graph:cora", "--objectives", "accuracy:max", "latency:min",
            "--tactic", "random", "--evals", "5", "--population", "5", "--out", str(nbg), "-q")
    assert r.returncode == 0, r.stderr
    for args, msg in [
        ([str(run), "--rank", "999", "-o", str(tmp_path / "x.pt2")], "--rank"),
        ([str(run), "-o", str(tmp_path / "x.pt")], "must end in .pt2 (torch.export) or .onnx"),
        ([str(tmp_path / "missing"), "-o", str(tmp_path / "x.pt2")], "not a search run directory"),
        ([str(nbg), "-o", str(tmp_path / "x.pt2")], "no export"),
    ]:
        r = cli("export", *args)
        assert r.returncode == 2 and msg in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "x.pt2").exists()


def test_cli_onnx_without_the_extra_is_one_error_line(tmp_path):
    """An environment where `import onnx` fails: `-o x.onnx` says which extra to install, exit 2."""
    from tests.search.test_cli import EXE, ROOT

    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "onnx.py").write_text("raise ImportError('no onnx here')\n")
    run = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": f"{blocker}:{ROOT / 'src'}:{ROOT}", "LEARNLESS_PROGRESS": "0"}
    args = ["run", "--supernet", "mlp-elastic", "--supernet-arg", "epochs=2", "--objectives", "accuracy:max",
            "params:min", "--tactic", "random", "--evals", "4", "--population", "4", "--out", str(run), "-q"]
    r = subprocess.run([str(EXE), "search", *args], capture_output=True, text=True, env=env, check=False)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(EXE), "search", "export", str(run), "-o", str(tmp_path / "x.onnx")],
                       capture_output=True, text=True, env=env, check=False)
    assert r.returncode == 2 and "pip install 'learnless[onnx]'" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.onnx").exists()
