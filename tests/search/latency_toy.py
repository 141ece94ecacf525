"""A deterministic super-network with a `latency@cpu` metric that logs where each evaluation ran (process,
allowed cores, Ray worker and assigned resources), for the pinned-latency executor tests."""

import json
import math
import os
import time
import uuid
from pathlib import Path


class LatencyToy:
    """depth in {1..4}; a_i in {1, 2, 3}, unused when i >= depth. `latency@cpu` is a pure function of the
    config (so runs are comparable across backends) computed after a short sleep (so overlaps show)."""

    def __init__(self, log_dir=None, sleep: float = 0.02):
        self.log_dir, self.sleep = log_dir, sleep

    def space(self):
        return {"depth": [1, 2, 3, 4], **{f"a_{i}": [1, 2, 3] for i in range(4)}}

    def inactive(self, config):
        return {f"a_{i}" for i in range(config["depth"], 4)}

    def metrics(self):
        return ["score", "cost", "latency@cpu"]

    def evaluate(self, config, metrics):
        start = time.time()
        active = [config[f"a_{i}"] for i in range(config["depth"])]
        out = {}
        if "score" in metrics or "cost" in metrics:
            out["score"] = math.log1p(sum(active)) + 0.1 * config["depth"]
            out["cost"] = float(sum(a * a for a in active))
        if "latency@cpu" in metrics:
            time.sleep(self.sleep)
            out["latency@cpu"] = 1.0 + 0.25 * sum(active) + 0.5 * config["depth"]
        self._log(config, metrics, start)
        return out

    def _log(self, config, metrics, start):
        if self.log_dir is None:
            return
        where = {"pid": os.getpid(), "cores": sorted(os.sched_getaffinity(0))}
        try:
            import ray

            if ray.is_initialized():
                ctx = ray.get_runtime_context()
                where.update(worker=ctx.get_worker_id(), node=ctx.get_node_id(),
                             resources=ctx.get_assigned_resources())
        except ImportError:
            pass
        rec = {"config": config, "metrics": list(metrics), "start": start, "end": time.time(), **where}
        Path(self.log_dir).mkdir(parents=True, exist_ok=True)
        Path(self.log_dir, f"{uuid.uuid4().hex}.json").write_text(json.dumps(rec))


def read_log(log_dir) -> list[dict]:
    return [json.loads(p.read_text()) for p in Path(log_dir).glob("*.json")]


def factory():
    return LatencyToy()
