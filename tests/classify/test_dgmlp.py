import numpy as np
import pytest

from learnless.classify import DGMLP, MLP
from learnless.errors import ConfigError, DataError, NotFittedError
from learnless.graph import Graph

from .conftest import replace

FAST = {"epochs": 60, "hidden": 32}


def test_fit_returns_self_and_learned_state(sbm):
    m = DGMLP(prop_depth=4, trans_depth=3, **FAST)
    assert not hasattr(m, "module_")  # no work in __init__
    assert m.fit(sbm) is m
    assert 0 <= m.result_.best_epoch < 60 and m.n_classes_ == 3 and m.n_features_ == 32
    assert m.hop_weights_.shape == (5, sbm.num_nodes)
    np.testing.assert_allclose(m.hop_weights_.sum(0), 1.0, rtol=1e-5)
    assert m.predict(sbm).shape == (sbm.num_nodes,)
    assert m.score(sbm, "test") == pytest.approx(m.result_.test_acc, abs=1e-6)
    assert m.embed(sbm).shape == (sbm.num_nodes, 32)
    assert m.get_params()["prop_depth"] == 4


def test_dgmlp_uses_the_graph(sbm):
    acc = DGMLP(prop_depth=6, trans_depth=2, **FAST).fit(sbm).result_.test_acc
    mlp = MLP(epochs=60, hidden=32).fit(sbm).result_.test_acc
    assert acc > 0.9 and acc > mlp + 0.1


def test_released_variant_is_logistic_regression(sbm):
    m = DGMLP(variant="released", prop_depth=4, lr=0.05, epochs=60).fit(sbm)
    assert len(m.module_.layers) == 1
    assert m.resolved() == {"trans_depth": 1, "temperature": 1.0, "r": 0.0, "feature_scaling": "none"}
    assert m.result_.test_acc > 0.8
    assert m.embed(sbm).shape == sbm.x.shape  # Dt = 1: the last hidden layer is the combined input


def test_same_seed_same_result(sbm):
    a = DGMLP(prop_depth=3, seed=7, **FAST).fit(sbm).predict_proba(sbm)
    b = DGMLP(prop_depth=3, seed=7, **FAST).fit(sbm).predict_proba(sbm)
    np.testing.assert_allclose(a, b)


def test_minibatch_and_streaming_modes(sbm):
    m = DGMLP(prop_depth=5, trans_depth=2, batch_size=16, propagation="streaming", **FAST).fit(sbm)
    assert m.result_.test_acc > 0.8
    ref = DGMLP(prop_depth=5, variant="paper", propagation="memory")._inputs(sbm)
    np.testing.assert_allclose(
        DGMLP(prop_depth=5, variant="paper", propagation="streaming")._inputs(sbm), ref, rtol=1e-4, atol=1e-5
    )


def test_isolated_nodes_train_and_predict(with_isolated):
    m = DGMLP(prop_depth=4, **FAST).fit(with_isolated)
    assert np.isfinite(m.hop_weights_).all()
    np.testing.assert_allclose(m.hop_weights_[:, -5:], 1 / 5, rtol=1e-5)  # NSL 0 -> uniform weights
    assert np.isfinite(m.predict_proba(with_isolated)).all()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"prop_depth": -1}, "prop_depth"),
        ({"prop_depth": 2.5}, "prop_depth"),
        ({"trans_depth": 0}, "trans_depth"),
        ({"temperature": 0}, "temperature"),
        ({"variant": "gpu"}, "variant"),
        ({"variant": "released", "trans_depth": 3}, "conflicts"),
        ({"dropout": 1.0}, "dropout"),
        ({"lr": 0}, "lr"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"propagation": "disk"}, "propagation"),
        ({"hidden": 0}, "hidden"),
    ],
)
def test_bad_hyper_parameters(sbm, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        DGMLP(**kwargs).fit(sbm)


def test_missing_labels_are_left_out_of_the_split(sbm):
    y = sbm.y.copy()
    dropped = np.flatnonzero(sbm.test_mask)[:10]
    y[dropped] = -1
    m = DGMLP(prop_depth=3, **FAST).fit(replace(sbm, y=y))
    assert m.unlabelled_in_split_ == 10
    assert np.isfinite(m.result_.test_acc)


def test_all_train_labels_missing(sbm):
    y = sbm.y.copy()
    y[sbm.train_mask] = -1
    with pytest.raises(DataError, match="train set is empty"):
        DGMLP(**FAST).fit(replace(sbm, y=y))


def test_empty_validation_set(sbm):
    with pytest.raises(DataError, match="validation set is empty"):
        DGMLP(**FAST).fit(replace(sbm, val_mask=np.zeros(sbm.num_nodes, bool)))


def test_no_split_and_several_splits(sbm):
    with pytest.raises(DataError, match="no train/val/test split"):
        DGMLP(**FAST).fit(replace(sbm, train_mask=None))
    two = np.stack([sbm.train_mask] * 2, 1)
    g = replace(
        sbm,
        train_mask=two,
        val_mask=np.stack([sbm.val_mask] * 2, 1),
        test_mask=np.stack([sbm.test_mask] * 2, 1),
    )
    with pytest.raises(DataError, match="split\\(i\\)"):
        DGMLP(**FAST).fit(g)
    assert DGMLP(prop_depth=2, **FAST).fit(g.split(1)).result_.test_acc > 0.5


def test_features_with_the_wrong_row_count(sbm):
    with pytest.raises(DataError, match="rows"):
        Graph(sbm.adj, sbm.x[:-1], sbm.y, name="bad")
    g = replace(sbm)
    g.x = g.x[:-3]  # mutated after construction
    with pytest.raises(DataError, match="rows"):
        DGMLP(**FAST).fit(g)


def test_predict_checks(sbm):
    with pytest.raises(NotFittedError, match="fit"):
        DGMLP().predict(sbm)
    m = DGMLP(prop_depth=2, **FAST).fit(sbm)
    with pytest.raises(DataError, match="features"):
        m.predict(replace(sbm, x=sbm.x[:, :10]))
    with pytest.raises(ConfigError, match="mask"):
        m.score(sbm, "all")


def test_pure_methods_leave_the_hop_weights_alone(sbm):
    m = DGMLP(prop_depth=3, **FAST).fit(sbm)
    weights = m.hop_weights_
    other = replace(sbm, x=sbm.x[::-1].copy())  # another graph of the same shape: other hop weights
    m.predict(other)
    m.score(other)
    m.embed(other)
    assert m.hop_weights_ is weights


def test_validate_runs_without_data_and_names_the_parameter():
    assert DGMLP(prop_depth=3).validate().prop_depth == 3
    with pytest.raises(ConfigError, match="'prop_depth' parameter of DGMLP"):
        DGMLP(prop_depth="deep").validate()


def test_memory_is_estimated_before_propagating(sbm):
    from learnless.classify import SGC

    assert SGC(prop_depth=9).input_bytes(100, 10) == 10 * 100 * 10 * 4
    assert SGC(prop_depth=9).memory_bytes(100, 10) > SGC(prop_depth=9).input_bytes(100, 10)
    streaming = DGMLP(prop_depth=10**6, propagation="streaming")
    assert streaming.memory_bytes(100, 10) < DGMLP(prop_depth=10**6, propagation="memory").memory_bytes(
        100, 10
    )
    assert DGMLP(hidden=10**9, trans_depth=3).memory_bytes(100, 10) > 2**50
    with pytest.raises(ConfigError, match="TiB of memory"):
        SGC(prop_depth=10**9).fit(sbm)
