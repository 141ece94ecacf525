"""GTE at scale: a synthetic graph of gowalla's size (50k users x 57k items, 1.2M interactions) and one 10x
larger (500k x 570k, 9.6M train interactions), fit + exact evaluation of EVERY test user against every item,
on the local process pool or on a Ray cluster.

    python benchmarks/gte_scale.py [--scales 1,10] [--workers 2]
    python benchmarks/gte_scale.py --scales 10 --backend ray --ray-nodes 2   # a two-node local Ray cluster

GTE (k = 3) ranks each user's unseen items with its fused kernel (learnless.recommend.kernels: co-user
counts, then their items, the best N kept on the fly; exact), so no dense row of 570k scores is built or
sorted. A random sample of `--ci-sample` test users is ranked first and its Recall@20 95 % confidence
interval (normal approximation over users) recorded: the full figure must fall inside it.

Targets at 10x: <= 10 min wall on 2 cores and <= 4 GB peak (driver and workers). CPU seconds (driver +
workers) are reported beside wall time because on a shared machine the wall time mostly measures the other
jobs (the load average at start and end is recorded). Memory: summed RSS of the driver's process tree and,
with Ray, of the cluster's processes, sampled every 0.2 s (shared pages count once per process, so this
over-counts). `--ray-nodes N` starts N single-CPU Ray nodes on this machine (`ray start`, a private temp
dir and port) and stops exactly those processes, by pid, whatever happens.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

BASE = {"users": 50_000, "items": 57_000, "interactions": 1_200_000}


def synthetic(
    n_users: int,
    n_items: int,
    n_interactions: int,
    alpha: float = 0.5,
    test_fraction: float = 0.2,
    seed: int = 0,
):
    """Interactions with power-law item popularity (weight ~ rank^-alpha; alpha=0.5 gives a most popular item
    with ~0.2% of all interactions, like gowalla) and geometric user activity, 20% held out per
    interaction."""
    from learnless.graph.containers import Interactions

    rng = np.random.default_rng(seed)
    deg = rng.geometric(1.0 / (n_interactions / n_users - 1), n_users) + 1
    deg = np.minimum(deg, n_items // 2)
    users = np.repeat(np.arange(n_users), deg)
    w = (np.arange(1, n_items + 1) ** -alpha)[rng.permutation(n_items)]
    items = rng.choice(n_items, users.size, p=w / w.sum())
    m = sp.csr_matrix((np.ones(users.size, np.float32), (users, items)), shape=(n_users, n_items))
    m.sum_duplicates()
    m.data[:] = 1
    coo = m.tocoo()
    test = rng.random(coo.nnz) < test_fraction
    mk = lambda s: sp.csr_matrix((coo.data[s], (coo.row[s], coo.col[s])), shape=m.shape)
    return Interactions(mk(~test), mk(test), name=f"synthetic-{n_users}x{n_items}")


class TreeRSS:
    """Samples the summed RSS of this process tree (and of `extra()` pids) every 0.2 s (ru_maxrss of
    children is not usable here: spawned workers are forked from the driver first, so they inherit its
    high-water mark)."""

    def __init__(self, extra=None):
        import threading

        self.peak_mb = 0.0
        self._extra = extra or list
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        import os

        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, _tree_rss_mb([os.getpid(), *self._extra()]))
            self._stop.wait(0.2)


def _processes() -> tuple[dict[int, list[int]], dict[int, float], dict[int, str]]:
    children: dict[int, list[int]] = {}
    rss: dict[int, float] = {}
    cmd: dict[int, str] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
            cmd[int(d.name)] = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(d.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    return children, rss, cmd


def _descendants(roots, children) -> list[int]:
    seen, stack = [], list(roots)
    while stack:
        pid = stack.pop()
        if pid not in seen:
            seen.append(pid)
            stack.extend(children.get(pid, []))
    return seen


def _tree_rss_mb(roots) -> float:
    children, rss, _ = _processes()
    return sum(rss.get(pid, 0.0) for pid in _descendants(roots, children))


def _cpu_of(pids) -> float:
    """utime + stime (s) of the given live processes."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


