import numpy as np
import pytest

from learnless.errors import DataError
from learnless.relate.metrics import cka
from learnless.relate.streaming import calibrated_mutual_knn, knn_indices, mutual_knn, streaming_cka


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2500, 24)) + 40.0  # far from the origin: the sums must not cancel badly
    b = np.tanh(a @ rng.standard_normal((24, 17)) / 5) + 0.3 * rng.standard_normal((2500, 17)) - 3.0
    return a, b


@pytest.mark.parametrize("unbiased", [True, False])
def test_streaming_cka_equals_in_memory(pair, unbiased):
    a, b = pair
    want = cka(a, b, unbiased=unbiased)
    got = streaming_cka(a, b, batch=333, unbiased=unbiased)  # batches that do not divide n
    assert abs(got - want) < 1e-9
    assert abs(streaming_cka(a, a, batch=400, unbiased=unbiased) - 1.0) < 1e-9


def test_streaming_cka_reads_memory_maps_and_batches(tmp_path, pair):
    a, b = pair
    np.save(tmp_path / "a.npy", a.astype(np.float32))
    np.save(tmp_path / "b.npy", b.astype(np.float32))
    ma, mb = np.load(tmp_path / "a.npy", mmap_mode="r"), np.load(tmp_path / "b.npy", mmap_mode="r")
    want = cka(ma, mb, unbiased=True)
    assert abs(streaming_cka(ma, mb, batch=1000) - want) < 1e-9
    blocks = ((a[s : s + 700], b[s : s + 700]) for s in range(0, len(a), 700))
    assert abs(streaming_cka(batches=blocks) - cka(a, b, unbiased=True)) < 1e-9


def test_streaming_cka_refuses_unparallel_inputs(pair):
    a, b = pair
    with pytest.raises(DataError, match="rows"):
        streaming_cka(a, b[:-1])


def test_knn_in_blocks_matches_brute_force():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, 8))
    got = knn_indices(x, 5, block=64)
    xn = x / np.linalg.norm(x, axis=1, keepdims=True)
    sim = xn @ xn.T
    np.fill_diagonal(sim, -np.inf)
    want = np.argsort(-sim, axis=1)[:, :5]
    assert np.array_equal(np.sort(got, axis=1), np.sort(want, axis=1))


def test_mutual_knn_is_one_under_rotation_and_chance_when_shuffled():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((800, 10))
    q = np.linalg.qr(rng.standard_normal((10, 10)))[0]
    assert mutual_knn(x, 3.0 * x @ q, k=10) == pytest.approx(1.0)
    m = calibrated_mutual_knn(x, x[rng.permutation(800)], k=10, permutations=10)
    assert m["mutual_knn@10"] < 0.05
    assert abs(m["mutual_knn@10.calibrated"]) < 0.03
    # chance overlap of two random 10-sets among 799 others: 10 / 799
    assert m["mutual_knn@10.null"] == pytest.approx(10 / 799, rel=0.3)


def test_calibration_separates_a_wide_noisy_copy_from_chance():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((600, 6))
    y = np.hstack([x, 0.5 * rng.standard_normal((600, 60))])  # wider, noisier: raw overlap well below 1
    m = calibrated_mutual_knn(x, y, k=10, permutations=10, n_boot=50)
    assert m["mutual_knn@10.null"] < m["mutual_knn@10"] < 1
    assert m["mutual_knn@10.calibrated"] == pytest.approx(
        (m["mutual_knn@10"] - m["mutual_knn@10.null"]) / (1 - m["mutual_knn@10.null"]))
    lo, hi = m["mutual_knn@10.ci"]
    assert lo <= m["mutual_knn@10"] <= hi
    assert m["mutual_knn@10.p"] == pytest.approx(1 / 11)
