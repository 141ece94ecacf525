"""Tactics from one registry, each given only the options it declares; the evaluation cache shared by
searches with other tactics and seeds."""

import pytest

from learnless.errors import ConfigError
from learnless.search import Search
from learnless.search.cache import EvaluationCache
from learnless.search.space import SearchSpace
from learnless.search.tactics import REGISTRY, TACTICS, LinasTactic, RandomTactic, make_tactic
from tests.search.toy import Toy


def test_registry_gives_each_tactic_its_own_options():
    assert set(REGISTRY) == set(TACTICS)
    space = SearchSpace(Toy().space())
    options = {"inner_evals": 123, "batch": 7, "families": ("ridge",), "extra_features": None}
    linas = make_tactic("linas", space, 2, 0, 8, 0, **options)
    assert isinstance(linas, LinasTactic) and linas.inner_evals == 123 and linas.batch == 7
    assert linas.journal_params() == {"inner_evals": 123, "batch": 7}
    rnd = make_tactic("random", space, 2, 0, 8, 0, **options)  # LINAS's options are not its concern
    assert isinstance(rnd, RandomTactic) and rnd.journal_params() == {"inner_evals": None}
    with pytest.raises(ConfigError, match="unknown 'nope'"):
        make_tactic("nope", space, 2, 0, 8, 0)


def test_journal_header_comes_from_the_tactic():
    s = Search(Toy(), ["score:max", "cost:min"], "evolutionary", population=8, inner_evals=99)
    assert s.header["inner_evals"] is None and "batch" not in s.header
    s = Search(Toy(), ["score:max", "cost:min"], "linas", population=8, inner_evals=99, batch=4)
    assert s.header["inner_evals"] == 99 and s.header["batch"] == 4


def test_evaluation_cache_is_shared_across_tactics_and_seeds(tmp_path):
    toy = Toy()
    cached = EvaluationCache(toy, tmp_path / "evals.jsonl")
    runs = [Search(cached, ["score:max", "cost:min"], tactic, population=8, seed=seed).run(24)
            for tactic, seed in [("random", 0), ("evolutionary", 0), ("random", 1)]]
    distinct = {cached.key(r) for s in runs for r in s.front()}
    assert distinct and toy.calls == cached.misses == len(cached.records())
    assert cached.hits > 0 and cached.hits + cached.misses == sum(s.evaluations for s in runs)
    again = EvaluationCache(Toy(), tmp_path / "evals.jsonl")  # another process: the journal on disk
    s = Search(again, ["score:max", "cost:min"], "random", population=8, seed=0).run(24)
    assert again.misses == 0 and again.hits == 24
    assert s.front() == runs[0].front()
