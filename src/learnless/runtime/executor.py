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


def die_with_parent(parent_pid: int) -> None:
    """In a worker process: be killed (SIGKILL) when the parent dies, kill -9 included (Linux
    prctl(PR_SET_PDEATHSIG)); elsewhere a daemon thread polls the parent instead."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # 1 = PR_SET_PDEATHSIG
            if os.getppid() != parent_pid:  # the parent died before the signal was armed
                os._exit(1)
            return
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    import threading
    import time

    def watch():  # pragma: no cover - not Linux
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _init_worker(has_shared, shared, torch_threads, showwarning=None, parent_pid=None):
    """Pool worker start: the death signal is armed first; `shared` arrives pickled (bytes), so its heavy
    imports (torch, ...) happen after that and a parent killed meanwhile still takes the worker with it."""
    global _worker_shared
    if parent_pid is not None:
        die_with_parent(parent_pid)
    if has_shared:
        import pickle

        shared = pickle.loads(shared)
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
            import pickle

            payload = pickle.dumps(shared) if has_shared else None
            init_args = (has_shared, payload, threads, _warning_hook(), os.getpid())
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


def worker_env() -> dict[str, str]:
    """The settings Ray workers need from the driver, for `runtime_env={"env_vars": ...}`: the data directory
    and cache in force here (workers on other nodes do not share this process's environment)."""
    from learnless.data.paths import CACHE_ENV_VAR, ENV_VAR, data_dir

    env = {ENV_VAR: str(data_dir().resolve())}
    for name in (CACHE_ENV_VAR, "LEARNLESS_PROGRESS", "PYTHONPATH"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


def running_cluster() -> str | None:
    """The address of a running Ray cluster to join: $RAY_ADDRESS, else the last `ray start` on this machine
    (Ray's own lookup); None when there is none."""
    try:
        from ray._private.services import canonicalize_bootstrap_address

        return canonicalize_bootstrap_address(None)
    except Exception:  # noqa: BLE001 - no usable address: start a local cluster
        return None


class RayExecutor(Executor):
    """Tasks on a Ray cluster. `address` joins that cluster; without it, a running cluster (RAY_ADDRESS, or
    the last `ray start` here) is joined, else a local one is started with `workers` CPUs (and the custom
    `resources`, e.g. {"latency_worker": 1}). A joined cluster's nodes declare their own CPUs and resources.
    Workers get the driver's data directory and cache settings through the runtime environment."""

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
            runtime_env = {"env_vars": worker_env()}
            join = address or running_cluster()
            if join:
                try:
                    ray.init(address=join, runtime_env=runtime_env, ignore_reinit_error=True,
                             log_to_driver=False)
                except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
                    if address:
                        raise ConfigError(f"--address {address}: cannot join the Ray cluster there "
                                          f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
                                          ) from None
                    join = None  # a stale address of a stopped cluster: start a local one
            if not join:
                ray.init(num_cpus=workers or os.cpu_count(), resources=resources or None,
                         runtime_env=runtime_env, ignore_reinit_error=True, log_to_driver=False,
                         include_dashboard=False)
                self._owns_cluster = True
        self.workers = int(ray.cluster_resources().get("CPU", 1))
        self._remote = ray.remote(_call_flagged)

    def get(self, ref):
        """ray.get, raising a failed task's own exception (its type and message) rather than Ray's wrapper."""
        try:
            return self._ray.get(ref)
        except self._ray.exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None)
            if isinstance(cause, BaseException):
                raise cause from None
            raise

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
                    out[i] = self.get(ref)
                    if on_result is not None:
                        on_result(i, out[i])
                    bar.advance()
        return out

    def close(self):
        if self._ray.is_initialized():
            # a joined cluster goes on running; this driver only disconnects
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
