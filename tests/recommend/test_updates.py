"""partial_fit_users / partial_fit_items: after any sequence of updates, new users and items included, the
model equals a refit on the final matrix (GTE and ItemKNN exactly, EASE to float32 tolerance)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnless.errors import ConfigError, DataError
from learnless.recommend import BPRMF, EASE, GTE, ItemKNN

MODELS = {
    "gte3": lambda: GTE(k=3),
    "gte5": lambda: GTE(k=5),
    "gte_no_G": lambda: GTE(k=3, max_cooccurrence_nnz=0),
    "itemknn": lambda: ItemKNN(neighbours=4),
    "ease": lambda: EASE(l2=3.0),
}


def dense_reference(M: np.ndarray, kind: str, ids, rows: np.ndarray) -> np.ndarray:
    """The update applied to a dense copy, the obvious way: grow, then overwrite rows (or columns)."""
    if kind == "users":
        out = np.zeros((max(M.shape[0], max(ids) + 1), M.shape[1]))
        out[: M.shape[0]] = M
        out[list(ids)] = rows[:, : M.shape[1]]
    else:
        out = np.zeros((M.shape[0], max(M.shape[1], max(ids) + 1)))
        out[:, : M.shape[1]] = M
        out[:, list(ids)] = rows[:, : M.shape[0]].T
    return out


def matrix(draw, n_rows, n_cols):
    """A sparse 0/1 matrix: a drawn set of (row, column) cells."""
    cells = draw(st.sets(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1)),
                         max_size=max(1, n_rows * n_cols // 4)))
    m = np.zeros((n_rows, n_cols))
    for r, c in cells:
        m[r, c] = 1.0
    return m


@st.composite
def update_sequences(draw):
    n_users, n_items = draw(st.integers(6, 14)), draw(st.integers(5, 30))
    start = matrix(draw, n_users, n_items)
    steps = []
    shape = [n_users, n_items]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["users", "items"]))
        axis, other = (0, 1) if kind == "users" else (1, 0)
        ids = draw(st.lists(st.integers(0, shape[axis] + 2), min_size=1, max_size=3, unique=True))
        rows = matrix(draw, len(ids), shape[other])
        steps.append((kind, ids, rows))
        shape[axis] = max(shape[axis], max(ids) + 1)
    return start, steps


def scores_of(model, n_users):
    return np.asarray(model.score(np.arange(n_users)), dtype=np.float64)


@pytest.mark.parametrize("name", list(MODELS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=update_sequences())
def test_any_update_sequence_equals_a_refit(name, case):
    start, steps = case
    warnings.simplefilter("ignore")
    start[0, 0] = 1.0  # never an empty matrix
    model = MODELS[name]().fit(sp.csr_matrix(start))
    M = start
    for kind, ids, rows in steps:
        if kind == "users":
            model.partial_fit_users(np.array(ids), sp.csr_matrix(rows))
        else:
            model.partial_fit_items(np.array(ids), sp.csr_matrix(rows))
        M = dense_reference(M, kind, ids, rows)
    assert model.train_.shape == M.shape
    np.testing.assert_array_equal(model.train_.toarray(), M)
    ref = MODELS[name]().fit(sp.csr_matrix(M))
    got, want = scores_of(model, M.shape[0]), scores_of(ref, M.shape[0])
    if name == "ease":  # float32 weights; Woodbury in float64 on top of them
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    else:
        np.testing.assert_array_equal(got, want)  # exact integer counts / the same float operations


def test_ease_uses_woodbury_for_small_changes_and_refits_large_ones():
    rng = np.random.default_rng(0)
    R = sp.csr_matrix((rng.random((120, 80)) < 0.05).astype(float))
    model = EASE(l2=5.0).fit(R)
    new_row = sp.csr_matrix(np.eye(80)[[3]] + np.eye(80)[[7]])
    model.partial_fit_users([120], new_row)  # a new user holding 2 items: rank-2 block
    assert model.last_update_.startswith("woodbury (rank 2 of 80)")
    final = sp.vstack([R, new_row]).tocsr()
    np.testing.assert_allclose(model.weights_, EASE(l2=5.0).fit(final).weights_, atol=1e-6)
    model.partial_fit_users(np.arange(60), sp.csr_matrix(np.ones((60, 80))))
    assert model.last_update_.startswith("refit")


def test_gte_new_items_and_users_are_scored_like_a_refit():
    R = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 0]], dtype=float))
    model = GTE().fit(R).partial_fit_items([4], sp.csr_matrix(np.array([[1, 0, 1]], dtype=float)))
    assert model.n_items_ == 5 and model.train_[:, 3].nnz == 0  # item 3: the gap, no interactions
    model.partial_fit_users([3], sp.csr_matrix(np.array([[0, 0, 1, 0, 1]], dtype=float)))
    ref = GTE().fit(model.train_.copy())
    np.testing.assert_array_equal(model.score(np.arange(4)), ref.score(np.arange(4)))
    assert model.last_update_ == "incremental"


@pytest.mark.parametrize("call, message, error", [
    (lambda m: m.partial_fit_users([0], sp.csr_matrix(np.ones((1, 6)))), "first with partial_fit_items",
     DataError),
    (lambda m: m.partial_fit_users(np.array([0.5]), sp.csr_matrix(np.ones((1, 4)))), "expected integer ids",
     ConfigError),
    (lambda m: m.partial_fit_users([], sp.csr_matrix((0, 4))), "the update is empty", ConfigError),
    (lambda m: m.partial_fit_users([0, 1], sp.csr_matrix(np.ones((1, 4)))), "one row per id", ConfigError),
    (lambda m: m.partial_fit_items([0], sp.csr_matrix(np.ones((1, 9)))), "partial_fit_users", DataError),
])
def test_bad_updates_are_refused_and_change_nothing(call, message, error):
    R = sp.csr_matrix(np.eye(5, 4))
    model = GTE().fit(R)
    before = model.score(np.arange(5)).copy()
    with pytest.raises(error, match=message):
        call(model)
    np.testing.assert_array_equal(model.score(np.arange(5)), before)
    assert model.train_.shape == (5, 4)


def test_trained_models_refuse_partial_fit():
    R = sp.csr_matrix((np.random.default_rng(0).random((60, 50)) < 0.2).astype(float))
    model = BPRMF(max_epochs=1, dim=4).fit(R)
    with pytest.raises(ConfigError, match="not supported by BPRMF"):
        model.partial_fit_users([0], sp.csr_matrix(np.ones((1, 50))))


@pytest.mark.parametrize("name", ["gte3", "itemknn", "ease"])
def test_saved_updated_reloaded_model_recommends_the_same(name, tmp_path):
    from learnless.recommend import load

    rng = np.random.default_rng(1)
    R = sp.csr_matrix((rng.random((30, 20)) < 0.2).astype(float))
    model = MODELS[name]().fit(R)
    model.save(tmp_path / "m.npz")
    loaded = load(tmp_path / "m.npz")
    rows = sp.csr_matrix((rng.random((3, 20)) < 0.3).astype(float))
    for m in (model, loaded):
        m.partial_fit_users([2, 30, 31], rows)
    loaded.save(tmp_path / "m2.npz")
    again = load(tmp_path / "m2.npz")
    users = np.arange(32)
    np.testing.assert_array_equal(again.recommend(users, N=5)[0], model.recommend(users, N=5)[0])


@pytest.mark.parametrize("k", [3, 5])
def test_gte_small_update_keeps_new_cooccurrences_apart_and_still_equals_a_refit(k, tmp_path):
    from learnless.recommend import load

    rng = np.random.default_rng(2)
    R = sp.csr_matrix((rng.random((300, 120)) < 0.08).astype(float))
    model = GTE(k=k).fit(R)
    row = sp.csr_matrix(np.eye(120)[[5]] + np.eye(120)[[117]])
    model.partial_fit_users([300], row)  # one new user: a few new co-occurrences, far below the merge point
    assert model.overflow_ is not None and model.overflow_.nnz > 0
    model.save(tmp_path / "m.npz")
    reloaded = load(tmp_path / "m.npz")
    ref = GTE(k=k).fit(sp.vstack([R, row]).tocsr())
    users = np.arange(301)
    np.testing.assert_array_equal(model.score(users), ref.score(users))
    np.testing.assert_array_equal(reloaded.score(users), ref.score(users))
