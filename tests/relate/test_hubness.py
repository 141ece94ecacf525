import numpy as np
import pytest

from learnless.errors import ConfigError
from learnless.relate.hubness import anisotropy, csls_retrieval, hubness, k_occurrence


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_anisotropy_is_the_mean_pairwise_cosine():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 6)) + 1.0
    u = _unit(x)
    cos = u @ u.T
    brute = (cos.sum() - np.trace(cos)) / (50 * 49)
    assert anisotropy(x) == pytest.approx(brute, abs=1e-12)
    assert abs(anisotropy(rng.normal(size=(4000, 50)))) < 0.01
    assert anisotropy(rng.normal(size=(4000, 50)) + 3.0) > 0.8


def test_hubness_against_brute_force_counts():
    from scipy.stats import skew

    rng = np.random.default_rng(1)
    q, t = rng.normal(size=(300, 5)), rng.normal(size=(200, 5))
    sims = _unit(q) @ _unit(t).T
    top = np.argsort(-sims, axis=1)[:, :5]
    counts = np.bincount(top.ravel(), minlength=200)
    assert np.array_equal(k_occurrence(q, t, k=5), counts)
    h = hubness(q, t, k=5)
    assert h["skewness"] == pytest.approx(skew(counts), rel=1e-9)
    assert h["anti_hubs"] == pytest.approx(np.mean(counts == 0))
    assert h["top1%_share"] == pytest.approx(np.sort(counts)[::-1][:2].sum() / counts.sum())


def test_a_planted_hub_is_found():
    rng = np.random.default_rng(2)
    q = rng.normal(size=(500, 20)) + 0.5
    t = rng.normal(size=(500, 20))
    plain = hubness(q, t, k=5)
    t[:5] = 0.5  # five targets along the queries' mean direction: every query's nearest neighbours
    hubbed = hubness(q, t, k=5)
    assert hubbed["top1%_share"] > 2 * plain["top1%_share"]
    assert hubbed["skewness"] > plain["skewness"]


def test_csls_against_brute_force_and_it_discounts_hubs():
    rng = np.random.default_rng(3)
    b = rng.normal(size=(120, 8))
    a = b + 0.6 * rng.normal(size=b.shape)
    u, v = _unit(a), _unit(b)
    cos = u @ v.T
    r_a = np.sort(cos, axis=1)[:, -10:].mean(axis=1)
    r_b = np.sort(cos.T, axis=1)[:, -10:].mean(axis=1)
    score = 2 * cos - r_a[:, None] - r_b[None, :]
    rank = 1 + np.sum(score > np.diag(score)[:, None], axis=1)
    got = csls_retrieval(a, b, k=5)
    assert got["mrr"] == pytest.approx(np.mean(1 / rank))
    assert got["mrr@5"] == pytest.approx(np.mean(np.where(rank <= 5, 1 / rank, 0)))
    # a shared direction added to every target makes hubs of the targets most aligned with it
    from learnless.relate.metrics import cross_space_retrieval

    hub = np.zeros(8)
    hub[0] = 1.0
    b_hub = b + 2.5 * hub * (rng.random((120, 1)) > 0.9)
    assert csls_retrieval(a, b_hub, k=5)["mrr"] > cross_space_retrieval(a, b_hub, k=5)["mrr"]


def test_hubness_checks():
    rng = np.random.default_rng(0)
    with pytest.raises(ConfigError, match="dimensions"):
        hubness(rng.normal(size=(10, 3)), rng.normal(size=(10, 4)))
    with pytest.raises(ConfigError, match="k:"):
        hubness(rng.normal(size=(10, 3)), rng.normal(size=(10, 3)), k=10)
    with pytest.raises(ConfigError, match="CSLS"):
        csls_retrieval(rng.normal(size=(10, 3)), rng.normal(size=(9, 3)))
