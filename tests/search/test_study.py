import json

import numpy as np
import pytest

from learnless.errors import ConfigError, DataError
from learnless.search import Search
from learnless.search.predictors import AutoPredictor, kendall_tau, mape
from tests.search.toy import Toy

OBJ = ["score:max", "cost:min"]


@pytest.mark.parametrize("tactic", ["random", "evolutionary", "linas"])
def test_each_tactic_validates_distinct_subnetworks_and_returns_a_validated_front(tactic):
    net = Toy()
    s = Search(net, OBJ, tactic, population=8, seed=0, inner_evals=200)
    s.run(40)
    assert s.evaluations == net.calls  # every evaluation is a distinct sub-network, evaluated once
    assert len(set(s.history.keys)) == s.evaluations <= 40
    front = s.front()
    assert front and s.hypervolume() > 0
    validated = {json.dumps({k: r[k] for k in net.space()}, sort_keys=True) for r in front}
    # front rows are validated sub-networks: re-evaluating gives the same metrics
    for r in front:
        cfg = {k: r[k] for k in net.space()}
        assert net.evaluate(cfg, ["score", "cost"])["cost"] == r["cost"]
    assert len(validated) == len(front)


def test_linas_beats_nothing_but_learns(tmp_path):
    s = Search(Toy(), OBJ, "linas", population=8, seed=0, inner_evals=200)
    s.run(32)
    log = s.tactic.log
    assert log and all("chosen" in r for r in log)
    assert any(np.isfinite(r.get("tau_1", np.nan)) for r in log)


def test_failures_and_nan_are_journaled_and_counted(tmp_path):
    from tests.search.toy import failing

    s = Search(failing(), OBJ, "random", population=8, seed=1, journal=tmp_path / "j.jsonl")
    s.run(39)  # the whole toy space has 3 + 9 + 27 + 81 = 120 sub-networks; 39 includes depth 1 with luck
    summary = s.summary()
    failed = [r for r in s.history.records if r["status"] == "failed"]
    assert summary["failed"] == len(failed)
    lines = (tmp_path / "j.jsonl").read_text().splitlines()
    assert len(lines) == 1 + s.evaluations  # header + one fsynced record per evaluation


def test_failure_messages_are_kept():
    from learnless.search.study import evaluate_candidate

    net = Toy(fail_on=[1], nan_on=[2])
    for a, what in ((1, "boom"), (2, "non-finite")):
        cfg = {"depth": 1, "a_0": a, "a_1": 1, "a_2": 1, "a_3": 1}
        rec = evaluate_candidate((cfg, ["score", "cost"]), net)
        assert rec["status"] == "failed" and what in rec["error"]
    rec = evaluate_candidate(({"depth": 1, "a_0": 3}, ["score", "latency"]), Toy())
    assert rec["status"] == "failed" and "latency" in rec["error"]


def test_ask_tell_matches_run():
    a = Search(Toy(), OBJ, "evolutionary", population=8, seed=3)
    a.run(24)
    b = Search(Toy(), OBJ, "evolutionary", population=8, seed=3)
    net = Toy()
    while b.evaluations < 24:
        for cfg in b.ask(24 - b.evaluations):
            b.tell(cfg, net.evaluate(cfg, ["score", "cost"]))
    assert a.history.keys == b.history.keys
    with pytest.raises(ConfigError, match="not asked"):
        b.tell({"depth": 1, "a_0": 1, "a_1": 1, "a_2": 1, "a_3": 1}, {"score": 1, "cost": 1})


def test_resume_after_interruption_gives_the_same_front_and_repeats_nothing(tmp_path):
    full = Search(Toy(), OBJ, "linas", population=8, seed=5, inner_evals=200)
    full.run(40)
    path = tmp_path / "journal.jsonl"
    first = Toy()
    Search(first, OBJ, "linas", population=8, seed=5, inner_evals=200, journal=path).run(16)
    # simulate a kill mid-record: a torn last line is dropped on reading
    with open(path, "a") as fh:
        fh.write('{"key": "abc", "val')
    second = Toy()
    resumed = Search(second, OBJ, "linas", population=8, seed=5, inner_evals=200, journal=path)
    resumed.run(40)
    assert first.calls + second.calls == full.evaluations  # nothing evaluated twice
    assert resumed.replayed == first.calls
    assert resumed.front() == full.front()
    assert resumed.hypervolume() == full.hypervolume()


def test_a_journal_of_another_search_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    Search(Toy(), OBJ, "random", population=4, seed=0, journal=path).run(8)
    with pytest.raises(DataError, match="holds another experiment"):
        Search(Toy(), OBJ, "random", population=4, seed=1, journal=path)


def test_bad_setups_are_refused():
    with pytest.raises(ConfigError, match="not provided"):
        Search(Toy(), ["accuracy:max"], "random")
    with pytest.raises(ConfigError, match="smaller than the population"):
        Search(Toy(), OBJ, "random", population=10).run(5)
    with pytest.raises(ConfigError, match="tactic"):
        Search(Toy(), OBJ, "hill-climb")
    with pytest.raises(ConfigError, match="lacks"):
        Search("tests.search.toy:not_a_supernet", OBJ)
    with pytest.raises(ConfigError, match="cannot load"):
        Search("tests.search.nope:factory", OBJ)


def test_unmeetable_constraint_reports_the_closest():
    s = Search(Toy(), OBJ, "random", population=8, seed=0, constraints=["cost<=0.5"])
    s.run(16)
    summary = s.summary()
    assert summary["constraint_unmet"] and summary["front_size"] == 0
    assert summary["closest"][0]["cost"] == min(r["metrics"]["cost"] for r in s.history.records)


def test_auto_predictor_picks_ridge_for_a_linear_target_and_reports_metrics():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(60, 8)).astype(float)
    y = X @ np.arange(1, 9) + 100
    p = AutoPredictor(seed=0).fit(X, y)
    assert p.chosen_.startswith("ridge")
    assert mape(y, p.predict(X)) < 1 and kendall_tau(y, p.predict(X)) > 0.95
