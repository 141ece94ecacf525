import numpy as np
import pytest
import torch
from scipy.stats import ortho_group

from learnless.errors import ConfigError, DataError, NotFittedError
from learnless.relate import RelativeProjection, sample_anchors


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(300, 16)) + 0.3


def test_cosine_matches_definition(data):
    a = data[:20]
    r = RelativeProjection().fit(a).transform(data)
    want = (data / np.linalg.norm(data, axis=1, keepdims=True)) @ (
        a / np.linalg.norm(a, axis=1, keepdims=True)
    ).T
    assert np.allclose(r, want, atol=1e-12)


def test_invariant_to_rotation_and_scale_and_centering_adds_translation(data):
    q = ortho_group.rvs(16, random_state=1)
    y = 4.0 * data @ q
    shifted = y + 7.0
    idx = np.arange(30)
    plain = RelativeProjection().fit(data[idx]).transform(data)
    assert np.abs(plain - RelativeProjection().fit(y[idx]).transform(y)).max() <= 1e-5
    assert np.abs(plain - RelativeProjection().fit(shifted[idx]).transform(shifted)).max() > 0.1
    c = RelativeProjection(center=True)
    base = c.fit(data[idx]).transform(data)
    assert np.abs(base - RelativeProjection(center=True).fit(shifted[idx]).transform(shifted)).max() <= 1e-5


@pytest.mark.parametrize("sim", ["cosine", "angular", "euclidean", "l1", "basis"])
@pytest.mark.parametrize("norm", [None, "l2", "layernorm"])
def test_options_numpy_torch_chunked_agree(data, sim, norm):
    p = RelativeProjection(similarity=sim, normalize=norm, chunk_size=64).fit(data[:10])
    full = RelativeProjection(similarity=sim, normalize=norm).fit(data[:10]).transform(data)
    assert full.shape == (300, 10)
    assert np.allclose(p.transform(data), full, atol=1e-10)
    assert np.allclose(p.transform(torch.tensor(data)).numpy(), full, atol=1e-10)
    if norm == "l2":
        assert np.allclose(np.linalg.norm(full, axis=1), 1)


def test_basis_recovers_coordinates(data):
    a = data[:16]
    c = np.random.default_rng(2).normal(size=(5, 16))
    assert np.allclose(RelativeProjection(similarity="basis").fit(a).transform(c @ a), c, atol=1e-8)


def test_torch_is_differentiable_and_module(data):
    p = RelativeProjection(chunk_size=50).fit(torch.tensor(data[:10]))
    x = torch.tensor(data, requires_grad=True)
    p.transform(x).pow(2).sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
    m = p.module()
    assert isinstance(m, torch.nn.Module)
    assert torch.allclose(
        m(torch.tensor(data[:5]).float()), p.transform(torch.tensor(data[:5]).float()), atol=1e-6
    )


def test_float32_stays_float32(data):
    out = RelativeProjection().fit(data[:5].astype(np.float32)).transform(data.astype(np.float32))
    assert out.dtype == np.float32


def test_bad_inputs(data):
    with pytest.raises(NotFittedError):
        RelativeProjection().transform(data)
    z = data[:10].copy()
    z[[3, 7]] = 0
    with pytest.raises(DataError, match=r"anchors: zero-norm rows 3, 7"):
        RelativeProjection().fit(z)
    p = RelativeProjection().fit(data[:10])
    x = data.copy()
    x[4] = 0
    with pytest.raises(DataError, match=r"x: zero-norm rows 4"):
        p.transform(x)
    x[4] = np.nan
    with pytest.raises(DataError, match=r"NaN or infinite values in rows 4"):
        p.transform(x)
    with pytest.raises(DataError, match="X has 8 features, but RelativeProjection is expecting 16 features"):
        p.transform(data[:, :8])
    with pytest.raises(ConfigError, match="similarity"):
        RelativeProjection(similarity="dot").validate()


def test_samplers_seeded_distinct(data):
    labels = np.repeat(np.arange(3), 100)
    for method in ("uniform", "stratified", "farthest", "kmeans"):
        a = sample_anchors(data, 12, method, labels=labels, seed=3)
        assert len(np.unique(a)) == 12 and a.max() < 300
        assert np.array_equal(a, sample_anchors(data, 12, method, labels=labels, seed=3))
    strat = sample_anchors(data, 30, "stratified", labels=labels, seed=0)
    assert np.bincount(labels[strat]).tolist() == [10, 10, 10]
    with pytest.raises(ConfigError, match="400 anchors requested but only 300 samples"):
        sample_anchors(data, 400)


def test_chunked_fast_path_names_global_rows(data):
    x = data.copy()
    x[130] = 0
    with pytest.raises(DataError, match=r"x: zero-norm rows 130 "):
        RelativeProjection(chunk_size=64).fit(data[:5]).transform(x)


def test_demo_rows_quick():
    from learnless.relate.demo import run

    rows = run(quick=True)
    assert [r["capability"] for r in rows] == ["relate", "relate"]
    assert all(r["result"] and r["seconds"] >= 0 for r in rows)
