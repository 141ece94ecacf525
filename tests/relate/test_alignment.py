import numpy as np
import pytest

from learnless.errors import ConfigError, DataError
from learnless.relate.alignment import FittedMap, supervised_bound


def _orthogonal(d, rng):
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return q


def test_procrustes_recovers_a_rotation_across_widths():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(600, 20)) + 0.3
    embed, _ = np.linalg.qr(rng.normal(size=(40, 20)))  # 20-d data inside a 40-d space, norms kept
    a = z @ embed.T
    b = z @ _orthogonal(20, rng)
    r = supervised_bound(a, b, "procrustes", k=5, seed=1)
    assert r["train"] == 300 and r["test"] == 300
    assert r["mrr@5"] == pytest.approx(1.0) and r["cosine"] == pytest.approx(1.0)
    assert r["mrr@5.null"] < 0.1 and r["cosine.null"] < 0.5


def test_lstsq_recovers_a_linear_map_between_widths():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(800, 30))
    b = a @ rng.normal(size=(30, 12))
    r = supervised_bound(a, b, "lstsq", k=5, seed=0)
    assert r["mrr@5"] > 0.9 and r["mrr@5.null"] < 0.1


def test_unrelated_spaces_give_the_null_level():
    rng = np.random.default_rng(2)
    r = supervised_bound(rng.normal(size=(800, 30)), rng.normal(size=(800, 12)), "lstsq", k=5)
    assert r["mrr@5"] < 0.1 and abs(r["mrr@5"] - r["mrr@5.null"]) < 0.05


def test_linear_map_checks():
    with pytest.raises(ConfigError, match="method"):
        FittedMap("cca")
    rng = np.random.default_rng(0)
    with pytest.raises(DataError, match="least squares needs more rows"):
        FittedMap("lstsq").fit(rng.normal(size=(5, 8)), rng.normal(size=(5, 3)))
    with pytest.raises(DataError, match="zero-norm rows 2"):
        a = rng.normal(size=(20, 3))
        a[2] = 0
        FittedMap("procrustes").fit(a, rng.normal(size=(20, 3)))
    with pytest.raises(ConfigError, match="train_fraction"):
        supervised_bound(rng.normal(size=(20, 3)), rng.normal(size=(20, 3)), train_fraction=1.0)


def test_kernel_ridge_learns_a_nonlinear_map_that_lstsq_misses():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(1000, 3))
    a /= np.linalg.norm(a, axis=1, keepdims=True)  # the maps see unit rows: b is a function of those
    b = np.hstack([np.sin(3 * a), np.cos(3 * a)])  # not linear in a
    kr = supervised_bound(a, b, "kernel_ridge", k=5, seed=0)
    lin = supervised_bound(a, b, "lstsq", k=5, seed=0)
    assert kr["mrr@5"] > 0.9 and lin["mrr@5"] < 0.2 and kr["mrr@5.null"] < 0.1
