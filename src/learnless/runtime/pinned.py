"""An executor with one pinned worker: each item is split in two, one half for a dedicated worker that runs
one call at a time on a core (or Ray node) of its own, the other for the general pool; the halves are merged
when both are back, and `on_result` is called as each item completes, in completion order. What goes where
is the caller's: `PinnedExecutor(split=..., merge=...)` (the search uses it to time latencies undisturbed:
`learnless.search.parallel.PinnedLatencyExecutor`).

- `backend="ray"`: the dedicated worker is one Ray actor that needs the custom resource `latency_worker`
  (one unit) and one CPU for its lifetime, so no other Ray task shares its CPU; general calls are Ray tasks
  of one CPU. A local cluster is started with `resources={"latency_worker": 1}`; on a cluster, start the
  dedicated node with `ray start --address=HEAD --num-cpus=1 --resources='{"latency_worker": 1}'` (one CPU:
  the actor holds it, so nothing else runs there) and no other node with that resource.
- `backend="local"`: two process pools, the dedicated one of a single process pinned (sched_setaffinity) to
  the last allowed core, the general one of `workers - 1` processes pinned to the other cores. `workers=1`
  runs everything in this process, as `LocalExecutor(1)` does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from typing import Any

from learnless.errors import ConfigError
from learnless.runtime.executor import _NO_SHARED, Executor, LocalExecutor, RayExecutor, _call
from learnless.runtime.progress import track

LATENCY_RESOURCE = "latency_worker"  # the Ray resource of the dedicated node (its name is what users start)

Split = Callable[[Any], tuple[Any, Any]]
Merge = Callable[[Any, Any, Any], Any]


def _whole(item) -> tuple[Any, Any]:
    return item, None


def _first(general, pinned, pinned_part):
    return general if general is not None else pinned


class PinnedExecutor(Executor):
    """See the module docstring. split(item) -> (general part, pinned part), None for an empty part;
    merge(general result, pinned result, pinned part) -> the item's result (a part that was None gives
    None). Subclasses may choose the split per map from the shared object (`split_for`)."""

    def __init__(self, backend: str = "local", workers: int | None = None, address: str | None = None,
                 split: Split = _whole, merge: Merge = _first):
        if backend not in ("local", "ray"):
            raise ConfigError(f"backend: unknown {backend!r}; expected one of local, ray")
        if backend == "local" and address:
            raise ConfigError("--address is only meaningful with --backend ray")
        self.backend, self.split, self.merge = backend, split, merge
        self._impl = _RayPinned(workers, address) if backend == "ray" else _LocalPinned(workers)
        self.workers = self._impl.workers

    def split_for(self, shared) -> Split:
        return self.split

    def map(self, fn, items, shared=_NO_SHARED, description=None, on_result=None):
        items = list(items)
        split = self.split_for(None if shared is _NO_SHARED else shared)
        parts = [split(item) for item in items]
        with track(description or getattr(fn, "__name__", "working"), total=len(items)) as bar:
            joiner = _Joiner(parts, self.merge, on_result, bar)
            self._impl.run(fn, parts, shared, joiner)
        return joiner.out

    def close(self) -> None:
        self._impl.close()


def _failed(exc: BaseException) -> dict:
    return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"[:300]}


class _Joiner:
    """Collects the halves of each item; calls on_result(i, merged) when item i is complete."""

    def __init__(self, parts: list[tuple[Any, Any]], merge: Merge, on_result, bar):
        self.parts, self.merge, self.on_result, self.bar = parts, merge, on_result, bar
        self.got: dict[int, dict[str, Any]] = {}
        self.out: list[Any] = [None] * len(parts)

    def take(self, i: int, kind: str, value: Any) -> None:
        got = self.got.setdefault(i, {})
        got[kind] = value
        general, latency = self.parts[i]
        if (general is None or "general" in got) and (latency is None or "latency" in got):
            self.out[i] = self.merge(got.get("general"), got.get("latency"), latency)
            if self.on_result is not None:
                self.on_result(i, self.out[i])
            self.bar.advance()


# local ---------------------------------------------------------------------------------------------------
_worker_state: dict[str, Any] = {}


def _init_pinned(shared, has_shared, cores, torch_threads):
    if cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cores)
    _worker_state["shared"] = shared if has_shared else _NO_SHARED
    try:
        import torch

        torch.set_num_threads(torch_threads)
    except ImportError:  # pragma: no cover
        pass


def _run_pinned(fn, item):
    return _call(fn, item, _worker_state["shared"])


def _where(item):
    """(pid, allowed cores) of the worker that runs this: for tests and diagnostics."""
    return os.getpid(), sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


class _LocalPinned:
    def __init__(self, workers):
        self.workers = LocalExecutor(workers).workers  # same default and check
        self._pools: tuple | None = None
        self._shared_id = None

    def _cores(self):
        cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        if len(cores) < 2:
            return None, None
        return {cores[-1]}, set(cores[:-1])

    def pools(self, shared):
        """Pools live as long as the executor (workers keep their warm state: fitted surrogates, torch),
        rebuilt only when another shared object is given."""
        if self._pools is not None and self._shared_id == id(shared):
            return self._pools
        self.close()
        lat_cores, gen_cores = self._cores()
        has = shared is not _NO_SHARED
        arg = shared if has else None
        n_gen = max(1, self.workers - 1)
        threads = max(1, len(gen_cores or [0]) // n_gen)
        ctx = get_context("spawn")  # not fork: torch/OpenMP threads in this process
        general = ProcessPoolExecutor(n_gen, mp_context=ctx, initializer=_init_pinned,
                                      initargs=(arg, has, gen_cores, threads))
        latency = ProcessPoolExecutor(1, mp_context=ctx, initializer=_init_pinned,
                                      initargs=(arg, has, lat_cores, 1))
        self._pools, self._shared_id = (general, latency), id(shared)
        return self._pools

    def run(self, fn, parts, shared, joiner):
        if self.workers == 1:
            for i, (g, lat) in enumerate(parts):
                for kind, part in (("general", g), ("latency", lat)):
                    if part is not None:
                        joiner.take(i, kind, _call(fn, part, shared))
            return
        general, latency = self.pools(shared)
        futures = {}
        for i, (g, lat) in enumerate(parts):
            if g is not None:
                futures[general.submit(_run_pinned, fn, g)] = (i, "general")
            if lat is not None:
                futures[latency.submit(_run_pinned, fn, lat)] = (i, "latency")
        for fut in as_completed(futures):
            i, kind = futures[fut]
            joiner.take(i, kind, fut.result())

    def close(self):
        if self._pools is not None:
            for pool in self._pools:
                pool.shutdown()
            self._pools = None


# ray -----------------------------------------------------------------------------------------------------
class _LatencyActor:
    """The dedicated measuring worker: one process, one call at a time."""

    def __init__(self):
        self._shared: dict[str, Any] = {}

    def run(self, fn, item, has_shared, boxed, token):
        if not has_shared:
            return fn(item)
        if token not in self._shared:  # the shared object is fetched and unpickled once per map
            import ray

            self._shared = {token: ray.get(boxed[0])}
        return fn(item, self._shared[token])


class _RayPinned:
    def __init__(self, workers, address):
        self.base = RayExecutor(workers, address, resources={LATENCY_RESOURCE: 1})
        self.ray, self.workers = self.base._ray, self.base.workers
        self._actor = None
        self._token = 0

    def actor(self):
        if self._actor is None:
            have = self.ray.cluster_resources().get(LATENCY_RESOURCE, 0)
            if have < 1:
                spec = json.dumps({LATENCY_RESOURCE: 1})
                raise ConfigError(
                    f"--backend ray: no node offers the resource {LATENCY_RESOURCE!r} that pins latency "
                    f"measurement; start one with: ray start --num-cpus=1 --resources='{spec}'"
                )
            remote = self.ray.remote(num_cpus=1, resources={LATENCY_RESOURCE: 1}, max_concurrency=1)
            self._actor = remote(_LatencyActor).remote()
        return self._actor

    def run(self, fn, parts, shared, joiner):
        ray = self.ray
        has = shared is not _NO_SHARED
        ref = ray.put(shared) if has else None
        self._token += 1
        general = self.base._remote.options(num_cpus=1)
        where = {}
        for i, (g, lat) in enumerate(parts):
            if g is not None:
                where[general.remote(fn, g, has, ref)] = (i, "general")
            if lat is not None:
                # boxed in a list: Ray passes a nested ref unresolved, so the actor resolves it only once
                where[self.actor().run.remote(fn, lat, has, [ref], self._token)] = (i, "latency")
        pending = list(where)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for r in done:
                i, kind = where[r]
                try:
                    value = ray.get(r)
                except Exception as exc:  # noqa: BLE001 - a dead worker fails its candidates, not the search
                    value = _failed(exc)
                joiner.take(i, kind, value)

    def close(self):
        if self._actor is not None:
            self.ray.kill(self._actor)
            self._actor = None
        self.base.close()
