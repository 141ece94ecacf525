"""The experiment runner: units keyed by config, journaled as they finish, resumed without repeats."""

from __future__ import annotations

import json

import pytest

from learnless.errors import ConfigError
from learnless.runtime import Experiment, Journal, RunDir, config_key
from learnless.runtime.executor import LocalExecutor

CALLS = []


def square(config, seed):
    CALLS.append((config["x"], seed))
    if config["x"] < 0:
        raise ValueError("negative")
    return {"y": config["x"] ** 2 + seed}


def square_pool(config, seed):  # no shared list across processes
    return {"y": config["x"] ** 2 + seed}


def test_config_key_is_stable_and_order_free():
    assert config_key({"a": 1, "b": 2}, 0) == config_key({"b": 2, "a": 1}, 0)
    assert config_key({"a": 1}, 0) != config_key({"a": 1}, 1)
    assert config_key({"a": 1}, 0) != config_key({"a": 2}, 0)


def test_runs_every_unit_once_and_resumes(tmp_path):
    CALLS.clear()
    path = tmp_path / "journal.jsonl"
    exp = Experiment(square, [{"x": 1}, {"x": 2}, {"x": 1}], seeds=[0, 1], journal=path)
    assert len(exp.units()) == 4  # the duplicate config is one unit per seed
    records = exp.run()
    assert [r["result"]["y"] for r in records] == [1, 2, 4, 5]
    assert len(CALLS) == 4
    again = Experiment(square, [{"x": 1}, {"x": 2}, {"x": 3}], seeds=[0, 1], journal=path).run()
    assert len(CALLS) == 6  # only x=3's two units ran
    assert [r["result"]["y"] for r in again] == [1, 2, 4, 5, 9, 10]
    assert len(Journal(path)) == 6


def test_failures_are_journaled_when_caught(tmp_path):
    records = Experiment(square, [{"x": -1}, {"x": 2}], seeds=[0], journal=tmp_path / "j.jsonl",
                         catch=True).run()
    assert records[0]["status"] == "failed" and "negative" in records[0]["error"]
    assert records[1]["status"] == "ok"
    with pytest.raises(ValueError):
        Experiment(square, [{"x": -2}], seeds=[0]).run()


def test_interrupted_run_keeps_finished_units(tmp_path):
    def boom(i, _):
        if i == 1:
            raise KeyboardInterrupt

    path = tmp_path / "j.jsonl"
    exp = Experiment(square, [{"x": 1}, {"x": 2}, {"x": 3}], seeds=[0], journal=path,
                     on_record=lambda r: None)
    exp.on_record = lambda r: boom(len(Journal(path)) - 1, r)
    with pytest.raises(KeyboardInterrupt):
        exp.run()
    assert len(Journal(path)) == 2  # the unit that finished before the interrupt is on disk


def test_process_pool(tmp_path):
    with LocalExecutor(2) as ex:
        records = Experiment(square_pool, [{"x": i} for i in range(4)], seeds=[0], executor=ex,
                             journal=tmp_path / "j.jsonl").run()
    assert [r["result"]["y"] for r in records] == [0, 1, 4, 9]


def test_rundir_open_resumes_same_config_and_refuses_another(tmp_path):
    out = tmp_path / "run"
    run = RunDir.open("x", "n", out, command="learnless x run", params={"a": 1})
    config = json.loads((out / "config.json").read_text())
    assert config["params"] == {"a": 1} and config["provenance"]["learnless_version"]
    assert not run.resumed
    run.close()
    again = RunDir.open("x", "n", out, command="learnless x run", params={"a": 1})
    assert again.resumed
    again.close()
    with pytest.raises(ConfigError, match="--force"):
        RunDir.open("x", "n", out, command="learnless x run", params={"a": 2})
    RunDir.open("x", "n", out, command="learnless x run", params={"a": 2}, force=True).close()
    assert json.loads((out / "config.json").read_text())["params"] == {"a": 2}
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        RunDir.open("x", "n", afile, command="c", params={})
    with pytest.raises(ConfigError, match="cannot create"):
        RunDir.open("x", "n", afile / "sub", command="c", params={})
