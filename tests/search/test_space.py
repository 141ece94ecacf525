import numpy as np
import pytest

from learnless.errors import ConfigError
from learnless.search import SearchSpace
from learnless.search.objectives import Constraint, Objective, hypervolume, pareto_mask, parse_objectives
from tests.search.toy import Toy


def toy_space():
    t = Toy()
    return SearchSpace(t.space(), inactive=t.inactive)


@pytest.mark.parametrize("params, msg", [({"a": []}, "no choices"), ({"a": [1, 1]}, "twice"),
                                         ({"a": 3}, "list of choices"), ({}, "non-empty")])
def test_bad_choices_are_refused(params, msg):
    with pytest.raises(ConfigError, match=msg):
        SearchSpace(params)


def test_vectors_round_trip_and_bad_values():
    sp = toy_space()
    cfg = {"depth": 2, "a_0": 3, "a_1": 1, "a_2": 2, "a_3": 3}
    assert sp.to_config(sp.to_vector(cfg)) == cfg
    with pytest.raises(ConfigError, match="a_0=7"):
        sp.to_vector({**cfg, "a_0": 7})


def test_configs_equal_up_to_inactive_slots_share_a_key_and_features():
    sp = toy_space()
    a = sp.to_vector({"depth": 1, "a_0": 2, "a_1": 1, "a_2": 1, "a_3": 1})
    b = sp.to_vector({"depth": 1, "a_0": 2, "a_1": 3, "a_2": 2, "a_3": 3})
    assert sp.key(a) == sp.key(b)
    fa, fb = sp.features(a), sp.features(b)
    assert np.array_equal(fa, fb)
    assert fa.sum() == 2  # depth one-hot + a_0 one-hot; the inactive slots are zeroed
    assert sp.features(b, masked=False).sum() == 5


def test_objectives_constraints_parse_and_refuse():
    assert Objective.parse("accuracy:max").to_min(3.0) == -3.0
    c = Constraint.parse("latency@v100<=20")
    assert (c.name, c.op, c.bound) == ("latency@v100", "<=", 20.0)
    assert c.violation(25) == 5 and c.violation(10) == 0
    for bad in ("accuracy", "accuracy:up", ":max"):
        with pytest.raises(ConfigError, match="objectives"):
            Objective.parse(bad)
    with pytest.raises(ConfigError, match="constraint"):
        Constraint.parse("latency<20")
    with pytest.raises(ConfigError, match="twice"):
        parse_objectives(["a:max", "a:min"])


def test_pareto_and_hypervolume():
    F = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    assert pareto_mask(F).tolist() == [True, True, False]
    assert hypervolume(F, np.array([2.0, 2.0])) == pytest.approx(3.0)
    assert hypervolume(F, np.array([0.5, 0.5])) == 0.0
