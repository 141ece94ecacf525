"""`learnless relate extract` and `learnless relate layers` through the console script, on a toy MLP whose
hidden units are permuted between two copies (same function, permuted hidden layer)."""

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

TOY = '''
import torch
from torch import nn


def _base(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 4))


def original():
    return _base(0)


def permuted():
    m = _base(0)
    p = torch.randperm(16, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        m[0].weight.copy_(m[0].weight[p])
        m[0].bias.copy_(m[0].bias[p])
        m[2].weight.copy_(m[2].weight[:, p])
    return m


def other():
    return _base(5)


def broken():
    raise RuntimeError("no weights here")
'''


def run(*args, cwd):
    exe = str(EXE) if EXE.exists() else shutil.which("learnless")
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([exe, "relate", *args], check=False, capture_output=True, text=True, env=env,
                          timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp("toy")
    (d / "toy.py").write_text(TOY)
    np.save(d / "x.npy", np.random.default_rng(0).standard_normal((240, 8)).astype(np.float32))
    np.save(d / "x_wide.npy", np.zeros((20, 9), dtype=np.float32))
    import torch

    torch.jit.script(torch.nn.Sequential(torch.nn.Linear(8, 2))).save(str(d / "scripted.pt"))
    for name in ("original", "permuted", "other"):
        r = run("extract", "--model", f"toy:{name}", "--data", "x.npy", "--batch-size", "64", "--out", name,
                "-q", cwd=d)
        assert r.returncode == 0, r.stderr
    return d


def test_layers_help_lists_named_modules(work):
    r = run("extract", "--model", "toy:original", "--layers", "help", cwd=work)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["0", "Linear", "1", "Tanh", "2", "Linear"]


def test_extract_writes_one_array_per_layer(work):
    index = json.loads((work / "original" / "layers.json").read_text())
    assert [e["name"] for e in index["layers"]] == ["0", "1", "2"]
    hidden = np.load(work / "original" / "1.npy")
    assert hidden.shape == (240, 16)
    # the hook saw exactly the module's output: recompute it here
    import torch

    sys.path.insert(0, str(work))
    try:
        import toy
    finally:
        sys.path.remove(str(work))
    m = toy.original()
    with torch.no_grad():
        want = m[1](m[0](torch.from_numpy(np.load(work / "x.npy")))).numpy()
    np.testing.assert_allclose(hidden, want, atol=1e-6)
    permuted = np.load(work / "permuted" / "1.npy")
    assert not np.allclose(permuted, hidden)                      # units permuted ...
    np.testing.assert_allclose(np.sort(permuted, axis=1), np.sort(hidden, axis=1), atol=1e-6)  # ... same set


def test_layer_map_cka_is_one_on_the_permuted_layer(work):
    r = run("layers", "original", "permuted", "--samples", "240", "--anchors", "40", "--permutations", "5",
            "--bootstrap", "20", "--out", "map", "--json", cwd=work)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["best_b_by_cka"] == {"0": "0", "1": "1", "2": "2"}
    result = json.loads((work / "map" / "layer_map.json").read_text())
    cell = {(c["a"], c["b"]): c for c in result["cells"]}
    for name in ("0", "1", "2"):
        c = cell[(name, name)]
        assert c["cka"] == pytest.approx(1.0, abs=1e-9)
        assert abs(c["cka.null"]) < 0.1
        assert c["cka.p"] == pytest.approx(1 / 6)
        lo, hi = c["cka.ci"]
        assert lo <= 1.0 + 1e-9 and hi >= 1.0 - 1e-9
        assert c["mutual_knn@10"] == pytest.approx(1.0)
        assert c["relative.mrr@10"] == pytest.approx(1.0)
    assert cell[("0", "2")]["cka"] < 0.95
    png = (work / "map" / "layer_map.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_layer_map_of_a_differently_initialised_copy_is_below_one(work):
    r = run("layers", "original", "other", "--samples", "240", "--anchors", "40", "--permutations", "3",
            "--bootstrap", "0", "--out", "map_other", "--json", cwd=work)
    assert r.returncode == 0, r.stderr
    cells = json.loads((work / "map_other" / "layer_map.json").read_text())["cells"]
    hidden = next(c for c in cells if c["a"] == "1" and c["b"] == "1")
    assert hidden["cka"] < 0.99


@pytest.mark.parametrize("args, needle", [
    (["extract", "--model", "toy:original", "--data", "x.npy", "--layers", "0,nope"], "--layers"),
    (["extract", "--model", "no_such_module_xyz:make", "--data", "x.npy"], "no_such_module_xyz"),
    (["extract", "--model", "toy:broken", "--data", "x.npy"], "no weights here"),
    (["extract", "--model", "toy:original", "--data", "x_wide.npy"], "rejects inputs of shape (9,)"),
    (["extract", "--model", "missing.pt", "--data", "x.npy"], "missing.pt"),
    (["extract", "--model", "scripted.pt", "--data", "x.npy"], "TorchScript"),
])
def test_extract_bad_input_is_one_error_line(work, args, needle):
    r = run(*args, "--out", "bad", "--force", cwd=work)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], r.stderr
    leftovers = list((work / "bad").glob("*.npy*")) + list((work / "bad").glob(".*.tmp"))
    assert leftovers == []                                  # no partial layer arrays


def test_layers_refuses_different_row_counts(work, tmp_path):
    short = tmp_path / "short"
    short.mkdir()
    np.save(short / "h.npy", np.zeros((100, 3), dtype=np.float32))
    r = run("layers", "original", str(short), "--out", str(tmp_path / "m"), cwd=work)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "240 rows" in lines[0], r.stderr


def test_exported_model_exposes_the_same_layers(tmp_path):
    import torch
    from torch import nn

    from learnless.relate.extract import extract, layer_names, load_model, resolve_layers

    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 4)).eval()
    x = torch.randn(50, 8)
    path = tmp_path / "m.pt2"
    batch = torch.export.Dim("batch")
    torch.export.save(torch.export.export(m, (x[:2],), dynamic_shapes=({0: batch},)), str(path))
    loaded = load_model(str(path))
    assert [n for n, _ in layer_names(loaded)] == ["0", "1", "2"]
    shapes = extract(loaded, x.numpy(), resolve_layers(loaded, "1"), tmp_path, batch_size=16)
    assert shapes == {"1": [50, 16]}
    with torch.no_grad():
        np.testing.assert_allclose(np.load(tmp_path / "1.npy"), m[1](m[0](x)).numpy(), atol=1e-6)
