"""`learnless search profile --supernet X --samples N`: a latency table of N sub-networks measured on this
host and the held-out quality of a latency predictor fitted on it (learnless.search.profile)."""

from __future__ import annotations

import os
import time
from typing import Annotated

from learnless.cli.common import (
    ForceOption,
    JsonOption,
    OutOption,
    QuietOption,
    SeedOption,
    console_for,
    option,
)
from learnless.errors import ConfigError
from learnless.search.hardware import CLOCKS

PROFILE_COMMAND = "learnless search profile"


def profile(
    supernet: Annotated[str, option("--supernet", "It needs build(config) and latency_input_shape(config).")],
    samples: Annotated[int, option("--samples", "At least 10 (a predictor is fitted and tested on them).")
                       ] = 200,
    repeats: Annotated[int, option("--repeats")] = 10,
    warmup: Annotated[int, option("--warmup")] = 2,
    rounds: Annotated[int, option("--rounds")] = 3,
    clock: Annotated[str, option("--clock")] = "thread",
    core: Annotated[int | None, option("--core")] = None,
    settings: Annotated[list[str] | None, option("--supernet-arg")] = None,
    seed: SeedOption = 0,
    out: OutOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    force: ForceOption = False,
):
    """Measure latency@cpu of --samples random sub-networks (pinned core, warm-up, every timed pass paired
    with a reference sub-network's so the machine's drift cancels, median and IQR; by default the timing
    thread's CPU time, so other processes on the core do not inflate it; --rounds passes over the whole
    sample, the median of a sub-network's rounds kept); write
    latency_table.json (reuse it: `search run --latency-table FILE`) and the predictor's held-out Kendall tau
    and MAPE."""
    from learnless.cli.common import emit_metrics
    from learnless.cli.search import _supernet, _supernet_params
    from learnless.runtime import RunDir
    from learnless.search.profile import check_profilable, fit_predictor, save_table
    from learnless.search.profile import profile as measure

    if samples < 10:
        raise ConfigError(f"--samples: needs >= 10 sub-networks to fit and test a predictor, got {samples}")
    if repeats < 2:
        raise ConfigError(f"--repeats: must be >= 2 (a spread needs two timings), got {repeats}")
    if warmup < 0:
        raise ConfigError(f"--warmup: must be >= 0, got {warmup}")
    if rounds < 1:
        raise ConfigError(f"--rounds: must be >= 1, got {rounds}")
    if clock not in CLOCKS:
        raise ConfigError(f"--clock: must be one of {', '.join(CLOCKS)}, got {clock!r}")
    params = {"supernet": supernet, "samples": samples, "repeats": repeats, "warmup": warmup, "seed": seed,
              "clock": clock, "rounds": rounds}
    supernet_params = _supernet_params(supernet, settings)
    if supernet_params:
        params["supernet_params"] = supernet_params
    net = _supernet(supernet, "cpu", supernet_params)
    check_profilable(net)  # before a run directory is made
    if quiet:
        os.environ["LEARNLESS_PROGRESS"] = "0"
    run = RunDir.open("search", f"profile-{supernet.replace(':', '-')}", out, command=PROFILE_COMMAND,
                      params=params, force=force)
    try:
        if callable(getattr(net, "fit", None)):
            net.fit()  # shared weights trained (or loaded) first: `seconds` times the profiling alone
        start = time.perf_counter()
        table = measure(net, samples, seed=seed, repeats=repeats, warmup=warmup, core=core,
                        clock=clock, rounds=rounds)
        seconds = time.perf_counter() - start
        _, scores = fit_predictor(net, table, seed)
        table["predictor"] = scores
        table["supernet"] = supernet
        path = save_table(run.path / "latency_table.json", table)
        medians = [r["median_ms"] for r in table["rows"]]
        metrics = {
            "samples": len(table["rows"]),
            "seconds": seconds,
            "core": table["core"],
            "clock": clock,
            "kendall_tau": scores["kendall_tau"],
            "mape_%": scores["mape_%"],
            "held_out": scores["held_out"],
            "predictor": scores["chosen"],
            "latency_min_ms": min(medians),
            "latency_max_ms": max(medians),
            "cv_median": sorted(r["cv"] for r in table["rows"])[len(medians) // 2],
            "load_1min": os.getloadavg()[0],
            "latency_table": str(path),
            "run_dir": str(run.path),
        }
        emit_metrics(metrics, run, json_output)
        if not quiet and not json_output:
            console_for(False).print(
                f"{metrics['samples']} sub-networks in {seconds:.0f} s on core {metrics['core']}: "
                f"{metrics['latency_min_ms']:.3g}-{metrics['latency_max_ms']:.3g} ms; predictor "
                f"{scores['chosen']}: held-out Kendall tau {scores['kendall_tau']:.3f}, MAPE "
                f"{scores['mape_%']:.1f} %; table {path} (search run --latency-table {path})"
            )
        run.log(f"profiled {metrics['samples']} sub-networks in {seconds:.1f} s")
        return metrics
    finally:
        run.close()
