"""Parallel validation with the latency measurement pinned to one dedicated worker.

A search validates items `(config, metrics)`. Metrics measured on this hardware (`latency@cpu`) must not be
timed on a core that other evaluations load, while everything else (surrogate accuracy, MACs, predicted GPU
latency) may run on any worker. `PinnedLatencyExecutor` splits each item in two: the measured metrics go to
one dedicated worker that runs one measurement at a time, the rest to the general pool; the two halves of a
candidate are merged when both are back, and `on_result` (the search's `tell`, which journals) is called as
each candidate completes, in completion order.

The pinned worker itself (local: a process pinned to the last core; Ray: an actor on the node offering the
`latency_worker` resource) is `learnless.runtime.pinned.PinnedExecutor`; this module says which metrics it
measures and how a candidate's halves merge.

Results are identical to a serial run: the search adds a batch to its history in proposal order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from learnless.runtime.pinned import LATENCY_RESOURCE, PinnedExecutor

__all__ = [
    "LATENCY_RESOURCE",
    "PinnedLatencyExecutor",
    "is_measured",
    "measured_rule",
    "merge",
    "search_executor",
    "split",
]


def is_measured(metric: str) -> bool:
    """The default rule for metrics timed on the host (predicted latencies such as `latency@v100` are not),
    for super-networks that do not declare `measured_metrics()`."""
    return metric == "latency" or metric.startswith("latency@cpu")


def measured_rule(net) -> Callable[[str], bool]:
    """Which metrics of `net` go to the dedicated worker: the names its optional `measured_metrics()`
    declares, else `is_measured`."""
    declared = getattr(net, "measured_metrics", None)
    if not callable(declared):
        return is_measured
    names = frozenset(declared())
    return names.__contains__


def split(item, measured: Callable[[str], bool] = is_measured) -> tuple[Any, Any]:
    """(general part, measured part) of one `(config, metrics)` item; None for an empty part. Items of
    another shape are general."""
    if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], list | tuple)):
        return item, None
    config, metrics = item
    lat = [m for m in metrics if measured(m)]
    rest = [m for m in metrics if not measured(m)]
    return ((config, rest) if rest else None), ((config, lat) if lat else None)


def merge(general, latency, measured_names=()) -> Any:
    """One validation record from its two halves: failed if either failed; else the general metrics with
    the measured ones taken from the dedicated worker."""
    parts = [p for p in (general, latency) if p is not None]
    if len(parts) == 1:
        return parts[0]
    for p in parts:
        if not (isinstance(p, Mapping) and p.get("status") == "ok"):
            return p
    metrics = {**latency["metrics"], **general["metrics"]}
    metrics.update({m: latency["metrics"][m] for m in measured_names if m in latency["metrics"]})
    return {"status": "ok", "metrics": metrics}


class PinnedLatencyExecutor(PinnedExecutor):
    """See the module docstring. `measured` says which metric names go to the dedicated worker; by default,
    `measured_rule` of the super-network passed as `shared`."""

    def __init__(self, backend: str = "local", workers: int | None = None, address: str | None = None,
                 measured: Callable[[str], bool] | None = None):
        super().__init__(backend, workers, address, merge=_merge_parts)
        self.measured = measured

    def split_for(self, shared):
        measured = self.measured or measured_rule(shared)
        return lambda item: split(item, measured)


def _merge_parts(general, latency, latency_part):
    return merge(general, latency, latency_part[1] if latency_part is not None else ())


def search_executor(backend: str = "local", workers: int | None = None, address: str | None = None):
    """The executor `learnless search run --backend ... --workers ... --address ...` validates with."""
    return PinnedLatencyExecutor(backend, workers, address)
