import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data import user_item_graph
from learnless.errors import ConfigError, DataError
from learnless.graph.containers import Interactions
from learnless.recommend import GTE, Recommender, evaluate
from learnless.recommend.evaluate import ColdTestItemsWarning
from learnless.recommend.ranking import top_n
from learnless.runtime import get_executor

from .helpers import official_dense_scores, official_metrics


class FixedScores(Recommender):
    """A recommender whose scores are given: for checking the metrics by hand."""

    name = "fixed"

    def __init__(self, table):
        self.table = table

    def _fit(self, R, val):
        pass

    def _score(self, users):
        return np.asarray(self.table, dtype=float)[users].copy()


def test_top_n_is_the_stable_argsort_prefix():
    rng = np.random.default_rng(0)
    s = rng.integers(0, 4, size=(50, 30)).astype(float)
    s[rng.random(s.shape) < 0.2] = -np.inf
    got = top_n(s, 10)
    ref = np.argsort(-s, axis=1, kind="stable")[:, :10]
    valid = np.take_along_axis(s, ref, 1) > -np.inf
    np.testing.assert_array_equal(got, np.where(valid, ref, -1))


def test_metrics_by_hand():
    # 1 user, 6 items; train item 0; test items 2 and 5. Scores rank (seen excluded): 1, 2, 3, 4, 5
    train = sp.csr_matrix(np.array([[1, 0, 0, 0, 0, 0]], dtype=float))
    test = sp.csr_matrix(np.array([[0, 0, 1, 0, 0, 1]], dtype=float))
    data = Interactions(train, test)
    model = FixedScores([[9, 8, 7, 6, 5, 4]]).fit(data)
    m = evaluate(model, data, topk=(2, 5))
    # K=2: top [1, 2] -> one hit at rank 1; recall 1/2; dcg 1/log2(3); idcg 1 + 1/log2(3)
    assert m["recall@2"] == pytest.approx(0.5)
    assert m["ndcg@2"] == pytest.approx((1 / np.log2(3)) / (1 + 1 / np.log2(3)))
    # K=5: both hit, at ranks 1 and 4
    assert m["recall@5"] == pytest.approx(1.0)
    assert m["ndcg@5"] == pytest.approx((1 / np.log2(3) + 1 / np.log2(6)) / (1 + 1 / np.log2(3)))


def test_exact_never_ranks_seen_items_but_official_ties_them_at_zero():
    # scores 0 everywhere except the seen item 0: exact ranks unseen items 1.. by index;
    # official masks item 0 to 0 and sorts everything as NumPy's argsort does
    train = sp.csr_matrix(np.array([[1, 0, 0]], dtype=float))
    test = sp.csr_matrix(np.array([[0, 0, 1]], dtype=float))
    data = Interactions(train, test)
    model = FixedScores([[5, 0, 0]]).fit(data)
    exact = evaluate(model, data, topk=(1, 2))
    assert exact["recall@1"] == 0 and exact["recall@2"] == 1  # ranking [1, 2]
    official = evaluate(model, data, topk=(1, 2, 3), protocol="official")
    assert official["recall@3"] == 1
    order = (-(np.array([[5, 0, 0]], np.float32) * np.array([[0, 1, 1]], np.float32))).argsort()[0]
    assert official["recall@1"] == float(order[0] == 2)


@pytest.mark.parametrize("n_users", [300, 700])
def test_official_protocol_equals_the_official_code(n_users):
    data = user_item_graph(n_users, 150, seed=n_users)
    expected = official_metrics(official_dense_scores(data.train, 3), data.train, data.test)
    got = evaluate(GTE(3).fit(data), data, protocol="official")
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key


