import numpy as np
import pytest

from learnless.errors import ConfigError, DataError
from learnless.relate import procrustes_distance
from learnless.relate.cca import canonical_correlations, pwcca, svcca
from learnless.relate.translators import Translator, translate


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((400, 20))
    b = np.tanh(a @ rng.standard_normal((20, 15))) + 0.3 * rng.standard_normal((400, 15))
    return a, b


def test_svcca_and_pwcca_match_repsim(pair):
    import repsim  # the relate extra (in dev) installs it
    a, b = pair
    # repsim's "pillai" summary is the mean canonical correlation and "yanai" the mean squared one; its
    # svcca keeps every direction, i.e. keep=1.0 here; its pwcca averages the two directions
    assert svcca(a, b, keep=1.0) == pytest.approx(repsim.svcca([a, b], "pillai")[0, 1], abs=1e-10)
    assert svcca(a, b, keep=1.0, summary="pillai") == pytest.approx(repsim.svcca([a, b], "yanai")[0, 1],
                                                                   abs=1e-10)
    assert pwcca(a, b, symmetric=True) == pytest.approx(repsim.pwcca([a, b])[0, 1], abs=1e-10)
    assert pwcca(a, b) != pytest.approx(pwcca(b, a), abs=1e-3)


def test_svcca_drops_low_variance_directions():
    rng = np.random.default_rng(1)
    s = rng.standard_normal((500, 5))
    a = np.hstack([s, 1e-3 * rng.standard_normal((500, 10))])
    b = np.hstack([s @ np.linalg.qr(rng.standard_normal((5, 5)))[0], 1e-3 * rng.standard_normal((500, 10))])
    assert svcca(a, b) == pytest.approx(1.0, abs=1e-9)       # only the shared 5-d signal is kept
    assert svcca(a, b, keep=1.0) < 0.5                       # all 15 correlations: 5 ones, 10 near 0
    assert np.sort(canonical_correlations(a, b))[-5:] == pytest.approx(np.ones(5), abs=1e-9)


def test_procrustes_distance_closed_form():
    rng = np.random.default_rng(2)
    q = np.linalg.qr(rng.standard_normal((300, 3)))[0]
    q -= q.mean(axis=0)
    q = np.linalg.qr(q)[0]  # orthonormal, centred columns
    a = q[:, :2] * [3.0, 4.0]
    b = q[:, [0, 2]] * [1.0, 2.0]
    # unit-Frobenius A^T B has the single entry 3 * 1 / (5 sqrt 5): nuclear norm = that
    want = np.sqrt(2 - 2 * 3 / (5 * np.sqrt(5)))
    assert procrustes_distance(a, b) == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize("kind", ["orthogonal", "affine", "linear"])
def test_translators_recover_their_own_family(kind):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((600, 12))
    q = np.linalg.qr(rng.standard_normal((12, 12)))[0]
    b = {"orthogonal": 2.5 * a @ q + 1.0, "affine": a @ rng.standard_normal((12, 9)) - 2.0,
         "linear": a @ rng.standard_normal((12, 16))}[kind]
    anchors = rng.choice(600, 100, replace=False)
    np.testing.assert_allclose(translate(a, a[anchors], b[anchors], kind), b, atol=1e-8)


def test_orthogonal_translator_cannot_fit_a_general_linear_map():
    rng = np.random.default_rng(4)
    a = rng.standard_normal((300, 6))
    b = a @ np.diag([1, 1, 1, 1, 1, 10.0])
    err = np.abs(translate(a, a[:100], b[:100], "orthogonal") - b).max()
    assert err > 1.0


def test_translator_errors():
    with pytest.raises(ConfigError, match="translator"):
        Translator("spline")
    t = Translator("affine").fit(np.eye(4), np.eye(4))
    with pytest.raises(DataError, match="dimensions"):
        t.transform(np.ones((2, 3)))


def test_compare_spaces_reports_translators_shape_metrics_and_calibrated_knn():
    from learnless.relate import compare_spaces

    rng = np.random.default_rng(5)
    a = rng.standard_normal((500, 10))
    q = np.linalg.qr(rng.standard_normal((10, 10)))[0]
    m = compare_spaces(a, 2.0 * a @ q, n_anchors=60, k=10, knn_permutations=5)
    for name in ("orthogonal", "affine", "linear"):
        assert m[f"{name}.mrr@10"] == pytest.approx(1.0)
        assert m[f"{name}.mrr@10.null"] < 0.1
    assert m["procrustes_distance"] == pytest.approx(0.0, abs=1e-6)
    assert m["svcca"] == pytest.approx(1.0) and m["pwcca"] == pytest.approx(1.0)
    assert m["cka_debiased"] == pytest.approx(1.0) and abs(m["cka_debiased.null"]) < 0.05
    assert m["mutual_knn@10"] == pytest.approx(1.0)
    assert m["mutual_knn@10.calibrated"] == pytest.approx(1.0)
    assert m["mutual_knn@10.null"] < 0.1
