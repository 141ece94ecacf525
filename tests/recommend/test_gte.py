import warnings
from math import comb

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data import user_item_graph
from learnless.errors import ConfigError, DataError
from learnless.graph.containers import Interactions
from learnless.recommend import GTE, DuplicateInteractionsWarning, NotFittedError
from learnless.recommend.gte import walk_count_bound

from .helpers import official_dense_scores


@pytest.fixture(scope="module")
def small():
    return user_item_graph(300, 200, seed=3)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("cooc", [True, False])
def test_scores_equal_the_official_dense_recurrence(small, k, cooc):
    model = GTE(k, max_cooccurrence_nnz=10**9 if cooc else 0).fit(small)
    precomputed = model.step_ if k in (3, 4) else model.cooccurrence_
    assert (precomputed is not None) == (cooc and k >= 3)
    got = model.score(np.arange(small.n_users))
    np.testing.assert_array_equal(got, official_dense_scores(small.train, k))


def test_k3_is_paths_of_length_three_plus_three_r(small):
    R = small.train.toarray().astype(np.int64)
    expected = R @ R.T @ R + 3 * R
    np.testing.assert_array_equal(GTE(3).fit(small).score(np.arange(small.n_users)), expected)


def test_fit_returns_self_and_sets_only_trailing_underscore_state(small):
    model = GTE(3)
    assert model.fit(small) is model
    assert (
        model.k == 3
        and hasattr(model, "train_")
        and hasattr(model, "cooccurrence_")
        and hasattr(model, "step_")
    )
    assert not hasattr(GTE(3), "train_")  # __init__ does no work


def test_recommend_excludes_seen_and_breaks_ties_by_lower_index():
    # user 0 saw item 0; items 1..3 each reached by one 3-path, item 4 unreachable
    R = sp.csr_matrix(np.array([[1, 0, 0, 0, 0], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]], dtype=float))
    model = GTE(3).fit(R)
    items, scores = model.recommend([0], N=4)
    assert items[0].tolist() == [1, 2, 3, 4]
    assert scores[0].tolist() == [1.0, 1.0, 1.0, 0.0]
    items, _ = model.recommend([0], N=2, filter_already_liked_items=False)
    assert items[0].tolist() == [0, 1]  # item 0: 3R + R R^T R = 3 + 2


def test_user_with_fewer_unseen_items_than_n_gets_padding():
    R = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1]], dtype=float))
    items, scores = GTE(3).fit(R).recommend([0], N=3)
    assert items[0].tolist() == [2, -1, -1]
    assert np.isneginf(scores[0, 1:]).all()


def test_user_and_item_without_interactions():
    R = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 0, 0, 0], [0, 1, 1, 0]], dtype=float))
    model = GTE(3).fit(R)
    assert (model.score([1]) == 0).all()  # a user with no train item scores nothing
    items, scores = model.recommend([1], N=2)
    assert items[0].tolist() == [0, 1] and (scores == 0).all()  # all tied: lowest indices, documented
    assert (model.score(np.arange(3))[:, 3] == 0).all()  # an item nobody interacted with


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_bad_k(small, bad):
    with pytest.raises(ConfigError, match="'k' parameter of GTE|k: number of GTE layers"):
        GTE(bad).fit(small)


def test_not_fitted():
    with pytest.raises(NotFittedError):
        GTE().score([0])


def test_unknown_user_ids(small):
    model = GTE().fit(small)
    with pytest.raises(ConfigError, match=r"unknown user id.*300"):
        model.recommend([0, 300])
    with pytest.raises(ConfigError, match="unknown user id"):
        model.score([-1])
    with pytest.raises(ConfigError, match="integer"):
        model.score(["a"])


def test_n_larger_than_catalogue(small):
    with pytest.raises(ConfigError, match="catalogue"):
        GTE().fit(small).recommend([0], N=small.n_items + 1)


def test_duplicate_interactions_are_deduplicated_with_a_warning():
    rows, cols = [0, 0, 0, 1], [0, 0, 1, 1]
    dup = sp.coo_matrix((np.ones(4), (rows, cols)), shape=(2, 3))
    with pytest.warns(DuplicateInteractionsWarning, match="1 duplicate"):
        model = GTE(3).fit(dup)
    clean = GTE(3).fit(sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 0]], dtype=float)))
    np.testing.assert_array_equal(model.score([0, 1]), clean.score([0, 1]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GTE(3).fit(clean.train_)  # no warning when there is nothing to deduplicate


def test_bad_inputs_to_fit():
    with pytest.raises(ConfigError, match="expected Interactions"):
        GTE().fit(np.ones((3, 3)))
    with pytest.raises(DataError, match="empty"):
        GTE().fit(sp.csr_matrix((0, 5)))
    with pytest.raises(DataError, match=">= 0"):
        GTE().fit(sp.csr_matrix(np.array([[1.0, -1.0]])))


def test_accepts_interactions_container(small):
    assert isinstance(small, Interactions)
    a = GTE().fit(small).score([0, 1])
    b = GTE().fit(small.train).score([0, 1])
    np.testing.assert_array_equal(a, b)


def test_scores_are_float32_only_when_every_count_fits_exactly(small, monkeypatch):
    model = GTE(3).fit(small)
    assert model.dtype_ == np.float32 and model.count_bound_ < 2**24
    assert model.score([0]).dtype == np.float32
    # Pretend float32 could not hold the counts: the float64 path must give the same exact scores.
    import learnless.recommend.gte as gte_module

    monkeypatch.setattr(gte_module, "_FLOAT32_EXACT", 1)
    for k in (3, 5):
        wide = GTE(k).fit(small)
        assert wide.dtype_ == np.float64
        np.testing.assert_array_equal(
            wide.score(np.arange(small.n_users)), official_dense_scores(small.train, k)
        )


@pytest.mark.parametrize("k", [1, 3, 5, 7])
def test_walk_count_bound_is_exact_on_a_complete_bipartite_graph(k):
    # K_{a,b}: every user has b * (a b)^((j-1)/2) walks of odd length j, so the bound is attained
    a, b = 3, 4
    R = sp.csr_matrix(np.ones((a, b)))
    expected = sum(comb(k, j) * b * (a * b) ** ((j - 1) // 2) for j in range(1, k + 1, 2))
    assert walk_count_bound(R, k) == expected
    assert GTE(k).fit(R).score(np.arange(a)).max() <= expected


def test_walk_count_bound_bounds_every_score(small):
    for k in (3, 5):
        model = GTE(k).fit(small)
        assert model.score(np.arange(small.n_users)).max() <= model.count_bound_
