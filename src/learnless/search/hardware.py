"""Hardware measurement: MACs and parameters by `torch.utils.flop_counter`, CPU latency as the median of timed
forward passes after warm-up, with the interquartile range and a warning when the timings scatter."""

from __future__ import annotations

import time
import warnings


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


def measure_latency(
    module, input_shape, *, repeats: int = 20, warmup: int = 5, threads: int = 1, cv_warning: float = 0.10
) -> dict:
    """Median latency (ms) of `repeats` timed forward passes after `warmup` untimed ones, with `threads` torch
    threads; also the IQR and the coefficient of variation (a warning when it exceeds `cv_warning`)."""
    import numpy as np
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        module.eval()
        x = torch.randn(*input_shape)
        with torch.inference_mode():
            for _ in range(warmup):
                module(x)
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                module(x)
                times.append((time.perf_counter() - t0) * 1e3)
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
        "iqr_ms": float(q3 - q1),
        "cv": cv,
        "repeats": repeats,
        "threads": threads,
        "batch": int(input_shape[0]),
    }
