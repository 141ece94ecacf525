"""Hardware measurement: MACs and parameters by `torch.utils.flop_counter`, CPU latency as the median of timed
forward passes after warm-up, with the interquartile range and a warning when the timings scatter; and
`LatencyCache`, a super-network wrapper that measures each sub-network's latency once and keeps it on disk."""

from __future__ import annotations

import os
import time
import warnings

from learnless.errors import ConfigError


def count_macs_params(module, input_shape) -> tuple[int, int]:
    """(multiply-accumulates, parameters) of one forward pass of `module` on a zero tensor of `input_shape`.

    FlopCounterMode counts a multiply and an add per MAC for convolutions and matrix products, so MACs are
    half its FLOPs; element-wise work (activations, batch norm, SE's product) is not counted, as in the usual
    MAC convention."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    module.eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        module(torch.zeros(*input_shape))
    return counter.get_total_flops() // 2, sum(p.numel() for p in module.parameters())


CLOCKS = ("wall", "thread")


def _timer(clock: str, threads: int):
    """A nanosecond clock for one forward pass. `thread` is the calling thread's CPU time: with one torch
    thread every kernel runs in that thread, so time spent preempted by other processes is not counted and
    a loaded machine still gives the pass's own cost. With more threads it would miss the other threads'
    work, so it is refused there; `wall` is the elapsed time (what a user waits, load included)."""
    if clock not in CLOCKS:
        raise ConfigError(f"--clock: must be one of {', '.join(CLOCKS)}, got {clock!r}")
    if clock == "thread":
        if int(threads) != 1:
            raise ConfigError(f"--clock thread: measures one thread's CPU time; threads must be 1, "
                              f"got {threads}")
        return time.thread_time_ns
    return time.perf_counter_ns


def measure_latency(
    module, input_shape, *, repeats: int = 20, warmup: int = 5, threads: int = 1, cv_warning: float = 0.10,
    clock: str = "wall",
) -> dict:
    """Median latency (ms) of `repeats` timed forward passes after `warmup` untimed ones, with `threads` torch
    threads, at the batch size `input_shape[0]`, on `clock` (see `_timer`); also the quartiles, the IQR, the
    coefficient of variation (std / mean; a RuntimeWarning when it exceeds `cv_warning`) and the 1-minute load
    average at the end."""
    import numpy as np
    import torch

    if int(repeats) < 2:
        raise ConfigError(f"latency repeats: must be >= 2 (a spread needs two timings), got {repeats}")
    if int(warmup) < 0:
        raise ConfigError(f"latency warm-up: must be >= 0, got {warmup}")
    if int(threads) < 1:
        raise ConfigError(f"latency threads: must be >= 1, got {threads}")
    now = _timer(clock, threads)
    old = torch.get_num_threads()
    torch.set_num_threads(int(threads))
    try:
        module.eval()
        x = torch.randn(*input_shape)
        with torch.inference_mode():
            for _ in range(int(warmup)):
                module(x)
            times = []
            for _ in range(int(repeats)):
                t0 = now()
                module(x)
                times.append((now() - t0) / 1e6)
    finally:
        torch.set_num_threads(old)
    t = np.asarray(times)
    q1, med, q3 = np.percentile(t, [25, 50, 75])
    cv = float(t.std() / t.mean()) if t.mean() > 0 else 0.0
    if cv > cv_warning:
        warnings.warn(
            f"latency timings scatter (CV {cv:.0%} > {cv_warning:.0%}; median {med:.2f} ms, IQR "
            f"{q3 - q1:.2f} ms): the machine is probably loaded",
            RuntimeWarning,
            stacklevel=2,
        )
    return {
        "median_ms": float(med),
        "q1_ms": float(q1),
        "q3_ms": float(q3),
        "iqr_ms": float(q3 - q1),
        "mean_ms": float(t.mean()),
        "cv": cv,
        "repeats": int(repeats),
        "warmup": int(warmup),
        "threads": int(threads),
        "clock": clock,
        "batch": int(input_shape[0]),
        "load_1min": float(os.getloadavg()[0]) if hasattr(os, "getloadavg") else None,
    }


def measure_relative_latency(module, input_shape, reference, reference_shape, *, repeats: int, warmup: int,
                             clock: str = "thread") -> dict:
    """`module`'s latency relative to `reference`'s, one thread: `repeats` timed passes of each, alternately
    (a reference pass, then a pass of `module`), and the statistics of the per-pair ratios.

    Pairing adjacent passes cancels what moves both: on a shared host a single pass's time drifts by several
    per cent within seconds (frequency, a neighbour's memory traffic), as much as many sub-networks differ,
    and the ratio to a pass taken a moment earlier does not see that drift."""
    import numpy as np
    import torch

    if int(repeats) < 2:
        raise ConfigError(f"latency repeats: must be >= 2 (a spread needs two timings), got {repeats}")
    now = _timer(clock, 1)
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        module.eval()
        reference.eval()
        x, xr = torch.randn(*input_shape), torch.randn(*reference_shape)
        mine, ref = [], []
        with torch.inference_mode():
            for _ in range(int(warmup)):
                reference(xr)
                module(x)
            for _ in range(int(repeats)):
                t0 = now()
                reference(xr)
                t1 = now()
                module(x)
                t2 = now()
                ref.append(t1 - t0)
                mine.append(t2 - t1)
    finally:
        torch.set_num_threads(old)
    ratio = np.asarray(mine, float) / np.maximum(np.asarray(ref, float), 1.0)
    q1, med, q3 = np.percentile(ratio, [25, 50, 75])
    return {"ratio": float(med), "ratio_q1": float(q1), "ratio_q3": float(q3),
            "ratio_cv": float(ratio.std() / ratio.mean()) if ratio.mean() > 0 else 0.0,
            "reference_ms": float(np.median(ref)) / 1e6, "median_ms": float(np.median(mine)) / 1e6}


class LatencyCache:
    """A super-network whose `metric` (default `latency@cpu`) is measured once per sub-network: the built
    module (`net.build(config)`) is timed by `measure_latency` and the whole measurement (median, IQR, CV,
    load) is journaled under the canonical config, so configs equal up to inactive slots share it, and other
    searches (tactics, seeds, reruns) reading the same file measure nothing twice. A latency is a property of
    the sub-network and the machine, not of the search that met it.

    Every other metric, and every protocol method, is the wrapped super-network's. The journal is appended
    by this process: use it with an in-process executor (one process writes the file)."""

    def __init__(self, net, path, *, input_shape, metric: str = "latency@cpu", repeats: int = 20,
                 warmup: int = 5, threads: int = 1):
        from learnless.runtime import Journal
        from learnless.search.protocol import load_supernet, space_of

        self.net = load_supernet(net)
        if not callable(getattr(self.net, "build", None)):
            raise ConfigError(f"LatencyCache: {type(self.net).__name__} has no build(config) -> module")
        self._space = space_of(self.net)
        self.metric, self.input_shape = metric, tuple(input_shape)
        self.options = {"repeats": int(repeats), "warmup": int(warmup), "threads": int(threads)}
        self.journal = Journal(path)
        self.hits = self.misses = 0

    def __getattr__(self, name):  # space(), inactive(), features(), metrics() ... of the wrapped net
        if name == "net":
            raise AttributeError(name)
        return getattr(self.net, name)

    def key(self, config) -> str:
        return self._space.key(self._space.to_vector(config))

    def measurement(self, config) -> dict:
        """The journaled measurement of `config`'s sub-network, measured now if it is not there yet."""
        key = self.key(config)
        if key in self.journal:
            self.hits += 1
            return self.journal[key]
        self.misses += 1
        with warnings.catch_warnings(record=True) as caught:  # the CV is recorded; no warning per candidate
            warnings.simplefilter("always")
            m = measure_latency(self.net.build(dict(config)), self.input_shape, **self.options)
        m["warned"] = any(issubclass(w.category, RuntimeWarning) for w in caught)
        self.journal.append(key, m)
        return m

    def measurements(self) -> list[dict]:
        return [v for _, v in self.journal.items()]

    def evaluate(self, config, metrics):
        return self.evaluate_batch([config], metrics)[0]

    def evaluate_batch(self, configs, metrics):
        rest = [m for m in metrics if m != self.metric]
        if not rest:
            out = [{} for _ in configs]
        elif callable(getattr(self.net, "evaluate_batch", None)):
            out = [dict(o) for o in self.net.evaluate_batch(list(configs), rest)]
        else:
            out = [dict(self.net.evaluate(dict(c), rest)) for c in configs]
        if self.metric in metrics:
            for o, c in zip(out, configs):
                o[self.metric] = self.measurement(c)["median_ms"]
        return out
