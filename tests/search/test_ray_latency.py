"""Parallel validation with latency pinned to one dedicated worker (learnless.search.parallel): the same
history as a serial run, measured metrics only on the pinned worker, one at a time, journal complete."""

import itertools
import json
import os

import pytest

from learnless.errors import ConfigError
from learnless.runtime.pinned import _RayPinned
from learnless.search import Search
from learnless.search.parallel import LATENCY_RESOURCE, PinnedLatencyExecutor, merge, split
from tests.search.latency_toy import LatencyToy, read_log

OBJ = ["score:max", "latency@cpu:min"]


def _search(net, executor=None, journal=None):
    return Search(net, OBJ, "evolutionary", constraints=["cost<=20"], population=8, seed=2,
                  journal=journal, executor=executor).run(24)


def _check_journal(path, search):
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert len(lines) == 1 + search.evaluations  # header + one record per validated candidate
    for rec in lines[1:]:
        r = rec["value"]["result"]
        assert r["status"] == "ok" and {"score", "cost", "latency@cpu"} <= set(r["metrics"])


def _check_pinned(log, key):
    """Every measured evaluation ran alone on the pinned worker; no general one asked for latency."""
    lat = [r for r in log if "latency@cpu" in r["metrics"]]
    gen = [r for r in log if "latency@cpu" not in r["metrics"]]
    assert lat and gen
    assert len({r[key] for r in lat}) == 1  # one dedicated worker
    spans = sorted((r["start"], r["end"]) for r in lat)
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(spans))  # never two measurements at once
    assert all(set(r["metrics"]) == {"latency@cpu"} for r in lat)
    return lat, gen


def test_split_and_merge():
    g, lat = split(({"a": 1}, ["accuracy", "latency@cpu", "latency@v100"]))
    assert g == ({"a": 1}, ["accuracy", "latency@v100"]) and lat == ({"a": 1}, ["latency@cpu"])
    assert split(({"a": 1}, ["macs"]))[1] is None and split(3) == (3, None)
    ok = {"status": "ok", "metrics": {"accuracy": 1.0, "latency@cpu": 9.0}}
    both = merge(ok, {"status": "ok", "metrics": {"latency@cpu": 2.0}}, ["latency@cpu"])
    assert both["metrics"] == {"accuracy": 1.0, "latency@cpu": 2.0}
    bad = {"status": "failed", "error": "boom"}
    assert merge(ok, bad, ["latency@cpu"]) == bad and merge(bad, ok) == bad


def test_local_pool_pins_latency_to_one_core_and_matches_serial(tmp_path):
    serial = _search(LatencyToy(sleep=0))
    with PinnedLatencyExecutor("local", workers=2) as ex:
        par = _search(LatencyToy(tmp_path / "log"), ex, tmp_path / "j.jsonl")
    assert par.history.keys == serial.history.keys and par.history.records == serial.history.records
    _check_journal(tmp_path / "j.jsonl", par)
    lat, gen = _check_pinned(read_log(tmp_path / "log"), "pid")
    assert os.getpid() not in {r["pid"] for r in lat + gen}
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) >= 2:  # the measuring process has the last core to itself
        assert {tuple(r["cores"]) for r in lat} == {(cores[-1],)}
        assert all(cores[-1] not in r["cores"] for r in gen)


def test_ray_pins_latency_to_the_custom_resource_and_matches_serial(tmp_path):
    pytest.importorskip("ray")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    serial = _search(LatencyToy(sleep=0))
    with PinnedLatencyExecutor("ray", workers=2) as ex:
        import ray

        assert ray.cluster_resources().get(LATENCY_RESOURCE) == 1
        par = _search(LatencyToy(tmp_path / "log"), ex, tmp_path / "j.jsonl")
    assert par.history.keys == serial.history.keys and par.history.records == serial.history.records
    _check_journal(tmp_path / "j.jsonl", par)
    lat, gen = _check_pinned(read_log(tmp_path / "log"), "worker")
    assert all(r["resources"].get(LATENCY_RESOURCE) == 1 and r["resources"].get("CPU") == 1 for r in lat)
    assert all(LATENCY_RESOURCE not in r["resources"] for r in gen)
    assert {r["worker"] for r in lat}.isdisjoint({r["worker"] for r in gen})


def test_a_cluster_without_the_resource_is_a_config_error():
    class FakeRay:
        def cluster_resources(self):
            return {"CPU": 4}

    pinned = _RayPinned.__new__(_RayPinned)
    pinned.ray, pinned._actor = FakeRay(), None
    with pytest.raises(ConfigError, match="latency_worker.*ray start --num-cpus=1"):
        pinned.actor()
    with pytest.raises(ConfigError, match="--address is only meaningful"):
        PinnedLatencyExecutor("local", address="ray://x:1")


def test_cli_validates_in_parallel_with_pinned_latency_and_rejects_a_stray_address(tmp_path):
    from tests.search.test_cli import cli

    out = tmp_path / "run"
    args = ["run", "--supernet", "tests.search.latency_toy:factory", "--objectives", "score:max",
            "latency@cpu:min", "--tactic", "random", "--evals", "16", "--population", "8"]
    r = cli(*args, "--workers", "2", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    metrics = json.loads(r.stdout.strip().splitlines()[-1])
    assert metrics["evaluations"] == 16 and metrics["failed"] == 0
    assert len((out / "journal.jsonl").read_text().splitlines()) == 17
    bad = cli(*args, "--address", "ray://x:1", "--out", str(tmp_path / "bad"))
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "error: --address is only meaningful with --backend ray"
    ]


class _CustomTimed(LatencyToy):
    """The same toy with its timed metric under a name the default rule does not know."""

    def metrics(self):
        return ["score", "cost", "cpu_ms"]

    def measured_metrics(self):
        return ["cpu_ms"]

    def evaluate(self, config, metrics):
        renamed = ["latency@cpu" if m == "cpu_ms" else m for m in metrics]
        out = super().evaluate(config, renamed)
        if "latency@cpu" in out:
            out["cpu_ms"] = out.pop("latency@cpu")
        return out


def test_a_supernet_declares_which_metrics_are_timed_on_the_host(tmp_path):
    from learnless.search.parallel import is_measured, measured_rule

    assert measured_rule(LatencyToy()) is is_measured
    rule = measured_rule(_CustomTimed())
    assert rule("cpu_ms") and not rule("latency@cpu") and not rule("score")
    with PinnedLatencyExecutor("local", workers=2) as ex:
        Search(_CustomTimed(tmp_path / "log"), ["score:max", "cpu_ms:min"], "random", population=8,
               seed=2, executor=ex).run(16)
    log = read_log(tmp_path / "log")
    timed = [r for r in log if "latency@cpu" in r["metrics"]]  # the toy logs the name it computed
    assert len(timed) == 16 and all(r["metrics"] == ["latency@cpu"] for r in timed)
    assert len({r["pid"] for r in timed}) == 1  # all on the one dedicated worker


def test_pinned_executor_is_runtime_api_with_the_callers_split():
    """runtime's PinnedExecutor with a split of the caller's: the pinned halves run in the one pinned
    process, the others in the pool, and merge joins them in item order."""
    import os

    from learnless.runtime import PinnedExecutor
    from learnless.runtime.pinned import _where

    with PinnedExecutor("local", workers=2, split=lambda item: (item, item),
                        merge=lambda g, p, part: (g, p)) as ex:
        out = ex.map(_where, range(6))
    assert len(out) == 6
    pinned = {p[0] for _, p in out}
    assert len(pinned) == 1 and pinned.isdisjoint({g[0] for g, _ in out}) and os.getpid() not in pinned