class RayNodes:
    """N single-CPU Ray nodes on this machine (head + N-1 joined), in a private temp dir; `pids()` are the
    processes started for them (matched by that temp dir, plus their descendants); `stop()` ends exactly
    those, by pid."""

    def __init__(self, n: int, port: int):
        import tempfile

        self.n, self.port = n, port
        self.temp = tempfile.mkdtemp(prefix="ray_gte_scale_", dir="/tmp")
        self.address = f"127.0.0.1:{port}"

    def __enter__(self):
        import os
        import subprocess

        # Ray starts its workers 15 nicer than the raylet by default, which starves them on a loaded machine;
        # RAY_worker_niceness=0 keeps them at the benchmark's own niceness
        env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_worker_niceness": "0"}
        ray = str(Path(sys.executable).with_name("ray"))
        common = ["--num-cpus", "1", "--temp-dir", self.temp, "--disable-usage-stats"]
        subprocess.run([ray, "start", "--head", "--port", str(self.port), "--include-dashboard=false",
                        *common], check=True, env=env, capture_output=True)
        for _ in range(self.n - 1):
            subprocess.run([ray, "start", "--address", self.address, *common], check=True, env=env,
                           capture_output=True)
        return self

    def pids(self) -> list[int]:
        import os

        children, _, cmd = _processes()
        roots = [p for p, c in cmd.items() if self.temp in c and p != os.getpid()]
        return [p for p in _descendants(roots, children) if p != os.getpid()]

    def stop(self):
        import os
        import signal
        import time

        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = self.pids()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            if not pids:
                break
            time.sleep(3)

    def __exit__(self, *exc):
        import shutil

        self.stop()
        shutil.rmtree(self.temp, ignore_errors=True)


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished workers: less noisy than wall time on a busy
    machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _sample_recall(model, data, users, k=20) -> dict:
    """Recall@k of each sampled user (exact protocol) and the mean's 95 % confidence interval."""
    from learnless.recommend.evaluate import _hits

    ids, _ = model._top_unseen(users, k)
    hit, n_rel = _hits(ids, data.test[users])
    recall = hit.sum(axis=1) / n_rel
    half = 1.96 * recall.std(ddof=1) / np.sqrt(recall.size)
    return {"sample_users": int(users.size), "sample_recall@20": float(recall.mean()),
            "sample_ci_low": float(recall.mean() - half), "sample_ci_high": float(recall.mean() + half)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scales", default="1,10")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--backend", default="local", choices=("local", "ray"))
    p.add_argument("--ray-nodes", type=int, default=2, help="single-CPU Ray nodes started on this machine")
    p.add_argument("--ray-port", type=int, default=6391)
    p.add_argument("--ci-sample", type=int, default=20_000, help="test users of the CI sample")
    a = p.parse_args()
    import os
    import signal
    import warnings
    from contextlib import nullcontext

    # a timeout's or a user's SIGTERM unwinds like an exception, so the Ray nodes are stopped on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from _common import save_rows

    from learnless.recommend import GTE, evaluate
    from learnless.runtime import get_executor

    warnings.simplefilter("ignore")
    rows = []
    cluster = RayNodes(a.ray_nodes, a.ray_port) if a.backend == "ray" else None
    with cluster or nullcontext():
        for scale in [float(s) for s in a.scales.split(",")]:
            load_start = os.getloadavg()[0]
            t = time.perf_counter()
            data = synthetic(
                int(BASE["users"] * scale), int(BASE["items"] * scale), int(BASE["interactions"] * scale)
            )
            gen = time.perf_counter() - t
            extra = cluster.pids if cluster else None
            sampler = TreeRSS(extra).__enter__()
            start = time.perf_counter()
            cpu0 = _cpu_seconds() + (_cpu_of(cluster.pids()) if cluster else 0.0)
            model = GTE(k=3).fit(data)
            fit_s = time.perf_counter() - start
            test_users = np.flatnonzero(np.diff(data.test.indptr) > 0)
            rng = np.random.default_rng(0)
            sample = np.sort(rng.choice(test_users, min(a.ci_sample, test_users.size), replace=False))
            t = time.perf_counter()
            ci = _sample_recall(model, data, sample)
            sample_s = time.perf_counter() - t
            t = time.perf_counter()
            if cluster:
                ex = get_executor("ray", None, cluster.address)
                signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # ray.init installed its own
            else:
                ex = get_executor("local", a.workers)
            with ex:
                m = evaluate(model, data, topk=(20,), executor=ex)
            rank_s = time.perf_counter() - t
            seconds = time.perf_counter() - start
            cpu = _cpu_seconds() + (_cpu_of(cluster.pids()) if cluster else 0.0) - cpu0
            sampler.__exit__(None, None, None)
            row = {
                "scale": scale,
                "backend": a.backend if not cluster else f"ray ({a.ray_nodes} local nodes x 1 CPU)",
                "users": data.n_users,
                "items": data.n_items,
                "train": int(data.train.nnz),
                "test": int(data.test.nnz),
                "generate_seconds": gen,
                "fit_seconds": fit_s,
                "sample_seconds": sample_s,
                "rank_seconds": rank_s,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "driver_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "tree_peak_mb": sampler.peak_mb,
                "recall@20": m["recall@20"],
                "ndcg@20": m["ndcg@20"],
                "users_evaluated": m["users_evaluated"],
                "test_users": int(test_users.size),
                "workers": a.workers if not cluster else a.ray_nodes,
                **ci,
                "recall_inside_ci": bool(ci["sample_ci_low"] <= m["recall@20"] <= ci["sample_ci_high"]),
                "load_start": load_start,
                "load_end": os.getloadavg()[0],
            }
            rows.append(row)
            print(row, flush=True)
    import json

    from _common import RESULTS

    previous = RESULTS / "gte_scale.json"
    if previous.exists():  # runs of other scales / backends are kept, so each can be measured separately
        done = {(r["scale"], r.get("backend", "local")) for r in rows}
        kept = [r for r in json.loads(previous.read_text())["results"]
                if (r["scale"], r.get("backend", "local")) not in done]
        rows = sorted(kept + rows, key=lambda r: (r["scale"], r.get("backend", "local")))
    md = [
        ("| graph | backend | users ranked (of test users) | fit + rank: wall (CPU) | driver + workers peak "
         "| Recall@20 | 20k-sample 95 % CI | load (start / end) |"),
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        md.append(
            f"| {r['scale']:g}x gowalla | {r.get('backend', 'local')} | "
            f"{r['users_evaluated']:,} of {r['test_users']:,} | "
            f"{r['seconds']:.1f} s ({r.get('cpu_seconds', float('nan')):.0f} s) | "
            f"{r.get('tree_peak_mb', float('nan')) / 1024:.2f} GB | {r['recall@20']:.4f} | "
            f"{r.get('sample_ci_low', float('nan')):.4f}-{r.get('sample_ci_high', float('nan')):.4f} | "
            f"{r.get('load_start', float('nan')):.1f} / {r.get('load_end', float('nan')):.1f} |"
        )
    save_rows("gte_scale", rows, params={"workers": a.workers, "backend": a.backend}, markdown="\n".join(md))


if __name__ == "__main__":
    main()
