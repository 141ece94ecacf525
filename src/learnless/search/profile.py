"""Device profiling: a latency table of sampled sub-networks measured on this host, and a latency predictor
fitted on it, for searches that should not time every candidate (`search run --latency-table FILE`).

`profile(net, samples)` builds `samples` distinct random sub-networks (`net.build(config)`) and times each
with `hardware.measure_relative_latency` while this process is pinned to one core, one thread: its timed
passes alternate with passes of a reference sub-network (the first choice of every parameter), and its latency
is the median ratio to the reference's pass just before, times the reference's median. On a shared host a
single pass's time drifts by several per cent within seconds (frequency, a neighbour's memory traffic), as
much as many sub-networks differ from their neighbours; the adjacent reference pass drifts with it, and the
ratio does not. A fast sub-network gets more timed passes (about 0.1 s of timed work each, up to 20 x
`repeats`). Every sub-network is measured in `rounds` separate rounds over the whole sample (3 by default),
one whose rounds disagree by more than 5 % in up to `rounds` more, and its latency is the median of its
rounds: each round builds it afresh, and a burst of load is outvoted. The default clock is the timing thread's
CPU time, so that other processes sharing the core do not inflate the timings (`clock="wall"` gives the
elapsed time instead). Each row also records the sub-network's structure (MACs, parameters, convolution /
linear layers and their MACs by kind), the features of nn-Meter- and HELP-style latency predictors.
`fit_predictor` fits learnless's `AutoPredictor` on log latency over the masked one-hot features, the
structure and both together (plus the super-network's own views): the held-out Kendall tau and MAPE are
measured on a seeded 20 % of the table, then the predictor is refit on all rows.

The table is a JSON document (the measurements, the space's signature, the settings, the held-out scores);
the predictor is refit from it when it is read — deterministic, and nothing executable is stored.
`TableLatency(net, table)` is the super-network whose `latency@cpu` comes from the table (measured rows) or
the predictor (every other sub-network).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import warnings
from pathlib import Path

import numpy as np

from learnless.errors import ConfigError, DataError

FORMAT = "learnless-latency-table/1"
METRIC = "latency@cpu"


def check_profilable(net) -> None:
    if not (callable(getattr(net, "latency_input_shape", None)) and callable(getattr(net, "build", None))):
        raise ConfigError(
            f"profile: the super-network {type(net).__name__} needs build(config) and "
            "latency_input_shape(config) to be timed on this host"
        )


def latency_shape(net, config: dict) -> tuple:
    """The input a sub-network is timed on: the super-network's `latency_input_shape(config)`."""
    check_profilable(net)
    return tuple(int(v) for v in net.latency_input_shape(dict(config)))


def space_signature(space) -> str:
    return hashlib.sha256(space.signature().encode()).hexdigest()[:16]


def sample_configs(space, n: int, seed: int) -> np.ndarray:
    """`n` distinct canonical index vectors (fewer when the space has fewer sub-networks)."""
    rng = np.random.default_rng(seed)
    seen, out = set(), []
    for _ in range(200):
        for x in space.canonical(space.sample(max(n, 16), rng)):
            k = space.key(x)
            if k not in seen:
                seen.add(k)
                out.append(x)
                if len(out) == n:
                    return np.array(out)
    return np.array(out).reshape(-1, len(space))


@contextlib.contextmanager
def one_torch_thread():
    """One torch thread for the whole loop (building, counting, timing): on a single pinned core, more
    OpenMP threads only wait on each other."""
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


@contextlib.contextmanager
def pinned(core: int | None):
    """This process on one core while timing (restored after); `core` None: the last allowed one."""
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    allowed = sorted(os.sched_getaffinity(0))
    chosen = allowed[-1] if core is None else int(core)
    if chosen not in allowed:
        raise ConfigError(f"--core: {core} is not one of this process's cores {allowed}")
    os.sched_setaffinity(0, {chosen})
    try:
        yield chosen
    finally:
        os.sched_setaffinity(0, allowed)


STRUCTURE = ("macs", "params", "layers", "conv_macs", "linear_macs")


