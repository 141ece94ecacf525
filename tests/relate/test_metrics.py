import numpy as np
import pytest
from scipy.stats import ortho_group

from learnless.errors import DataError
from learnless.relate import cka, compare_spaces, cross_space_retrieval, procrustes_distance
from learnless.relate.metrics import bootstrap_ci, shuffled_null


@pytest.fixture
def spaces():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 20))
    return x, 2.5 * x @ ortho_group.rvs(20, random_state=0)


def test_identical_spaces_retrieve_perfectly(spaces):
    x, _ = spaces
    r = cross_space_retrieval(x, x, k=10)
    assert r["mrr"] == 1.0 and r["jaccard@10"] == 1.0


def test_rotation_breaks_absolute_not_relative(spaces):
    x, y = spaces
    m = compare_spaces(x, y, n_anchors=50)
    assert m["relative.mrr"] > 0.99 and m["relative.cosine"] > 0.999 and m["cka"] > 0.999
    assert m["absolute.mrr"] < 0.1 and m["relative.mrr.null"] < 0.1
    assert procrustes_distance(x, y) < 1e-6


def test_cka_biased_vs_unbiased_on_independent_data():
    rng = np.random.default_rng(1)
    biased, unbiased = [], []
    for _ in range(20):
        a, b = rng.normal(size=(64, 10)), rng.normal(size=(64, 10))
        biased.append(cka(a, b))
        unbiased.append(cka(a, b, unbiased=True))
    assert 0.05 < np.mean(biased) < 0.2
    assert abs(np.mean(unbiased)) < 0.03
    a = rng.normal(size=(50, 5))
    assert cka(a, 3 * a, kernel="rbf") > 0.99 or cka(a, a, kernel="rbf") == pytest.approx(1.0)


def test_null_and_bootstrap(spaces):
    x, _ = spaces
    from learnless.relate.metrics import cosine_paired

    assert abs(shuffled_null(cosine_paired, x, x, repeats=3)) < 0.1
    noisy = x[:80] + 1.5 * np.random.default_rng(9).normal(size=(80, 20))
    point = cka(x[:80], noisy)
    lo, hi = bootstrap_ci(cka, x[:80], noisy, n_boot=20)
    assert 0 < lo <= hi <= 1 and lo - 0.05 <= point <= hi + 0.05


def test_parallel_and_dimension_errors(spaces):
    x, y = spaces
    with pytest.raises(DataError, match="A has 400 rows but B has 399"):
        cka(x, y[:-1])
    with pytest.raises(DataError, match="cross-space retrieval needs equal"):
        cross_space_retrieval(x, x[:, :5])
    m = compare_spaces(x, x[:, :5], n_anchors=30)
    assert np.isnan(m["absolute.mrr"]) and m["relative.mrr"] > 0


def test_compare_spaces_center_adds_translation_invariance(spaces):
    x, y = spaces
    m = compare_spaces(x, y + 5.0, n_anchors=50, k=5, center=True, null=False)
    plain = compare_spaces(x, y + 5.0, n_anchors=50, k=5, null=False)
    assert m["relative.mrr@5"] > 0.99 and plain["relative.mrr@5"] < m["relative.mrr@5"]
