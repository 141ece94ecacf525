"""Every command that takes `--backend ray`, on a real two-node Ray cluster started as a user starts one
(`ray start --head`, then `ray start --address`), both nodes WITHOUT LEARNLESS_DATA in their environment: the
workers must get the data directory from the driver. The cluster runs in its own temporary directory and is
stopped at the end whatever happens (its processes are found by that directory, never by name)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.console import ENV, LEARNLESS, ROOT

pytest.importorskip("ray")
RAY = str(Path(sys.executable).with_name("ray"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cluster_pids(temp_dir: str) -> list[int]:
    """The processes of the cluster living in `temp_dir` (their command lines name it or its session)."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) != os.getpid():
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if temp_dir in cmd:
                pids.append(int(d.name))
    return pids


def _stop(temp_dir: str) -> None:
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 2)):
        pids = _cluster_pids(temp_dir)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + wait
        while pids and time.monotonic() < deadline and _cluster_pids(temp_dir):
            time.sleep(0.2)
    shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    """The address of a two-node cluster (one CPU each) whose nodes have no LEARNLESS_DATA."""
    temp_dir = tempfile.mkdtemp(prefix="lray", dir="/tmp")  # short: Ray's socket paths have a length limit
    atexit.register(_stop, temp_dir)
    env = {k: v for k, v in ENV.items() if k != "LEARNLESS_DATA"}
    env.update(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", RAY_AUTH_MODE="disabled", RAY_USAGE_STATS_ENABLED="0")
    port = _free_port()
    common = ["--num-cpus", "1", "--temp-dir", temp_dir, "--node-ip-address", "127.0.0.1"]
    try:
        subprocess.run([RAY, "start", "--head", "--port", str(port), "--include-dashboard", "false", *common],
                       env=env, check=True, capture_output=True, timeout=180)
        subprocess.run([RAY, "start", "--address", f"127.0.0.1:{port}", *common], env=env, check=True,
                       capture_output=True, timeout=180)
        yield f"127.0.0.1:{port}"
    finally:
        _stop(temp_dir)


def run(*args, env_extra=None):
    env = {**ENV, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "RAY_AUTH_MODE": "disabled", **(env_extra or {})}
    return subprocess.run([LEARNLESS, *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT,
                          check=False, timeout=300)


def ok(proc):
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_search_workers_get_the_data_directory(cluster, tmp_path, shared_data):
    """The surrogate tables live under LEARNLESS_DATA, which the nodes do not have."""
    m = ok(run("search", "run", "--supernet", "ofa-mbv3", "--objectives", "accuracy:max", "macs:min",
               "--tactic", "random", "--evals", "8", "--population", "8", "--backend", "ray", "--address",
               cluster, "--out", tmp_path / "s", "--json"))
    assert m["evaluations"] == 8 and m["failed"] == 0


def test_classify_run_and_depth_study(cluster, tmp_path):
    from tests.classify.test_split_options import write_graph_files

    g = write_graph_files(tmp_path / "g")
    ray = ["--backend", "ray", "--address", cluster]
    m = ok(run("classify", "run", "-d", g, "--format", "graph-files", "--model", "sgc", "--seeds", "2",
               "--set", "epochs=10", *ray, "--out", tmp_path / "c", "--json"))
    local = ok(run("classify", "run", "-d", g, "--format", "graph-files", "--model", "sgc", "--seeds", "2",
                   "--set", "epochs=10", "--out", tmp_path / "c-local", "--json"))
    assert m["test_acc_mean"] == local["test_acc_mean"]  # the same units, wherever they run
    d = run("classify", "depth-study", "-d", g, "--format", "graph-files", "--quick", "--seeds", "1", *ray,
            "--out", tmp_path / "d", "--json")
    assert d.returncode == 0, d.stderr[-3000:]
    assert len((tmp_path / "d" / "journal.jsonl").read_text().splitlines()) == 1 + 12


def test_recommend_run(cluster, tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(0, 60, 900), rng.integers(0, 40, 900))}
    csv = tmp_path / "clicks.csv"
    csv.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    m = ok(run("recommend", "run", "--dataset", csv, "--format", "interactions-csv", "--backend", "ray",
               "--address", cluster, "--out", tmp_path / "r", "--json"))
    local = ok(run("recommend", "run", "--dataset", csv, "--format", "interactions-csv", "--out",
                   tmp_path / "r-local", "--json"))
    assert m["recall@20"] == local["recall@20"]


def test_grok_scaling(cluster, tmp_path):
    m = ok(run("grok", "scaling", "--groups", "Z7,Z11", "--seeds", "1", "--ratios", "2,4", "--backend", "ray",
               "--address", cluster, "--out", tmp_path / "g", "--json"))
    assert m["runs"] >= 2


def test_relate_stitch_over_seeds(cluster, tmp_path):
    m = ok(run("relate", "stitch", "--dataset", "digits", "--seeds", "2", "--arch", "mlp", "--epochs", "2",
               "--anchors", "50", "--backend", "ray", "--address", cluster, "--out", tmp_path / "r",
               "--json"))
    assert "relative.non_stitched" in m


def test_a_running_cluster_is_joined_without_address(cluster, tmp_path):
    """With a cluster running (RAY_ADDRESS names it, as `ray start` tells users to set), `--backend ray`
    joins it: no `num_cpus` clash, and the work runs there."""
    m = ok(run("grok", "scaling", "--groups", "Z7", "--seeds", "1", "--ratios", "2,4", "--backend", "ray",
               "--out", tmp_path / "g", "--json", env_extra={"RAY_ADDRESS": cluster}))
    assert m["runs"] >= 1
