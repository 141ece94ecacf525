"""search profile: a latency table of a super-network whose sub-networks' latency is known (they sleep), the
predictor fitted on it, `search run --latency-table`, and the CLI's errors."""

import json
import os
import time

import numpy as np
import pytest
import torch

from learnless.errors import ConfigError, DataError
from learnless.search import Search
from learnless.search.profile import TableLatency, profile, read_table, save_table
from tests.search.test_cli import cli


class _Sleep(torch.nn.Module):
    def __init__(self, ms: float):
        super().__init__()
        self.ms = ms

    def forward(self, x):
        time.sleep(self.ms / 1e3)
        return x


class Sleepy:
    """Sub-network (a, b) sleeps a + 0.5 b ms: its latency is known, monotone in a and b."""

    def space(self):
        return {"a": [1, 2, 3, 4, 5, 6, 7, 8], "b": [0, 1, 2, 3, 4]}

    def metrics(self):
        return ["score", "latency@cpu"]

    def build(self, config):
        return _Sleep(config["a"] + 0.5 * config["b"])

    def latency_input_shape(self, config):
        return (1, 4)

    def evaluate(self, config, metrics):
        return {"score": float(config["a"] - config["b"])}


def factory():
    return Sleepy()


def test_profile_measures_distinct_subnetworks_pinned():
    table = profile(Sleepy(), 24, seed=0, repeats=3, warmup=1, clock="wall")
    rows = table["rows"]
    assert len(rows) == 24 and len({json.dumps(r["config"], sort_keys=True) for r in rows}) == 24
    assert table["core"] in os.sched_getaffinity(0)
    assert table["reference"]["config"] == {"a": 1, "b": 0}  # the first choices
    for r in rows:  # a sleep of s ms, relative to the reference's 1 ms, times the reference's median
        assert r["median_ms"] >= 0.9 * (r["config"]["a"] + 0.5 * r["config"]["b"])
        assert r["q1_ms"] <= r["median_ms"] <= r["q3_ms"] and r["iqr_ms"] >= 0
        # every sub-network timed in each of the default 3 rounds (up to 3 more where they disagree); its
        # latency is their median
        assert 3 <= len(r["rounds_ms"]) <= 6 and r["median_ms"] == float(np.median(r["rounds_ms"]))
    net = TableLatency(Sleepy(), table)
    assert net.evaluate(rows[0]["config"], ["latency@cpu"])["latency@cpu"] == rows[0]["median_ms"]
    first = rows[0]["config"]
    assert net.evaluate(first, ["score"]) == {"score": first["a"] - first["b"]}


class Disturbed(Sleepy):
    """Sleepy, but sub-networks with a == 1 sleep 4 x as long in their second round (a burst of load)."""

    def __init__(self):
        self.builds: dict = {}

    def build(self, config):
        key = json.dumps(config, sort_keys=True)
        self.builds[key] = self.builds.get(key, 0) + 1
        slow = 4.0 if config["a"] == 1 and self.builds[key] == 2 else 1.0
        return _Sleep(slow * (config["a"] + 0.5 * config["b"]))


def test_profile_gives_disturbed_subnetworks_more_rounds():
    rows = profile(Disturbed(), 20, seed=0, repeats=2, warmup=0, clock="wall")["rows"]
    disturbed = [r for r in rows if r["config"]["a"] == 1]
    assert disturbed  # the sample holds some
    for r in disturbed:  # the burst is outvoted: more rounds, and the median is an undisturbed one
        assert len(r["rounds_ms"]) > 3
        assert r["median_ms"] < 2 * (1 + 0.5 * r["config"]["b"]) + 1


class _DriftingSleep(torch.nn.Module):
    def __init__(self, ms: float, machine: dict):
        super().__init__()
        self.ms, self.machine = ms, machine

    def forward(self, x):
        time.sleep(self.ms * self.machine["slowdown"] / 1e3)
        return x


class Drifting(Sleepy):
    """Sleepy on a machine whose speed changes between measurements: every build (each measurement builds
    its sub-network afresh) sets a new slowdown, 1, 2 or 3, for every module, the reference's included."""

    def __init__(self):
        self.machine = {"slowdown": 1.0, "builds": 0}

    def space(self):
        return {"a": [1, 2, 3, 4, 5], "b": [0, 1]}

    def build(self, config):
        self.machine["builds"] += 1
        self.machine["slowdown"] = 1.0 + self.machine["builds"] % 3
        return _DriftingSleep(3 * (config["a"] + 0.5 * config["b"]), self.machine)  # 3 ms units: sleep's
        # own overshoot (a few hundredths of a ms, not slowed down) moves the ratios by under 2 %


