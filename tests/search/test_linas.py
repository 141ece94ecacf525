"""LINAS design choices: batch selection, vectorised de-duplication, the inner NSGA-II, cheap refits."""

import numpy as np

from learnless.search import Search
from learnless.search.predictors import AutoPredictor
from learnless.search.space import SearchSpace
from learnless.search.tactics import inner_nsga2, novel_rows
from tests.search.toy import Toy

OBJ = ["score:max", "cost:min"]
RIDGE = ("ridge",)  # the cheapest family: these tests check the loop, not the predictors


def test_novel_rows_drops_known_rows_and_repeats_keeping_first_occurrences():
    X = np.array([[1, 2], [0, 0], [1, 2], [3, 3], [0, 0], [2, 1]])
    assert novel_rows(X, np.array([[3, 3]])).tolist() == [0, 1, 5]
    assert novel_rows(X, X[:0]).tolist() == [0, 1, 3, 5]
    assert novel_rows(X, X).tolist() == []


def test_linas_batches_are_novel_distinct_and_of_the_requested_size():
    net = Toy()
    s = Search(net, OBJ, "linas", population=8, seed=0, inner_evals=200, batch=3, predictor_families=RIDGE)
    s.run(26)
    assert s.evaluations == net.calls == len(set(s.history.keys))  # nothing validated twice
    log = s.tactic.log
    assert log and all(r["from_inner_loop"] <= 3 for r in log)
    # after the random first population, every iteration validates at most `batch` new sub-networks
    assert s.evaluations <= 8 + 3 * len(log)
    assert s.header["batch"] == 3


def test_selection_skips_validated_candidates_and_spreads_along_the_front():
    s = Search(Toy(), OBJ, "linas", population=8, seed=1, inner_evals=200, predictor_families=RIDGE)
    s.run(16)
    validated = s.space.canonical(s.history.arrays()[0])
    # an archive holding validated rows, repeats and a dominated row: only the new front rows come back
    new = np.array([[0, 2, 0, 0, 0], [1, 2, 2, 0, 0], [3, 2, 2, 2, 2], [3, 0, 0, 0, 0]])
    Xa = np.vstack([validated, new, new])
    F_new = np.array([[0.0, 3.0], [1.0, 1.0], [3.0, 0.0], [4.0, 4.0]])  # the last row is dominated
    Fa = np.vstack([np.full((len(validated), 2), -1.0), F_new, F_new])  # validated rows "predicted" best
    picked = s.tactic._select(3, [(Xa, Fa)], s.history)
    keys = {s.space.key(x) for x in picked}
    assert keys.isdisjoint(s.history.keys)
    novel = [s.space.key(x) for x in new if s.space.key(x) not in s.history.keys]
    assert len(picked) == min(3, len(novel)) and len(keys) == len(picked)
    if s.space.key(new[3]) in novel and len(novel) > 3:
        assert s.space.key(new[3]) not in keys  # the dominated row comes last


def test_inner_nsga2_spends_its_budget_on_distinct_canonical_vectors():
    space = SearchSpace(Toy().space(), inactive=Toy().inactive)
    rng = np.random.default_rng(0)
    calls = []

    def fn(X):
        calls.append(len(X))
        return np.column_stack([-X[:, 1:].sum(axis=1), (X[:, 1:] ** 2).sum(axis=1)]).astype(float)

    X, F = inner_nsga2(space, fn, space.sample(8, rng), 120, rng)
    assert len(X) == len(F) == sum(calls) <= 120
    assert (space.canonical(X) == X).all() and (X >= 0).all() and (X < space.sizes).all()
    assert len(novel_rows(X, X[:0])) >= 0.5 * len(X)  # offspring are de-duplicated against the population


def test_between_cv_selections_linas_only_refits_the_chosen_predictors():
    s = Search(Toy(), OBJ, "linas", population=8, seed=2, inner_evals=100)
    s.tactic.full_cv_until, s.tactic.reselect_every = 1, 100
    s.run(40)
    log = s.tactic.log
    assert log[0]["reselected"] and len(log) > 1 and not any(r["reselected"] for r in log[1:])
    assert all(r["chosen"] == log[0]["chosen"] for r in log)


def test_auto_predictor_refit_and_capped_cv_rows():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(80, 8)).astype(float)
    y = X @ np.arange(1, 9) + 100
    p = AutoPredictor(seed=0, max_cv_rows=30).fit(X, y)
    assert p.chosen_.startswith("ridge")
    before = p.predict(X)
    p.refit(X, 2 * y)  # same candidate, new data, no cross-validation
    assert p.chosen_.startswith("ridge") and np.allclose(p.predict(X), 2 * before, rtol=1e-2)


def test_evolutionary_goes_on_when_pymoo_has_no_offspring(monkeypatch):
    from learnless.search import tactics

    space = SearchSpace({"a": [1, 2, 3], "b": [4, 5]})
    tactic = tactics.EvolutionaryTactic(space, 2, 0, 4, 0)
    monkeypatch.setattr(tactic.algorithm, "ask", lambda: None)

    class History:
        keys = ()

    X = tactic.propose(3, History())
    assert X.shape == (3, 2) and len({tuple(x) for x in X}) == 3
    tactic.observe(X, np.zeros((3, 2)), None)  # nothing to tell pymoo: no error
