import numpy as np
import pytest
import scipy.sparse as sp

from learnless.errors import ConfigError
from learnless.graph import normalize_adjacency


def path_graph(n):
    a = sp.diags([np.ones(n - 1), np.ones(n - 1)], [1, -1], shape=(n, n), format="csr", dtype=np.float32)
    return a


def test_symmetric_matches_dense_formula():
    a = path_graph(5).toarray() + 0
    a_tilde = a + np.eye(5)
    d = a_tilde.sum(1)
    expected = a_tilde / np.sqrt(np.outer(d, d))
    got = normalize_adjacency(sp.csr_matrix(a), "sym").toarray()
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(got, got.T)


def test_random_walk_rows_sum_to_one():
    got = normalize_adjacency(path_graph(6), "rw")
    np.testing.assert_allclose(np.asarray(got.sum(1)).ravel(), 1.0, rtol=1e-6)


def test_isolated_node_without_self_loop_stays_zero_not_nan():
    a = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=np.float32))
    got = normalize_adjacency(a, "sym", self_loops=False).toarray()
    assert np.isfinite(got).all()
    assert (got[2] == 0).all()


def test_unknown_kind_names_argument():
    with pytest.raises(ConfigError, match="normalization: unknown kind 'lap'"):
        normalize_adjacency(path_graph(3), "lap")