def test_exact_protocol_equals_a_direct_stable_ranking():
    data = user_item_graph(200, 120, seed=5)
    scores = official_dense_scores(data.train, 3)
    scores[data.train.nonzero()] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")[:, :20]
    test = data.test.toarray() > 0
    users = np.flatnonzero(test.sum(1))
    rec, nd = [], []
    for u in users:
        hit = test[u, order[u]]
        rec.append(hit.sum() / test[u].sum())
        idcg = sum(1 / np.log2(p + 2) for p in range(min(20, test[u].sum())))
        nd.append(sum(1 / np.log2(p + 2) for p in np.flatnonzero(hit)) / idcg)
    m = evaluate(GTE(3).fit(data), data, topk=(20,), block_size=37)
    assert m["recall@20"] == pytest.approx(np.mean(rec), abs=1e-12)
    assert m["ndcg@20"] == pytest.approx(np.mean(nd), abs=1e-12)
    assert m["users_evaluated"] == users.size


def test_block_size_and_executor_do_not_change_the_result():
    data = user_item_graph(400, 200, seed=2)
    model = GTE(3).fit(data)
    a = evaluate(model, data, block_size=1000)
    b = evaluate(model, data, block_size=7)
    with get_executor("local", workers=2) as ex:
        c = evaluate(model, data, block_size=64, executor=ex)
    for key in ("recall@20", "ndcg@20", "recall@40", "ndcg@40"):
        assert a[key] == b[key] == c[key]


def test_cold_test_items_are_counted_and_warned():
    train = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0]], dtype=float))
    test = sp.csr_matrix(np.array([[0, 0, 1], [0, 0, 1]], dtype=float))
    data = Interactions(train, test)
    with pytest.warns(ColdTestItemsWarning, match="2 test interactions"):
        m = evaluate(GTE().fit(data), data, topk=(1,))
    assert m["cold_test_interactions"] == 2


def test_bad_evaluation_arguments():
    data = user_item_graph(50, 40, seed=0)
    model = GTE().fit(data)
    with pytest.raises(ConfigError, match="larger than the catalogue"):
        evaluate(model, data, topk=(20, 41))
    with pytest.raises(ConfigError, match=">= 1"):
        evaluate(model, data, topk=(0,))
    with pytest.raises(ConfigError, match="protocol"):
        evaluate(model, data, protocol="fast")
    with pytest.raises(ConfigError, match="block_size"):
        evaluate(model, data, block_size=0)
    empty = Interactions(data.train, sp.csr_matrix(data.train.shape))
    with pytest.raises(DataError, match="no interactions"):
        evaluate(model, empty)


@pytest.mark.parametrize("seed", range(5))
def test_official_hits_equal_the_full_argsort_on_heavily_tied_scores(seed):
    """Rows whose tie groups are all-test or test-free are decided without sorting; every row must give the
    hits of `(-preds).argsort()` itself."""
    from learnless.recommend.evaluate import _hits, official_hits

    rng = np.random.default_rng(seed)
    preds = rng.integers(0, 4, (64, 50)).astype(np.float32)  # few distinct values: ties everywhere
    preds[rng.random(preds.shape) < 0.5] = 0
    labels = sp.csr_matrix((rng.random(preds.shape) < 0.08).astype(np.float32))
    labels[np.arange(0, 64, 7), np.arange(0, 64, 7) % 50] = 1  # every few rows at least one test item
    labels.eliminate_zeros()
    for kmax in (1, 5, 20, 50):
        hit, n_rel = official_hits(preds, labels, kmax)
        want, want_rel = _hits(np.negative(preds).argsort()[:, :kmax], labels)
        np.testing.assert_array_equal(hit, want)
        np.testing.assert_array_equal(n_rel, want_rel)


@pytest.mark.parametrize("protocol", ["exact", "official"])
def test_threads_do_not_change_the_metrics(protocol):
    data = user_item_graph(700, 300, seed=5)
    model = GTE(3).fit(data)
    one = evaluate(model, data, protocol=protocol, block_size=64)
    two = evaluate(model, data, protocol=protocol, block_size=64, threads=2)
    assert {k: v for k, v in one.items() if k != "eval_seconds"} == {k: v for k, v in two.items()
                                                                      if k != "eval_seconds"}
    with pytest.raises(ConfigError, match="threads"):
        evaluate(model, data, threads=0)
