"""Executors: one small interface for embarrassingly parallel work (scoring user blocks, evaluating candidate
sub-networks, sweeps over seeds and sizes), with a local process pool and a Ray implementation.

    with get_executor("local", workers=2) as ex:
        results = ex.map(score_block, blocks, shared=model_state)

`fn` must be a module-level function (it is pickled). With `shared`, it is called as `fn(item, shared)` and
the shared object is shipped once per worker (pool initializer / Ray object store), not once per item.
Results come back in the order of `items`.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from typing import Any

from learnless.errors import ConfigError
from learnless.runtime.progress import track

BACKENDS = ("local", "ray")
_NO_SHARED = object()
_worker_shared: Any = _NO_SHARED


class Executor(ABC):
    """Maps a function over items, possibly in parallel. Use as a context manager to release workers."""

    workers: int

    @abstractmethod
    def map(self, fn: Callable, items: Iterable, shared: Any = _NO_SHARED, description: str | None = None,
            on_result: Callable[[int, Any], None] | None = None) -> list:
        """[fn(item) or fn(item, shared) for item in items], in order.

        `on_result(index, result)` is called in this process as each item finishes (in completion order), so a
        caller can journal results durably before the whole map returns."""

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _call(fn, item, shared):
    return fn(item) if shared is _NO_SHARED else fn(item, shared)


def _call_flagged(fn, item, has_shared, shared):
    # The sentinel does not survive pickling into another process, so workers get an explicit flag.
    return fn(item, shared) if has_shared else fn(item)


def _init_worker(has_shared, shared, torch_threads, showwarning=None):
    global _worker_shared
    _worker_shared = shared if has_shared else _NO_SHARED
    if showwarning is not None:  # the CLI's one-line `warning:` format, in the workers too
        import warnings

        warnings.showwarning = showwarning
    try:
        import torch

        torch.set_num_threads(torch_threads)  # workers x threads must not oversubscribe the cores
    except ImportError:  # pragma: no cover
        pass


def _warning_hook():
    """The parent's `warnings.showwarning` when learnless installed it (the CLI entry point), else None."""
    import warnings

    hook = warnings.showwarning
    return hook if getattr(hook, "__module__", "").startswith("learnless.") else None


def _run_in_worker(fn, item):
    return _call(fn, item, _worker_shared)


class LocalExecutor(Executor):
    """A process pool on this machine. workers=1 runs everything
    in this process (no pickling, easy to debug)."""

    def __init__(self, workers: int | None = None):
        workers = (os.cpu_count() or 1) if workers is None else workers
        if workers < 1:
            raise ConfigError(f"workers must be >= 1, got {workers}")
        self.workers = workers

    def map(self, fn, items, shared=_NO_SHARED, description=None, on_result=None):
        items = list(items)
        with track(description or getattr(fn, "__name__", "working"), total=len(items)) as bar:
            if self.workers == 1 or len(items) <= 1:
                out = []
                for i, item in enumerate(items):
                    out.append(_call(fn, item, shared))
                    if on_result is not None:
                        on_result(i, out[-1])
                    bar.advance()
                return out
            threads = max(1, (os.cpu_count() or 1) // self.workers)
            # spawn, not fork: forking a process that already runs torch/OpenMP threads can deadlock.
            has_shared = shared is not _NO_SHARED
            init_args = (has_shared, shared if has_shared else None, threads, _warning_hook())
            with ProcessPoolExecutor(max_workers=min(self.workers, len(items)),
                                     mp_context=get_context("spawn"),
                                     initializer=_init_worker, initargs=init_args) as pool:
                futures = {pool.submit(_run_in_worker, fn, item): i for i, item in enumerate(items)}
                out = [None] * len(items)
                for fut in as_completed(futures):
                    i = futures[fut]
                    out[i] = fut.result()
                    if on_result is not None:
                        on_result(i, out[i])
                    bar.advance()
                return out


class RayExecutor(Executor):
    """Tasks on a Ray cluster: `address=None` starts a local one with `workers` CPUs (and the custom
    `resources`, e.g. {"latency_worker": 1}), else connects to it (its nodes declare their own resources)."""

    def __init__(self, workers: int | None = None, address: str | None = None,
                 resources: dict[str, float] | None = None):
        try:
            import ray
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ConfigError("backend 'ray' needs Ray: pip install 'learnless[ray]'") from exc
        self._ray = ray
        self._owns_cluster = False
        if not ray.is_initialized():
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")
            if address:
                ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
            else:
                ray.init(num_cpus=workers or os.cpu_count(), resources=resources or None,
                         ignore_reinit_error=True, log_to_driver=False, include_dashboard=False)
                self._owns_cluster = True
        self.workers = int(ray.cluster_resources().get("CPU", 1))
        self._remote = ray.remote(_call_flagged)

    def map(self, fn, items, shared=_NO_SHARED, description=None, on_result=None):
        ray = self._ray
        items = list(items)
        has_shared = shared is not _NO_SHARED
        shared_ref = ray.put(shared) if has_shared else None
        refs = [self._remote.remote(fn, item, has_shared, shared_ref) for item in items]
        index = {ref: i for i, ref in enumerate(refs)}
        out = [None] * len(items)
        pending = list(refs)
        with track(description or getattr(fn, "__name__", "working"), total=len(items)) as bar:
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                for ref in done:
                    i = index[ref]
                    out[i] = ray.get(ref)
                    if on_result is not None:
                        on_result(i, out[i])
                    bar.advance()
        return out

    def close(self):
        if self._owns_cluster and self._ray.is_initialized():
            self._ray.shutdown()


def get_executor(backend: str = "local", workers: int | None = None, address: str | None = None) -> Executor:
    """The executor for `--backend local|ray [--address ...]`."""
    if backend == "local":
        if address:
            raise ConfigError("--address is only meaningful with --backend ray")
        return LocalExecutor(workers)
    if backend == "ray":
        return RayExecutor(workers, address)
    raise ConfigError(f"backend: unknown {backend!r}; expected one of {', '.join(BACKENDS)}")
