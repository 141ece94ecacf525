"""GTE's fused top-N kernel ranks exactly like dense scores with seen items at -inf (ties: lower id), and
evaluate gives the same metrics through it as through the generic path."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from learnless.recommend import GTE, evaluate, kernels
from learnless.recommend.ranking import top_n

pytestmark = pytest.mark.skipif(not kernels.available(), reason="numba (the `fast` extra) is not installed")


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), density=st.sampled_from([0.01, 0.05, 0.3]), k=st.sampled_from([3, 4]),
       n=st.sampled_from([1, 5, 40]))
def test_kernel_equals_dense_ranking(seed, density, k, n):
    rng = np.random.default_rng(seed)
    R = sp.csr_matrix((rng.random((40, 30)) < density).astype(float))
    model = GTE(k=k).fit(R) if R.nnz else GTE(k=k).fit(sp.csr_matrix(np.eye(40, 30)))
    users = np.arange(model.n_users_)
    ids, scores = model._top_unseen(users, n)
    dense = model.score(users).astype(np.float64)
    dense[model.train_.nonzero()] = -np.inf
    want = top_n(dense, n)
    np.testing.assert_array_equal(ids, want)
    want_scores = np.take_along_axis(dense, np.maximum(want, 0), axis=1)
    want_scores[want < 0] = -np.inf
    np.testing.assert_array_equal(scores, want_scores)


def test_evaluate_through_the_kernel_equals_the_generic_path():
    rng = np.random.default_rng(3)
    R = sp.csr_matrix((rng.random((120, 80)) < 0.06).astype(float))
    test = sp.csr_matrix((rng.random((120, 80)) < 0.03).astype(float))
    test = test - test.multiply(R)

    class Data:
        pass

    data = Data()
    data.test = test
    fused = evaluate(GTE().fit(R), data, topk=(5, 20))
    generic = GTE(k=3).fit(R)
    generic._top_unseen = None  # the dense route
    plain = evaluate(generic, data, topk=(5, 20))
    for key in ("recall@5", "ndcg@5", "recall@20", "ndcg@20"):
        assert fused[key] == pytest.approx(plain[key], abs=1e-12)