def structure(module, input_shape) -> dict:
    """MACs, parameters, and the convolution / linear layers with their MACs, of one built sub-network,
    counted by forward hooks on one untimed pass (a convolution: output elements x input channels per group
    x kernel area; a linear layer: output elements x input features). Hooks keep this pass as cheap as a
    plain forward, unlike a dispatch-level FLOP counter."""
    import math

    import torch

    counts = {"layers": 0, "conv_macs": 0, "linear_macs": 0}

    def conv(mod, _, out):
        counts["layers"] += 1
        counts["conv_macs"] += out.numel() * (mod.in_channels // mod.groups) * math.prod(mod.kernel_size)

    def linear(mod, _, out):
        counts["layers"] += 1
        counts["linear_macs"] += out.numel() * mod.in_features

    hooks = [m.register_forward_hook(conv if isinstance(m, torch.nn.modules.conv._ConvNd) else linear)
             for m in module.modules() if isinstance(m, (torch.nn.modules.conv._ConvNd, torch.nn.Linear))]
    try:
        with torch.inference_mode():
            module.eval()(torch.zeros(*input_shape))
    finally:
        for h in hooks:
            h.remove()
    return {"macs": int(counts["conv_macs"] + counts["linear_macs"]),
            "params": int(sum(p.numel() for p in module.parameters())), "layers": int(counts["layers"]),
            "conv_macs": int(counts["conv_macs"]), "linear_macs": int(counts["linear_macs"])}


ROUNDS_TOLERANCE = 0.05  # rounds of one sub-network further apart than this (max / min - 1) get more rounds
MIN_TIMED_S = 0.1  # timed work per sub-network: a 0.3 ms pass gets the repeats a 30 ms one's median needs
MAX_REPEATS_FACTOR = 20


def passes_for(module, input_shape, repeats: int, clock: str) -> int:
    """At least `repeats` timed passes, more for a fast sub-network (up to 20 x `repeats`), so each median is
    taken over about MIN_TIMED_S of work: one pass timed now sets the count."""
    import math

    import torch

    from learnless.search.hardware import _timer

    now = _timer(clock, 1)
    x = torch.zeros(*input_shape)
    with torch.inference_mode():
        t0 = now()
        module(x)
        seconds = max((now() - t0) / 1e9, 1e-6)
    return int(min(MAX_REPEATS_FACTOR * repeats, max(repeats, math.ceil(MIN_TIMED_S / seconds))))


def reference_config(space) -> dict:
    """The sub-network every timing is paired with: the first choice of every parameter (the smallest in
    the usual spaces), so its interleaved passes add little to the profile's time."""
    return space.to_config(space.canonical(np.zeros((1, len(space)), dtype=np.int64))[0])


def profile(net, samples: int, *, seed: int = 0, repeats: int = 10, warmup: int = 2, core: int | None = None,
            clock: str = "thread", rounds: int = 3, description: str = "profiling") -> dict:
    """The latency table of `samples` random sub-networks of `net` (see the module docstring)."""
    from learnless.runtime.progress import track
    from learnless.search.hardware import measure_relative_latency
    from learnless.search.protocol import space_of

    if int(samples) < 10:
        raise ConfigError(f"--samples: needs >= 10 sub-networks to fit and test a predictor, got {samples}")
    if int(rounds) < 1:
        raise ConfigError(f"--rounds: must be >= 1, got {rounds}")
    space = space_of(net)
    X = sample_configs(space, int(samples), seed)
    configs = [space.to_config(x) for x in X]
    counted: list[dict] = [{} for _ in configs]
    passes: list[int] = [0] * len(configs)
    measured: list[list[dict]] = [[] for _ in configs]
    reference_ms: list[float] = []
    with pinned(core) as where, one_torch_thread(), warnings.catch_warnings(), \
            track(description, total=len(X) * int(rounds)) as bar:
        warnings.simplefilter("ignore", RuntimeWarning)  # the CV of every row is recorded instead
        ref_config = reference_config(space)
        reference, ref_shape = net.build(ref_config), latency_shape(net, ref_config)

        def measure(i: int, first: bool) -> None:
            module, shape = net.build(configs[i]), latency_shape(net, configs[i])
            if first:
                counted[i] = structure(module, shape)  # its pass also warms the module up
                passes[i] = passes_for(module, shape, repeats, clock)
            m = measure_relative_latency(module, shape, reference, ref_shape, repeats=passes[i],
                                         warmup=warmup, clock=clock)
            measured[i].append({"median": m["ratio"], "q1": m["ratio_q1"], "q3": m["ratio_q3"],
                                "cv": m["ratio_cv"], "unpaired_ms": m["median_ms"]})
            reference_ms.append(m["reference_ms"])
            bar.advance()

        for r in range(int(rounds)):
            # every sub-network once per round, alternate rounds backwards: a slow drift of the machine
            # (frequency, a neighbour's load) then averages out per sub-network instead of landing on a run
            # of neighbouring samples; each round builds the module afresh, so its memory layout varies too
            for i in range(len(configs)) if r % 2 == 0 else reversed(range(len(configs))):
                measure(i, r == 0)
        # a burst of load can hit two of a sub-network's rounds; where its rounds disagree, it gets up to
        # `rounds` more, so that the median rests on a majority of undisturbed ones
        for _ in range(int(rounds) if int(rounds) > 1 else 0):
            unsettled = [i for i in range(len(configs)) if _rounds_spread(measured[i]) > ROUNDS_TOLERANCE]
            if not unsettled:
                break
            bar.update(total=bar.total + len(unsettled))
            for i in unsettled:
                measure(i, False)
    scale = float(np.median(reference_ms))  # the reference's latency: ratios back to milliseconds
    rows = [{"config": c, **_over_rounds(measured[i], scale), "repeats": passes[i], **counted[i]}
            for i, c in enumerate(configs)]
    return {
        "format": FORMAT,
        "metric": METRIC,
        "space": space_signature(space),
        "core": where,
        "settings": {"samples": int(samples), "seed": int(seed), "repeats": int(repeats),
                     "warmup": int(warmup), "threads": 1, "clock": clock, "rounds": int(rounds)},
        "reference": {"config": ref_config, "median_ms": scale},
        "rows": rows,
    }


def _rounds_spread(rounds: list[dict]) -> float:
    medians = [m["median"] for m in rounds]
    return max(medians) / max(min(medians), 1e-12) - 1.0


def _over_rounds(rounds: list[dict], scale: float) -> dict:
    """One row's timings from its rounds' ratios to the reference, in ms (`scale`: the reference's median):
    the median of each statistic over the rounds (so q1 <= median <= q3 still holds), the rounds' medians,
    and the median of the unpaired timings for comparison."""
    row = {f"{k}_ms": scale * float(np.median([m[k] for m in rounds])) for k in ("median", "q1", "q3")}
    row["cv"] = float(np.median([m["cv"] for m in rounds]))
    row["iqr_ms"] = row["q3_ms"] - row["q1_ms"]
    row["rounds_ms"] = [scale * m["median"] for m in rounds]
    row["median_ms"] = float(np.median(row["rounds_ms"]))
    row["unpaired_ms"] = float(np.median([m["unpaired_ms"] for m in rounds]))
    return row


def _structure_matrix(rows) -> np.ndarray:
    """log1p of each structure count: latency grows roughly with their products, so logs make it additive."""
    return np.log1p(np.array([[float(r[k]) for k in STRUCTURE] for r in rows]))


def _features(net, space, X, rows=None) -> dict:
    views = {"onehot": space.features(X)}
    extra = getattr(net, "features", None)
    if callable(extra):
        views.update(extra(X))
    if rows is not None and all(all(k in r for k in STRUCTURE) for r in rows):
        S = _structure_matrix(rows)
        views["structure"] = S
        views["structure+onehot"] = np.hstack([S, views["onehot"]])
    return views


def _query_rows(net, space, X) -> list[dict]:
    """The structure of sub-networks the table has not measured (built here; no timing)."""
    out = []
    for x in X:
        config = space.to_config(x)
        out.append(structure(net.build(config), latency_shape(net, config)))
    return out


def fit_predictor(net, table: dict, seed: int = 0, holdout: float = 0.2):
    """(predictor of latency ms from index vectors, scores on a held-out part of the table)."""
    from learnless.search.predictors import AutoPredictor, kendall_tau, mape
    from learnless.search.protocol import space_of

    space = space_of(net)
    X = np.vstack([space.to_vector(r["config"]) for r in table["rows"]])
    y = np.log(np.array([r["median_ms"] for r in table["rows"]], float))
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = max(2, round(holdout * len(X)))
    test, train = order[:n_test], order[n_test:]
    rows = table["rows"]
    has_structure = all(all(k in r for k in STRUCTURE) for r in rows)
    feats = _features(net, space, X, rows if has_structure else None)
    held = AutoPredictor(seed=seed).fit({k: v[train] for k, v in feats.items()}, y[train])
    pred = np.exp(held.predict({k: v[test] for k, v in feats.items()}))
    scores = {"held_out": int(n_test), "kendall_tau": kendall_tau(np.exp(y[test]), pred),
              "mape_%": mape(np.exp(y[test]), pred), "chosen": held.chosen_}
    full = AutoPredictor(seed=seed).fit(feats, y)

    def predict(Xq):
        Xq = space.canonical(np.atleast_2d(Xq))
        query = _query_rows(net, space, Xq) if has_structure and full.view_.startswith("structure") else None
        return np.exp(full.predict(_features(net, space, Xq, query)))

    return predict, scores


def save_table(path, table: dict) -> Path:
    from learnless.runtime.rundir import write_json_atomic

    return write_json_atomic(Path(path), table)


def read_table(path, net) -> dict:
    """A latency table written by `profile`, checked against `net`'s space."""
    from learnless.search.protocol import space_of

    path = Path(path)
    if not path.is_file():
        raise DataError(f"--latency-table: {path}: file not found")
    try:
        table = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"--latency-table: {path}: not a JSON latency table ({exc})") from None
    rows = table.get("rows") if isinstance(table, dict) else None
    if not isinstance(rows, list) or table.get("format") != FORMAT:
        raise DataError(f"--latency-table: {path}: not a table written by `learnless search profile`")
    if table.get("space") != space_signature(space_of(net)):
        raise DataError(f"--latency-table: {path} was profiled on another super-network's space")
    if len(table["rows"]) < 10 or not all(isinstance(r, dict) and "config" in r and "median_ms" in r
                                          for r in table["rows"]):
        raise DataError(f"--latency-table: {path}: rows need config and median_ms (at least 10 rows)")
    space = space_of(net)
    for i, r in enumerate(table["rows"]):
        ms = r["median_ms"]
        if isinstance(ms, bool) or not isinstance(ms, int | float) or not np.isfinite(ms) or ms <= 0:
            raise DataError(f"--latency-table: {path}: row {i}: median_ms must be a positive number, "
                            f"got {ms!r}")
        if not isinstance(r["config"], dict):
            raise DataError(f"--latency-table: {path}: row {i}: config must be an object")
        try:
            space.to_vector(r["config"])
        except ConfigError as exc:
            raise DataError(f"--latency-table: {path}: row {i}: {exc}") from None
    return table


class TableLatency:
    """`net` with `latency@cpu` from a latency table: the measured median where the table has the
    sub-network, the table's predictor elsewhere. Every other metric and method is `net`'s."""

    def __init__(self, net, table: dict, seed: int = 0):
        from learnless.search.protocol import space_of

        self.net = net
        self._space = space_of(net)
        self._measured = {self._space.key(self._space.to_vector(r["config"])): float(r["median_ms"])
                          for r in table["rows"]}
        self._predict, self.scores = fit_predictor(net, table, seed)

    def __getattr__(self, name):
        if name == "net":
            raise AttributeError(name)
        return getattr(self.net, name)

    def measured_metrics(self) -> list[str]:
        return []  # nothing is timed during the search: no dedicated latency worker needed

    def latency(self, config: dict) -> float:
        x = self._space.to_vector(config)
        key = self._space.key(x)
        if key in self._measured:
            return self._measured[key]
        return float(self._predict(x)[0])

    def evaluate(self, config, metrics):
        rest = [m for m in metrics if m != METRIC]
        out = dict(self.net.evaluate(dict(config), rest)) if rest else {}
        if METRIC in metrics:
            out[METRIC] = self.latency(config)
        return out
