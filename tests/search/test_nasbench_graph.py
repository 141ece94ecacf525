"""NAS-Bench-Graph as a built-in super-network: the measured tables, read through the allow-list unpickler."""

import json
import pickle

import numpy as np
import pytest

from learnless.errors import ConfigError, UnsafePickleError
from learnless.search import load_supernet
from learnless.search.supernets import nasbench_graph as nbg
from tests.search.test_cli import cli

arch = pytest.importorskip("nas_bench_graph.architecture")


def test_evaluate_is_the_benchmarks_row_in_percent_and_ms():
    table = nbg.read_bench(nbg.bench_path("cora"))
    row = table[arch.Arch([0, 1, 2, 3], ["gcn", "gat", "sage", "fc"]).valid_hash()]
    net = load_supernet("nasbench-graph:cora")
    got = net.evaluate({"link": "0,1,2,3", "op_0": "gcn", "op_1": "gat", "op_2": "sage", "op_3": "fc"}, [])
    assert got["accuracy"] == pytest.approx(100 * row["valid_perf"])
    assert got["test_accuracy"] == pytest.approx(100 * row["perf"])
    assert got["latency"] == pytest.approx(1000 * row["latency"])
    assert got["params"] == pytest.approx(float(row["para"]))


def test_isomorphic_configs_are_one_architecture_and_every_row_is_reachable():
    net = load_supernet("nasbench-graph:ogbn-arxiv")
    assert net.dataset == "arxiv"
    # two sibling branches off the input (link 0,0,...): swapping them is the same architecture
    a = net.evaluate({"link": "0,0,1,2", "op_0": "gcn", "op_1": "gin", "op_2": "fc", "op_3": "sage"}, [])
    b = net.evaluate({"link": "0,0,1,2", "op_0": "gin", "op_1": "gcn", "op_2": "sage", "op_3": "fc"}, [])
    assert a == b
    values = nbg.lookup_table("arxiv").reshape(-1, 4)
    measured = values[~np.isnan(values).any(axis=1)]
    assert len(np.unique(measured, axis=0)) == len(nbg.read_bench(nbg.bench_path("arxiv")))
    assert np.isnan(values).any(axis=1).sum() == 9  # the all-skip config under each of the 9 wirings


def test_proteins_has_its_own_operations():
    net = load_supernet("nasbench-graph:proteins")
    assert net.space()["op_0"] == ["gcn", "sage", "arma", "fc", "skip"]
    values = nbg.lookup_table("proteins").reshape(-1, 4)
    assert len(np.unique(values[~np.isnan(values).any(axis=1)], axis=0)) == 2021


def test_all_skip_is_a_failed_evaluation_not_a_crash():
    from learnless.search.study import evaluate_candidate

    net = load_supernet("nasbench-graph:cora")
    skip = {"link": "0,0,0,0", **{f"op_{i}": "skip" for i in range(4)}}
    record = evaluate_candidate((skip, ["accuracy", "latency"]), net)
    assert record["status"] == "failed" and "no measured architecture" in record["error"]
    ok = evaluate_candidate(({**skip, "op_3": "gcn"}, ["accuracy", "latency"]), net)
    assert ok["status"] == "ok" and 0 < ok["metrics"]["accuracy"] <= 100


class _Payload:
    def __reduce__(self):
        import os

        return (os.system, ("touch PAYLOAD_RAN",))


def test_a_table_with_a_payload_is_refused_before_it_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.bench"
    path.write_bytes(pickle.dumps({0: {"valid_perf": _Payload(), "perf": 0.5, "latency": 0.1, "para": 1.0}}))
    with pytest.raises(UnsafePickleError, match="allow-list"):
        nbg.read_bench(path)
    assert not (tmp_path / "PAYLOAD_RAN").exists()


def test_unknown_dataset():
    with pytest.raises(ConfigError, match="unknown dataset 'mnist'"):
        load_supernet("nasbench-graph:mnist")


def test_cli_search_and_bad_dataset(tmp_path):
    r = cli("run", "--supernet", "nasbench-graph:cora", "--objectives", "accuracy:max", "latency:min",
            "--tactic", "random", "--evals", "20", "--population", "10", "--out", str(tmp_path / "r"),
            "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["evaluations"] == 20 and m["front_size"] >= 1
    r = cli("run", "--supernet", "nasbench-graph:nope", "--objectives", "accuracy:max",
            "--out", str(tmp_path / "bad"))
    assert r.returncode == 2 and "unknown dataset 'nope'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
