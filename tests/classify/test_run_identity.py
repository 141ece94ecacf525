"""A journal never hands back another experiment's results: the runtime keys every unit by its parameters,
split and data, and refuses a journal whose experiment differs (naming what)."""

from __future__ import annotations

import csv
import json

import pytest

from learnless.classify.depth_study import DepthStudyConfig, run_depth_study
from learnless.classify.runs import graph_for_seed, run_model
from learnless.classify.splits import resolve_split
from learnless.errors import DataError
from tests.classify.test_split_options import write_graph_files
from tests.console import console

TINY = DepthStudyConfig(prop_depths=(1, 2), trans_depths=(2,), gcn_layers=(1,), seeds=1, epochs=10, hidden=8)


def test_depth_study_on_another_split_refuses_the_journal_naming_the_split(sbm, tmp_path):
    journal = tmp_path / "journal.jsonl"
    a = resolve_split(sbm, "per-class", 20, 30, None)
    b = resolve_split(sbm, "per-class", 5, 30, None)
    run_depth_study(graph_for_seed(sbm, 0, a)[0], TINY, journal_path=journal, split=a)
    with pytest.raises(DataError, match=r"holds another experiment \(.*split"):
        run_depth_study(graph_for_seed(sbm, 0, b)[0], TINY, journal_path=journal, split=b)


def test_seed_runs_key_by_the_graph_content(sbm, tmp_path):
    journal = tmp_path / "journal.jsonl"
    run_model(sbm, "sgc", {"epochs": 5}, 1, journal=journal)
    noisy = sbm.__class__(sbm.adj, sbm.x[::-1].copy(), sbm.y, sbm.train_mask, sbm.val_mask, sbm.test_mask,
                          name=sbm.name)
    with pytest.raises(DataError, match=r"holds another experiment \(data:"):
        run_model(noisy, "sgc", {"epochs": 5}, 1, journal=journal)


def _csv(path):
    with open(path) as fh:
        return [{k: v for k, v in row.items() if k != "gsl"} for row in csv.DictReader(fh)]


def test_depth_study_force_onto_another_split_reuses_nothing(tmp_path):
    g = write_graph_files(tmp_path / "g")
    base = ["classify", "depth-study", "-d", g, "--format", "graph-files", "--quick", "--seeds", "1"]
    assert console(*base, "--train-per-class", "20", "--out", tmp_path / "old").returncode == 0
    old_lines = (tmp_path / "old" / "journal.jsonl").read_text().splitlines()[1:]  # after the header
    old_keys = {json.loads(x)["key"] for x in old_lines}
    forced = console(*base, "--train-per-class", "5", "--out", tmp_path / "old", "--force")
    assert forced.returncode == 0, forced.stderr
    lines = [json.loads(x) for x in (tmp_path / "old" / "journal.jsonl").read_text().splitlines()]
    assert len(lines) == 1 + 12 and not {x["key"] for x in lines[1:]} & old_keys
    assert console(*base, "--train-per-class", "5", "--out", tmp_path / "fresh").returncode == 0
    assert _csv(tmp_path / "old" / "depth_study.csv") == _csv(tmp_path / "fresh" / "depth_study.csv")


def test_depth_study_seed_picks_the_split_and_the_first_seed(tmp_path):
    """--seed 2 --seeds 1 trains seed 2 on seed 2's random split: not seed 0's units."""
    g = write_graph_files(tmp_path / "g")
    base = ["classify", "depth-study", "-d", g, "--format", "graph-files", "--quick", "--seeds", "1"]
    assert console(*base, "--out", tmp_path / "s0").returncode == 0
    r = console(*base, "--seed", "2", "--out", tmp_path / "s2")
    assert r.returncode == 0, r.stderr
    units = [json.loads(x)["value"] for x in (tmp_path / "s2" / "journal.jsonl").read_text().splitlines()[1:]]
    assert {u["seed"] for u in units} == {2}
    assert _csv(tmp_path / "s0" / "depth_study.csv") != _csv(tmp_path / "s2" / "depth_study.csv")
