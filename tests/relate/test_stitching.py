import numpy as np
import pytest

from learnless.relate.experiments import stitching
from tests.relate.test_cli import run


@pytest.mark.slow
def test_relative_heads_stitch_and_absolute_ones_do_not(tmp_path):
    r = stitching("digits", archs=("mlp",), seeds=2, n_anchors=100, epochs=8, out=tmp_path)
    n = r["numbers"]
    assert len(r["pairs"]) == 4  # 2 ordered pairs per space
    assert n["relative.non_stitched"] > 0.85
    assert n["relative.stitched_mean"] > n["relative.non_stitched"] - 0.1
    assert n["absolute.stitched_mean"] < 0.5
    assert all(np.isfinite(p["accuracy"]) for p in r["pairs"])


def test_stitch_cli_refuses_unknown_arch(tmp_path):
    r = run("stitch", "--arch", "vit", "--out", str(tmp_path / "s"))
    assert r.returncode == 2 and "--arch: 'vit' is not one of mlp, cnn" in r.stderr


def test_stitch_cli_refuses_unknown_head(tmp_path):
    r = run("stitch", "--head", "vit", "--out", str(tmp_path / "s"))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["error: --head: 'vit' is not one of mlp, paper"]


@pytest.mark.slow
def test_stitch_cli_runs_the_paper_head(tmp_path):
    import json

    r = run("stitch", "--arch", "mlp", "--seeds", "2", "--anchors", "50", "--epochs", "3", "--head", "paper",
            "--out", str(tmp_path / "s"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "s" / "config.json").read_text())["params"]["head"] == "paper"
    assert 0.0 <= json.loads(r.stdout)["relative.stitched_mean"] <= 1.0


@pytest.mark.slow
def test_reconstruction_relative_decoders_stitch(tmp_path):
    from learnless.relate.reconstruction import reconstruction

    rows = reconstruction("digits", seeds=2, n_anchors=100, epochs=20, out=tmp_path)
    stitched = {r["space"]: float(r["stitched MSE x1e3"].split(" ")[0]) for r in rows}
    assert stitched["relative"] < 0.5 * stitched["absolute"]


def test_paper_head_standardises_each_feature_over_the_batch():
    import torch

    from learnless.errors import ConfigError
    from learnless.relate.stitching import head_accuracy, make_head

    head = make_head(6, 3, "paper")
    hidden = head[:4](torch.randn(50, 6) * 3 + 2)
    assert torch.allclose(hidden.mean(0), torch.zeros(6), atol=1e-5)
    assert torch.allclose(hidden.std(0, unbiased=False), torch.ones(6), atol=1e-3)
    # a saved paper head is rebuilt as one, with the same predictions
    state = head.state_dict()
    x = np.random.default_rng(0).normal(size=(40, 6)).astype(np.float32)
    with torch.no_grad():
        y = head(torch.from_numpy(x)).argmax(1).numpy()
    assert head_accuracy(state, x, y, "paper") == 1.0
    with pytest.raises(ConfigError, match="--head"):
        make_head(6, 3, "transformer")


@pytest.mark.slow
def test_stitching_with_the_paper_head(tmp_path):
    r = stitching("digits", archs=("mlp",), seeds=2, n_anchors=100, epochs=8, out=tmp_path, head="paper")
    n = r["numbers"]
    assert n["relative.non_stitched"] > 0.85
    assert n["relative.stitched_mean"] > n["relative.non_stitched"] - 0.1


@pytest.mark.slow
def test_translators_fitted_on_anchors_stitch_absolute_heads(tmp_path):
    r = stitching("digits", archs=("mlp",), seeds=2, n_anchors=100, epochs=8, out=tmp_path,
                  translators=("affine", "orthogonal"))
    n = r["numbers"]
    spaces = {p["space"] for p in r["pairs"]}
    assert spaces == {"absolute", "relative", "absolute+affine", "absolute+orthogonal"}
    assert n["absolute+affine.stitched_mean"] > n["absolute.stitched_mean"] + 0.3
    assert n["absolute+affine.stitched_mean"] > n["absolute.non_stitched"] - 0.15


def test_stitch_cli_refuses_unknown_via(tmp_path):
    r = run("stitch", "--via", "spline", "--out", str(tmp_path / "s"))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: --via: 'spline' is not one of relative, linear, affine, orthogonal"]