def test_profile_pairs_every_pass_with_the_reference_so_drift_cancels():
    """Unpaired, a sub-network's rounds would disagree by up to 3 x; paired with the reference pass just
    before, every ratio is its sleep over the reference's, so the rounds agree, none needs more, and the
    ranking is exact."""
    from scipy.stats import kendalltau

    table = profile(Drifting(), 10, seed=0, repeats=3, warmup=1, clock="wall")
    rows = table["rows"]
    assert len(rows) == 10
    assert all(len(r["rounds_ms"]) == 3 for r in rows)
    sleeps = [r["config"]["a"] + 0.5 * r["config"]["b"] for r in rows]
    assert kendalltau(sleeps, [r["median_ms"] for r in rows])[0] == pytest.approx(1.0)
    # the drift was there: the reference sleeps 3 ms unslowed, and its median pass ran at slowdown 2
    assert 5.0 < table["reference"]["median_ms"] < 9.0


class _Work(torch.nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.layers = torch.nn.Sequential(*[torch.nn.Linear(256, 256) for _ in range(n)])

    def forward(self, x):
        return self.layers(x)


def test_the_thread_clock_counts_the_pass_own_cpu_time_only():
    """A sleeping pass costs no CPU time, so the default clock reads (almost) nothing where the wall clock
    reads the sleep; a pass of n linear layers costs more with more layers, and its structure is recorded."""
    from learnless.search.hardware import measure_latency

    slept = measure_latency(_Sleep(20), (1, 4), repeats=3, warmup=0, clock="thread")
    assert slept["clock"] == "thread" and slept["median_ms"] < 2
    assert measure_latency(_Sleep(20), (1, 4), repeats=3, warmup=0, clock="wall")["median_ms"] >= 20
    with pytest.raises(ConfigError, match="--clock"):
        measure_latency(_Sleep(1), (1, 4), repeats=2, clock="sundial")
    with pytest.raises(ConfigError, match="threads must be 1"):
        measure_latency(_Sleep(1), (1, 4), repeats=2, clock="thread", threads=2)

    class Layers(Sleepy):
        def space(self):
            return {"a": [1, 2, 4, 8, 16, 32], "b": [0, 1]}

        def build(self, config):
            return _Work(config["a"])

        def latency_input_shape(self, config):
            return (64, 256)

    rows = profile(Layers(), 12, repeats=5, warmup=1)["rows"]
    for r in rows:
        assert r["layers"] == r["config"]["a"] and r["macs"] == 64 * 256 * 256 * r["config"]["a"]
        assert r["linear_macs"] == r["macs"] and r["conv_macs"] == 0
    by_depth = {}
    for r in rows:
        by_depth.setdefault(r["config"]["a"], []).append(r["median_ms"])
    assert min(by_depth[32]) > max(by_depth[1])


def test_the_predictor_learns_a_known_latency_law():
    """A table with the law's exact latencies (timings on a loaded host are what the benchmark measures):
    the held-out ranking is right and unseen sub-networks are predicted close to the law."""
    law = lambda c: c["a"] + 0.5 * c["b"]
    configs = [{"a": a, "b": b} for a in range(1, 9) for b in range(5)]
    rng = np.random.default_rng(0)
    seen = [configs[i] for i in rng.permutation(len(configs))[:30]]
    table = {"rows": [{"config": c, "median_ms": law(c)} for c in seen]}
    net = TableLatency(Sleepy(), table)
    assert net.scores["held_out"] == 6 and net.scores["kendall_tau"] > 0.8 and net.scores["mape_%"] < 10
    unseen = [c for c in configs if c not in seen]
    assert np.corrcoef([net.latency(c) for c in unseen], [law(c) for c in unseen])[0, 1] > 0.95
    assert net.latency(seen[0]) == law(seen[0])  # measured rows are the table's own values


def test_table_checks(tmp_path):
    with pytest.raises(ConfigError, match="--samples"):
        profile(Sleepy(), 5)
    table = profile(Sleepy(), 12, repeats=2, warmup=0)
    path = save_table(tmp_path / "t.json", table)
    assert read_table(path, Sleepy())["rows"] == table["rows"]

    class Other(Sleepy):
        def space(self):
            return {"a": [1, 2, 3, 4, 5, 6, 7, 8], "b": [0, 1]}

    with pytest.raises(DataError, match="another super-network"):
        read_table(path, Other())
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(DataError, match="not a JSON"):
        read_table(tmp_path / "bad.json", Sleepy())


def test_cli_profile_then_search_with_the_table(tmp_path):
    spec = "tests.search.test_profile:factory"
    # a sleep takes no CPU time: the wall clock times it
    r = cli("profile", "--supernet", spec, "--samples", "20", "--repeats", "3", "--warmup", "1",
            "--clock", "wall", "--rounds", "2", "--out", str(tmp_path / "p"), "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["samples"] == 20 and -1 <= m["kendall_tau"] <= 1 and m["mape_%"] >= 0
    table = tmp_path / "p" / "latency_table.json"
    assert all(2 <= len(row["rounds_ms"]) <= 4 for row in json.loads(table.read_text())["rows"])
    assert json.loads(table.read_text())["predictor"]["held_out"] == 4
    r = cli("run", "--supernet", spec, "--objectives", "score:max", "latency@cpu:min", "--tactic", "random",
            "--evals", "10", "--population", "5", "--latency-table", str(table), "--out", str(tmp_path / "r"),
            "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["latency_table"]["path"] == str(table)
    journal = [json.loads(line) for line in (tmp_path / "r" / "journal.jsonl").read_text().splitlines()]
    measured = json.loads(table.read_text())["rows"]
    rows = {json.dumps(r["config"], sort_keys=True): r["median_ms"] for r in measured}
    hits = 0
    for rec in journal[1:]:
        value = rec["value"]
        key = json.dumps(value["config"], sort_keys=True)
        if key in rows:  # a profiled sub-network: its measured latency, not a new timing
            assert value["result"]["metrics"]["latency@cpu"] == rows[key]
            hits += 1
    assert len(journal) == 11 and hits >= 1


@pytest.mark.parametrize("args, msg", [
    (["--supernet", "tests.search.test_profile:factory", "--samples", "3"], "--samples"),
    (["--supernet", "nasbench-graph:cora", "--samples", "20"], "latency_input_shape"),
    (["--supernet", "tests.search.test_profile:factory", "--repeats", "1"], "--repeats"),
    (["--supernet", "tests.search.test_profile:factory", "--clock", "cycles"], "--clock"),
    (["--supernet", "tests.search.test_profile:factory", "--rounds", "0"], "--rounds"),
])
def test_cli_profile_bad_input(tmp_path, args, msg):
    r = cli("profile", *args, "--out", str(tmp_path / "p"))
    assert r.returncode == 2 and msg in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "p").exists()


def test_cli_run_refuses_a_table_of_another_space(tmp_path):
    (tmp_path / "t.json").write_text(json.dumps({"format": "x"}))
    r = cli("run", "--supernet", "tests.search.test_profile:factory", "--objectives", "score:max",
            "latency@cpu:min", "--evals", "10", "--population", "5", "--latency-table",
            str(tmp_path / "t.json"), "--out", str(tmp_path / "r"))
    assert r.returncode == 2 and "not a table written by" in r.stderr, r.stderr


def test_search_api_with_a_table():
    table = profile(Sleepy(), 12, repeats=2, warmup=0)
    s = Search(TableLatency(Sleepy(), table), ["score:max", "latency@cpu:min"], "random", population=5)
    s.run(10)
    assert s.evaluations == 10 and all("latency@cpu" in r for r in s.front())


def _table_with(tmp_path, row: int, **change) -> str:
    table = profile(Sleepy(), 12, repeats=2, warmup=0, clock="wall")
    table["rows"][row].update(change)
    return str(save_table(tmp_path / f"t{len(change)}{sorted(change)}.json", table))


@pytest.mark.parametrize("change, msg", [
    ({"median_ms": -1.0}, "row 3: median_ms must be a positive number"),
    ({"median_ms": "fast"}, "row 3: median_ms must be a positive number"),
    ({"config": {"a": 99, "b": 0}}, "row 3: config: a=99 is not one of"),
    ({"config": {"a": 1}}, "row 3: config: missing parameter 'b'"),
    ({"config": [1, 0]}, "row 3: config must be an object"),
])
def test_cli_run_refuses_a_table_with_a_bad_row(tmp_path, change, msg):
    table = _table_with(tmp_path, 3, **change)
    r = cli("run", "--supernet", "tests.search.test_profile:factory", "--objectives", "score:max",
            "latency@cpu:min", "--evals", "10", "--population", "5", "--latency-table", table,
            "--out", str(tmp_path / "r"))
    assert r.returncode == 2 and "--latency-table" in r.stderr and msg in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("args, msg", [
    (["--clock", "sundial"], "--clock"),
    (["--core", "4000"], "--core"),
    (["--supernet", "no-such-supernet"], "supernet: unknown 'no-such-supernet'"),
])
def test_cli_profile_bad_options(tmp_path, args, msg):
    base = ["--supernet", "tests.search.test_profile:factory", "--samples", "10"]
    r = cli("profile", *base, *args, "--out", str(tmp_path / "p"))
    assert r.returncode == 2 and msg in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "p").exists()
