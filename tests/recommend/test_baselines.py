import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data import user_item_graph
from learnless.errors import ConfigError, DataError
from learnless.recommend import evaluate
from learnless.recommend.baselines import BPRMF, EASE, ItemKNN, LightGCN
from learnless.recommend.models import MODELS, make_model
from learnless.recommend.splits import carve_validation


@pytest.fixture(scope="module")
def data():
    return user_item_graph(400, 250, seed=7)


def test_carved_validation_is_a_partition_of_train(data):
    R = sp.csr_matrix(data.train)
    fit, val = carve_validation(R, 0.2, seed=1)
    assert (fit.multiply(val)).nnz == 0
    assert ((fit + val) != R).nnz == 0
    deg, fdeg = np.diff(R.indptr), np.diff(fit.indptr)
    assert (fdeg[deg >= 1] >= 1).all()  # nobody loses all their train items
    assert (np.diff(val.indptr)[deg >= 2] >= 1).all()
    with pytest.raises(ConfigError, match="val_fraction"):
        carve_validation(R, 1.5)


def test_itemknn_equals_brute_force_cosine(data):
    model = ItemKNN(neighbours=10, block=64).fit(data)
    R = data.train.toarray().astype(float)
    co = R.T @ R
    norms = np.sqrt(np.diag(co))
    cos = co / (np.outer(norms, norms) + 1e-12)
    np.fill_diagonal(cos, 0)
    S = model.similarity_.toarray()
    for j in range(R.shape[1]):
        kept = np.flatnonzero(S[:, j])
        assert kept.size <= 10
        np.testing.assert_allclose(S[kept, j], cos[kept, j], rtol=1e-9)
        if kept.size == 10:  # the kept ones are the most similar
            assert cos[kept, j].min() >= np.sort(cos[:, j])[-10] - 1e-12
    np.testing.assert_allclose(model.score([0, 1]), R[[0, 1]] @ S)


def test_ease_equals_the_closed_form(data):
    model = EASE(l2=100).fit(data)
    R = data.train.toarray().astype(float)
    P = np.linalg.inv(R.T @ R + 100 * np.eye(R.shape[1]))
    B = P / (-np.diag(P))
    np.fill_diagonal(B, 0)
    np.testing.assert_allclose(model.weights_, B, atol=1e-5)
    assert model.weights_.dtype == np.float32 and model.weights_.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(model.score([0, 3]), R[[0, 3]] @ B, atol=1e-4)


def test_ease_refuses_catalogues_that_do_not_fit(data, monkeypatch):
    with pytest.raises(ConfigError, match="max_memory_gb"):
        EASE(max_memory_gb=1e-6).fit(data)
    with pytest.raises(ConfigError, match="l2"):
        EASE(l2=0).fit(data)
    # beyond what the bundled LAPACK survives, even where memory would allow it: refused before densifying
    monkeypatch.setenv("LEARNLESS_MEMORY_BUDGET_GB", "1000")
    wide = sp.csr_matrix((np.ones(3), ([0, 1, 1], [0, 5, 39_999])), shape=(2, 40_000))
    with pytest.raises(ConfigError, match="at most 32767 items"):
        EASE().fit(wide)


@pytest.mark.parametrize("cls", [BPRMF, LightGCN])
def test_trained_models_learn_and_stop_early_on_validation(data, cls):
    model = cls(max_epochs=60, patience=3, batch_size=1024, lr=5e-3, seed=0).fit(data)
    assert model.stopped_by_ in ("early_stopping", "max_epochs")
    last = model.history_[-1]["epoch"]
    assert all(("val_recall@20" in h) == (h["epoch"] % model.eval_every == 0 or h["epoch"] == last)
               for h in model.history_)
    assert model.best_val_recall_ == max(h.get("val_recall@20", -1) for h in model.history_)
    # the test split was never given to fit: early stopping used train-carved validation only
    assert model.fit_train_.nnz < data.train.nnz
    m = evaluate(model, data, topk=(20,))
    popularity = np.asarray(data.train.sum(0)).ravel()
    pop = evaluate(_Fixed(np.tile(popularity, (data.n_users, 1))).fit(data), data, topk=(20,))
    assert m["recall@20"] > pop["recall@20"]  # better than most-popular: it learned something


def test_early_stopping_reads_the_validation_split(data):
    """The best validation Recall@20 recorded during training is the restored model's Recall@20 on the
    validation matrix passed to fit (here the data's test matrix stands in for a published validation
    split); the real test split is never seen, and without val a split is carved out of train."""
    val = sp.csr_matrix(data.test)
    model = BPRMF(max_epochs=8, patience=2, batch_size=512, lr=5e-3, val_users=10_000, seed=0)
    model.fit(data.train, val=val)
    model.train_ = model.fit_train_
    again = evaluate(model, None, topk=(20,), test=val, users=model.val_users_)["recall@20"]
    assert again == pytest.approx(model.best_val_recall_, abs=1e-12)


