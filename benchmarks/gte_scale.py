"""GTE at scale: a synthetic graph of gowalla's size (50k users x 57k items, 1.2M interactions) and one 10x
larger, fit + exact evaluation (each ranked user against every item) on the local executor. Full ranking costs
n_users x n_items, so at most --sample-users random test users are ranked (all of them at 1x).

    python benchmarks/gte_scale.py [--scales 1,10] [--workers 2]

Target: the 1x graph in under 60 s and 2 GB on 2 cores. CPU seconds (driver + workers) are reported beside
wall time because on a shared machine the wall time mostly measures the other jobs. Memory is reported for
the driver process (ru_maxrss)
and for driver + workers together (summed RSS of the process tree, sampled every 0.2 s).
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
    """Samples the summed RSS of this process and its descendants every 0.2 s (ru_maxrss of children is not
    usable here: spawned workers are forked from the driver first, so they inherit its high-water mark)."""

    def __init__(self):
        import threading

        self.peak_mb = 0.0
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
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(os.getpid()))
            self._stop.wait(0.2)


def _tree_rss_mb(root: int) -> float:
    children: dict[int, list[int]] = {}
    rss: dict[int, float] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(d.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished workers: less noisy than wall time on a busy
    machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scales", default="1,10")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--sample-users",
        type=int,
        default=50_000,
        help="rank at most this many random test users (full ranking costs n_users x n_items)",
    )
    a = p.parse_args()
    import warnings

    from _common import save_rows

    from learnless.recommend import GTE, evaluate
    from learnless.runtime import get_executor

    warnings.simplefilter("ignore")
    rows = []
    for scale in [float(s) for s in a.scales.split(",")]:
        t = time.perf_counter()
        data = synthetic(
            int(BASE["users"] * scale), int(BASE["items"] * scale), int(BASE["interactions"] * scale)
        )
        gen = time.perf_counter() - t
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        cpu0 = _cpu_seconds()
        sampler = TreeRSS().__enter__()
        model = GTE(k=3).fit(data)
        test_users = np.flatnonzero(np.diff(data.test.indptr) > 0)
        rng = np.random.default_rng(0)
        sample = (
            test_users
            if test_users.size <= a.sample_users
            else rng.choice(test_users, a.sample_users, replace=False)
        )
        with get_executor("local", a.workers) as ex:
            m = evaluate(model, data, topk=(20,), executor=ex, users=sample)
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu0
        sampler.__exit__(None, None, None)
        driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        row = {
            "scale": scale,
            "users": data.n_users,
            "items": data.n_items,
            "train": int(data.train.nnz),
            "test": int(data.test.nnz),
            "generate_seconds": gen,
            "seconds": seconds,
            "cpu_seconds": cpu,
            "driver_peak_mb": driver,
            "driver_peak_before_mb": rss_before,
            "ru_maxrss_children_mb": worker,
            "recall@20": m["recall@20"],
            "ndcg@20": m["ndcg@20"],
            "users_evaluated": m["users_evaluated"],
            "workers": a.workers,
            "test_users": int(test_users.size),
            "tree_peak_mb": sampler.peak_mb,
        }
        rows.append(row)
        print(row, flush=True)
    import json

    from _common import RESULTS

    previous = RESULTS / "gte_scale.json"
    if previous.exists():  # runs of other scales are kept, so 1x and 10x can be measured separately
        done = {r["scale"] for r in rows}
        rows = [r for r in json.loads(previous.read_text())["results"] if r["scale"] not in done] + rows
        rows.sort(key=lambda r: r["scale"])
    md = [
        (
            "| graph | users x items | train / test | users ranked (of test users) | fit + evaluate: wall "
            "(CPU) | driver peak | "
            "driver + workers peak (sampled) | Recall@20 |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        md.append(
            f"| {r['scale']:g}x gowalla | {r['users']:,} x {r['items']:,} | {r['train']:,} / {r['test']:,} | "
            f"{r['users_evaluated']:,} of {r['test_users']:,} | "
            f"{r['seconds']:.1f} s ({r.get('cpu_seconds', float('nan')):.0f} s) | "
            f"{r['driver_peak_mb'] / 1024:.2f} GB | "
            f"{r.get('tree_peak_mb', float('nan')) / 1024:.2f} GB | {r['recall@20']:.4f} |"
        )
    save_rows("gte_scale", rows, params={"workers": a.workers}, markdown="\n".join(md))


if __name__ == "__main__":
    main()
