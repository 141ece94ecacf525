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


@pytest.mark.slow
def test_reconstruction_relative_decoders_stitch(tmp_path):
    from learnless.relate.reconstruction import reconstruction

    rows = reconstruction("digits", seeds=2, n_anchors=100, epochs=20, out=tmp_path)
    stitched = {r["space"]: float(r["stitched MSE x1e3"].split(" ")[0]) for r in rows}
    assert stitched["relative"] < 0.5 * stitched["absolute"]
