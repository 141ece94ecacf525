import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from learnless.errors import ConfigError, DataError
from learnless.graph import normalize_adjacency, propagate
from learnless.graph.propagate import iter_propagate


def random_graph(n, m, seed):
    rng = np.random.default_rng(seed)
    r, c = rng.integers(0, n, m), rng.integers(0, n, m)
    a = sp.coo_matrix((np.ones(m, np.float32), (r, c)), shape=(n, n)).tocsr()
    return normalize_adjacency(a.maximum(a.T), "sym")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 40), f=st.integers(1, 9), hops=st.integers(0, 5), chunk=st.integers(1, 10),
       seed=st.integers(0, 1000))
def test_every_hop_matches_dense_powers_for_any_chunking(n, f, hops, chunk, seed):
    adj = random_graph(n, 3 * n, seed)
    x = np.random.default_rng(seed).standard_normal((n, f)).astype(np.float32)
    out = propagate(adj, x, hops, chunk_size=chunk)
    assert out.shape == (hops + 1, n, f) and out.dtype == np.float32
    dense = adj.toarray().astype(np.float64)
    expected = x.astype(np.float64)
    for k in range(hops + 1):
        np.testing.assert_allclose(out[k], expected, rtol=1e-4, atol=1e-5)
        expected = dense @ expected


def test_streaming_yields_hops_in_order_per_chunk():
    adj = random_graph(30, 90, 0)
    x = np.ones((30, 5), np.float32)
    seen = [(cols.start, k) for cols, k, _ in iter_propagate(adj, x, 2, chunk_size=2)]
    assert seen == [(0, 0), (0, 1), (0, 2), (2, 0), (2, 1), (2, 2), (4, 0), (4, 1), (4, 2)]


def test_out_array_is_filled_in_place(tmp_path):
    adj = random_graph(20, 60, 1)
    x = np.random.default_rng(1).standard_normal((20, 3)).astype(np.float32)
    mm = np.lib.format.open_memmap(tmp_path / "h.npy", mode="w+", dtype=np.float32, shape=(4, 20, 3))
    result = propagate(adj, x, 3, out=mm)
    assert result is mm
    np.testing.assert_allclose(np.load(tmp_path / "h.npy"), propagate(adj, x, 3), rtol=1e-6)


def test_bad_arguments_are_named():
    adj = random_graph(5, 10, 0)
    with pytest.raises(ConfigError, match="hops must be an integer >= 0"):
        propagate(adj, np.ones((5, 2)), -1)
    with pytest.raises(DataError, match="x: has 4 rows but the adjacency has 5 nodes"):
        propagate(adj, np.ones((4, 2)), 2)
    with pytest.raises(ConfigError, match="out: expected a float32 array of shape"):
        propagate(adj, np.ones((5, 2)), 2, out=np.empty((2, 5, 2), np.float32))
