import numpy as np
import pytest
import scipy.sparse as sp

from learnless.classify import gsl, nsl, stationary_state
from learnless.classify.propagation import (
    adaptive_features,
    adaptive_features_distributed,
    adaptive_features_streaming,
    propagated_hops,
    softmax_weights,
)
from learnless.classify.smoothness import row_cosine
from learnless.errors import ConfigError
from learnless.graph import normalize_adjacency
from learnless.runtime import get_executor


def test_stationary_state_is_the_limit_of_propagation(sbm):
    """Â^k X converges to the per-component stationary state (d_i+1)^½ (d_j+1)^½ / Σ(d+1)."""
    a = normalize_adjacency(sbm.adj, "sym").toarray().astype(np.float64)
    limit = np.linalg.matrix_power(a, 400) @ sbm.x.astype(np.float64)
    np.testing.assert_allclose(stationary_state(sbm.adj, sbm.x), limit, atol=1e-4)


def test_stationary_state_per_component(with_isolated):
    g = with_isolated
    x_inf = stationary_state(g.adj, g.x)
    # an isolated node (degree 0 + self-loop) is its own component: its stationary state is itself
    np.testing.assert_allclose(x_inf[-5:], g.x[-5:], rtol=1e-6)


def test_nsl_with_isolated_nodes_is_finite_and_zero(with_isolated):
    values = nsl(with_isolated.adj, with_isolated.x, 8)
    assert values.shape == (9, with_isolated.num_nodes)
    assert np.isfinite(values).all()
    np.testing.assert_allclose(values[:, -5:], 0.0, atol=1e-6)  # includes the all-zero feature row
    assert values[:, :-5].max() > 0.1


def test_row_cosine_of_zero_vectors_is_zero():
    a = np.array([[0.0, 0.0], [1.0, 0.0]])
    b = np.array([[1.0, 2.0], [2.0, 0.0]])
    np.testing.assert_allclose(row_cosine(a, b), [0.0, 1.0])


def test_gsl_decreases_with_depth_and_k0_matches_definition(sbm):
    g = gsl(sbm.adj, sbm.x, 10)
    assert g.shape == (11,)
    assert g[1] > g[4] > g[10]  # smoothing toward the stationary state
    cos0 = row_cosine(sbm.x, stationary_state(sbm.adj, sbm.x))
    assert g[0] == pytest.approx(np.mean(1 - cos0), rel=1e-5)  # α = 1 at k = 0


def test_nsl_rejects_negative_depth(sbm):
    with pytest.raises(ConfigError, match="max_depth"):
        nsl(sbm.adj, sbm.x, -1)


def test_softmax_weights_sum_to_one_and_sharpen_with_low_temperature():
    v = np.array([[0.9, 0.0], [0.1, 0.0], [0.0, 0.0]], np.float32)
    w1, w01 = softmax_weights(v, 1.0), softmax_weights(v, 0.1)
    np.testing.assert_allclose(w1.sum(0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(w1[:, 1], 1 / 3, rtol=1e-6)  # equal NSL -> equal weights
    assert w01[0, 0] > w1[0, 0]


def test_streaming_and_distributed_combination_equal_in_memory(sbm):
    ref, w_ref = adaptive_features(sbm.adj, sbm.x, 6, 0.5)
    hops = propagated_hops(sbm.adj, sbm.x, 6)
    np.testing.assert_allclose(ref, np.einsum("kn,knf->nf", w_ref, hops), rtol=1e-5, atol=1e-6)
    streamed, w_s = adaptive_features_streaming(sbm.adj, sbm.x, 6, 0.5, chunk_size=5)
    np.testing.assert_allclose(w_s, w_ref, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(streamed, ref, rtol=1e-4, atol=1e-5)
    with get_executor("local", workers=1) as ex:
        dist, _ = adaptive_features_distributed(sbm.adj, sbm.x, 6, 0.5, ex, chunks=3)
    np.testing.assert_allclose(dist, ref, rtol=1e-4, atol=1e-5)


def test_propagation_cache_serves_shallower_depths(sbm):
    deep = propagated_hops(sbm.adj, sbm.x, 5)
    shallow = propagated_hops(sbm.adj, sbm.x, 2)
    assert shallow.shape[0] == 3 and np.shares_memory(deep, shallow)
    a = normalize_adjacency(sbm.adj, "sym")
    np.testing.assert_allclose(shallow[2], a @ (a @ sbm.x), rtol=1e-4, atol=1e-5)


def test_weighted_graph_degrees_match_normalisation():
    adj = sp.csr_matrix(np.array([[0, 2.0, 0], [2.0, 0, 1.0], [0, 1.0, 0]], np.float32))
    x = np.eye(3, dtype=np.float32)
    a = normalize_adjacency(adj, "sym").toarray().astype(np.float64)
    np.testing.assert_allclose(stationary_state(adj, x), np.linalg.matrix_power(a, 500) @ x, atol=1e-5)
