"""The implicit-style API (implicit's RecommenderBase): recommend(userid, user_items, N, ...) shapes and
filters, recalculate_user, similar_items, and save / load through .npz without pickle."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import learnless.recommend as rec
from learnless.data import user_item_graph
from learnless.errors import ConfigError, DataError
from learnless.recommend import EASE, GTE, MODELS, ItemKNN, LightGCN, Recommender

_FAST = {"dim": 8, "batch_size": 256, "max_epochs": 2, "eval_every": 1, "val_users": 20, "seed": 0}


@pytest.fixture(scope="module")
def data():
    return user_item_graph(80, 50, seed=5)


@pytest.fixture(scope="module")
def fitted(data):
    return {
        "gte": GTE(3).fit(data),
        "gte5": GTE(5).fit(data),
        "itemknn": ItemKNN(neighbours=10).fit(data),
        "ease": EASE(l2=50.0).fit(data),
        "bprmf": MODELS["bprmf"](**_FAST).fit(data),
        "lightgcn": LightGCN(layers=2, **_FAST).fit(data),
    }


def test_every_model_is_exported_under_its_cli_name():
    for name in MODELS.names():
        cls = MODELS[name]
        assert getattr(rec, cls.__name__) is cls
        assert cls.__name__.lower() == name


@pytest.mark.parametrize("name", ["gte", "itemknn", "ease", "bprmf", "lightgcn"])
def test_one_id_gives_1d_an_array_gives_2d(fitted, data, name):
    model = fitted[name]
    R = sp.csr_matrix(data.train)
    ids, scores = model.recommend(3, R[3], N=7)
    assert ids.shape == scores.shape == (7,)
    many, many_scores = model.recommend(np.array([3, 4, 5]), R[[3, 4, 5]], N=7)
    assert many.shape == many_scores.shape == (3, 7)
    np.testing.assert_array_equal(many[0], ids)
    assert not set(ids) & set(R[3].indices), "liked items are filtered by default"
    assert np.all(np.diff(scores) <= 0)


def test_user_items_default_to_the_train_rows(fitted, data):
    R = sp.csr_matrix(data.train)
    a = fitted["gte"].recommend([1, 2], N=5)
    b = fitted["gte"].recommend([1, 2], R[[1, 2]], N=5)
    np.testing.assert_array_equal(a[0], b[0])


def test_filter_already_liked_items_false_can_return_them(fitted, data):
    R = sp.csr_matrix(data.train)
    ids, _ = fitted["gte"].recommend(0, R[0], N=10, filter_already_liked_items=False)
    full = fitted["gte"].score([0])[0]
    np.testing.assert_array_equal(ids, np.argsort(-full, kind="stable")[:10])
    assert set(ids) & set(R[0].indices)


@pytest.mark.parametrize("name", ["gte", "gte5", "itemknn", "ease"])
def test_recalculate_user_equals_the_fitted_scores_of_its_own_row(fitted, data, name):
    model = fitted[name]
    R = sp.csr_matrix(data.train)
    users = np.array([0, 7, 42])
    fitted_ids, fitted_scores = model.recommend(users, R[users], N=12)
    ids, scores = model.recommend(users, R[users], N=12, recalculate_user=True)
    np.testing.assert_array_equal(ids, fitted_ids)
    np.testing.assert_allclose(scores, fitted_scores, rtol=1e-6)


def test_recalculate_user_scores_a_new_history_through_the_fitted_graph(fitted, data):
    model = fitted["gte"]
    R = sp.csr_matrix(data.train, dtype=np.float64)
    history = sp.csr_matrix(([1.0, 1.0], ([0, 0], [2, 9])), shape=(1, data.n_items))
    ids, scores = model.recommend(10_000, history, N=5, recalculate_user=True)  # any label: no lookup
    expected = (history @ (R.T @ R + 3 * sp.identity(data.n_items))).toarray()[0]
    expected[[2, 9]] = -np.inf
    top = np.argsort(-expected, kind="stable")[:5]
    np.testing.assert_array_equal(ids, top)
    np.testing.assert_allclose(scores, expected[top])


@pytest.mark.parametrize("name", ["bprmf", "lightgcn"])
def test_recalculate_user_is_refused_where_it_would_need_a_refit(fitted, data, name):
    with pytest.raises(ConfigError, match="recalculate_user: not supported"):
        fitted[name].recommend(0, sp.csr_matrix(data.train)[0], recalculate_user=True)


def test_filter_items_and_items_are_honoured(fitted, data):
    model, R = fitted["gte"], sp.csr_matrix(data.train)
    best, _ = model.recommend(0, R[0], N=5)
    ids, _ = model.recommend(0, R[0], N=5, filter_items=best[:2])
    assert not set(best[:2]) & set(ids)
    np.testing.assert_array_equal(ids[:3], best[2:])
    candidates = np.array([1, 3, 5, 7, 11, 13])
    ids, scores = model.recommend([0, 1], R[[0, 1]], N=10, items=candidates)
    for u, row, srow in zip([0, 1], ids, scores):
        got = row[row >= 0]
        assert set(got) <= set(candidates) - set(R[u].indices)
        assert len(got) == len(set(candidates) - set(R[u].indices))
        assert np.all(srow[row < 0] == -np.inf)


def test_bad_user_items_and_item_ids_are_clear_errors(fitted, data):
    R = sp.csr_matrix(data.train)
    with pytest.raises(ConfigError, match="user_items: expected one row per user id"):
        fitted["gte"].recommend([0, 1], R[0])
    with pytest.raises(ConfigError, match="user_items: recalculate_user=True needs"):
        fitted["gte"].recommend(0, recalculate_user=True)
    with pytest.raises(ConfigError, match="filter_items: unknown item"):
        fitted["gte"].recommend(0, R[0], filter_items=[data.n_items])


@pytest.mark.parametrize("name", ["gte", "itemknn", "ease", "bprmf", "lightgcn"])
def test_similar_items_shapes_and_never_the_item_itself(fitted, name):
    ids, scores = fitted[name].similar_items(4, N=6)
    assert ids.shape == scores.shape == (6,) and 4 not in ids
    assert np.all(np.diff(scores) <= 0)
    many, _ = fitted[name].similar_items(np.array([4, 5]), N=6)
    assert many.shape == (2, 6)
    np.testing.assert_array_equal(many[0], ids)


def test_gte_similar_items_are_co_occurrence_counts(fitted, data):
    R = sp.csr_matrix(data.train, dtype=np.float64)
    G = (R.T @ R).toarray()
    ids, scores = fitted["gte"].similar_items(4, N=5)
    np.testing.assert_array_equal(scores, G[4, ids])
    G[4, 4] = -np.inf
    assert scores[0] == G[4].max()


@pytest.mark.parametrize("name", ["gte", "gte5", "itemknn", "ease", "bprmf", "lightgcn"])
def test_save_load_round_trip(fitted, data, name, tmp_path):
    model = fitted[name]
    path = model.save(tmp_path / "model")
    assert path.suffix == ".npz"
    with np.load(path, allow_pickle=False) as z:  # nothing in the file needs pickle
        assert "__header__" in z.files
    loaded = type(model).load(path)
    assert type(loaded) is type(model) and loaded.get_params() == model.get_params()
    users = np.arange(10)
    np.testing.assert_array_equal(loaded.score(users), model.score(users))
    np.testing.assert_array_equal(loaded.recommend(users, N=5)[0], model.recommend(users, N=5)[0])
    np.testing.assert_array_equal(loaded.similar_items(3)[0], model.similar_items(3)[0])
    assert type(Recommender.load(path)) is type(model)  # the base class reads any saved model
    assert type(rec.load(path)) is type(model)


def test_load_refuses_another_model_and_foreign_files(fitted, tmp_path):
    path = fitted["gte"].save(tmp_path / "gte.npz")
    with pytest.raises(ConfigError, match="holds a GTE, not a ItemKNN"):
        ItemKNN.load(path)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    with pytest.raises(DataError, match="not a saved learnless recommender"):
        GTE.load(other)
    with pytest.raises(DataError, match="no such saved model"):
        GTE.load(tmp_path / "missing.npz")


def test_save_needs_a_fitted_model(tmp_path):
    from learnless.errors import NotFittedError

    with pytest.raises(NotFittedError):
        GTE().save(tmp_path / "m")


def test_load_validates_what_the_file_claims(fitted, tmp_path):
    import json

    path = fitted["gte"].save(tmp_path / "gte.npz")
    with np.load(path, allow_pickle=False) as z:
        parts = {k: z[k] for k in z.files}
    header = json.loads(str(parts["__header__"]))
    bad_param = dict(header, params={**header["params"], "k": 0})
    np.savez(tmp_path / "bad_param.npz", **{**parts, "__header__": np.array(json.dumps(bad_param))})
    with pytest.raises(ConfigError, match="'k' parameter of GTE"):
        GTE.load(tmp_path / "bad_param.npz")
    foreign = dict(header, **{"class": "os:system"})
    np.savez(tmp_path / "foreign.npz", **{**parts, "__header__": np.array(json.dumps(foreign))})
    with pytest.raises(DataError, match="is not a learnless recommender"):
        Recommender.load(tmp_path / "foreign.npz")
    dunder = dict(header, state={**header["state"], "__class__": 1})
    np.savez(tmp_path / "dunder.npz", **{**parts, "__header__": np.array(json.dumps(dunder))})
    with pytest.raises(DataError, match="not a fitted attribute name"):
        GTE.load(tmp_path / "dunder.npz")