def test_negative_sampler_never_returns_a_positive():
    from learnless.recommend.baselines.bpr import NegativeSampler

    rng = np.random.default_rng(0)
    dense = (rng.random((50, 30)) < 0.3).astype(float)
    dense[0, :29] = 1  # one free item left: the exact-complement fallback must find it
    dense[1, 1:] = 1
    R = sp.csr_matrix(dense)
    R.eliminate_zeros()
    sampler = NegativeSampler(R, rounds=1)
    users = np.repeat(np.arange(50), 200)
    for seed in range(3):
        neg = sampler.sample(users, np.random.default_rng(seed))
        assert not dense[users, neg].any()
        assert (neg[users == 0] == 29).all() and (neg[users == 1] == 0).all()
    counts = np.bincount(sampler.sample(np.full(30_000, 5), rng), minlength=30)
    free = np.flatnonzero(dense[5] == 0)
    assert set(np.flatnonzero(counts)) == set(free)  # every free item is drawn, uniformly-ish
    assert counts[free].min() > 0.7 * counts[free].mean()
    full = sp.csr_matrix(np.ones((2, 4)))
    with pytest.raises(DataError, match="every item"):
        NegativeSampler(full)


def test_lightgcn_symmetric_propagation_equals_pyg():
    """learnless's per-layer product with a symmetric backward gives PyG LightGCN.get_embedding's values and
    gradients exactly."""
    import torch

    g = user_item_graph(120, 80, seed=3)
    model = LightGCN(seed=0)
    model._build(sp.csr_matrix(g.train, dtype=float))
    ours = model._propagate()
    theirs = model.net_.get_embedding(model.adj_)
    loss = lambda e: e[:30].pow(2).sum() + (e[-15:] * e[40:55]).sum()
    w = model.net_.embedding.weight
    g1, = torch.autograd.grad(loss(ours), w)
    g2, = torch.autograd.grad(loss(theirs), w)
    torch.testing.assert_close(ours, theirs, rtol=1e-6, atol=1e-7)
    torch.testing.assert_close(g1, g2, rtol=1e-5, atol=1e-7)
    assert g1.abs().max() > 0


def test_time_budget_stops_training(data):
    model = BPRMF(max_epochs=10_000, patience=10_000, batch_size=64, time_budget=1.0).fit(data)
    assert model.stopped_by_ == "time_budget"
    assert model.train_seconds_ < 10


def test_published_validation_split_is_used_when_given(data):
    val = sp.csr_matrix(data.test)  # any matrix: what matters is that fit uses it as given
    model = BPRMF(max_epochs=2, seed=0).fit(data.train, val=val)
    assert model.fit_train_.nnz == data.train.nnz


def test_bad_hyper_parameters(data):
    with pytest.raises(ConfigError, match="dim"):
        BPRMF(dim=0).fit(data)
    with pytest.raises(ConfigError, match="time_budget"):
        LightGCN(time_budget=-1).fit(data)
    with pytest.raises(ConfigError, match="neighbours"):
        ItemKNN(neighbours=0).fit(data)
    with pytest.raises(ConfigError, match="unknown 'svd'"):
        make_model("svd")
    with pytest.raises(ConfigError, match="unknown parameter.*layers"):
        make_model("bprmf", layers=3)  # a model's own parameters are checked strictly
    assert set(MODELS) == {"gte", "lightgcn", "bprmf", "itemknn", "ease"}


def test_make_model_passes_common_settings_only_where_they_apply():
    gte = make_model("gte", common={"seed": 3, "time_budget": 5.0}, k=5)
    assert gte.get_params() == {"k": 5, "max_cooccurrence_nnz": 100_000_000}
    mf = make_model("bprmf", common={"seed": 3, "time_budget": 5.0}, dim=8)
    assert (mf.seed, mf.time_budget, mf.dim) == (3, 5.0, 8)


def test_budgeted_progress_total_follows_the_budget():
    model = BPRMF(max_epochs=1000, time_budget=10.0)
    assert model._expected_epochs(epoch=2, elapsed=1.0) == 20  # 0.5 s per epoch, 9 s left: 18 more
    assert model._expected_epochs(epoch=2, elapsed=12.0) == 2
    assert BPRMF(max_epochs=1000)._expected_epochs(2, 1.0) == 1000
    assert BPRMF(max_epochs=5, time_budget=100.0)._expected_epochs(2, 1.0) == 5


class _Fixed:
    def __new__(cls, table):
        from learnless.recommend import Recommender

        class Fixed(Recommender):
            name = "popularity"

            def _fit(self, R, val):
                pass

            def _score(self, users):
                return np.asarray(table, float)[users]

        return Fixed()


def test_pair_set_finds_stored_pairs_only():
    from learnless.recommend.pairs import PairSet

    # unsorted, duplicated entries; row 1 empty
    m = sp.csr_matrix((np.ones(4), np.array([3, 0, 3, 2]), np.array([0, 3, 3, 4])), shape=(3, 5))
    pairs = PairSet(m)
    assert m.indices.tolist() == [3, 0, 3, 2]  # the caller's matrix is left as it was
    rows = np.array([[0], [1], [2]])
    cols = np.array([[0, 3, 1, -1, 2]])
    expected = np.array([[True, True, False, False, False],
                         [False, False, False, False, False],
                         [False, False, False, False, True]])
    np.testing.assert_array_equal(pairs.contains(rows, cols), expected)
    assert not PairSet(sp.csr_matrix((2, 2))).contains([0, 1], [0, 1]).any()
