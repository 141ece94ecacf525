"""Streaming linear CKA on 10^6 x 512 against 10^6 x 512 (float32 inputs held in memory): time against the
Gram products it needs (X^T Y, X^T X, Y^T Y over the same batches, same dtype), the process's peak resident
memory above the inputs, and equality with the in-memory (N x N Gram) computation on the first 10,000 rows.
Also blocked mutual-kNN (torch matmul + topk) on a smaller sample.

    PYTHONPATH=src nice -n 5 python benchmarks/relate_streaming.py [--n 1000000] [--d 512]

Peak memory: /proc/self/status VmHWM, reset through /proc/self/clear_refs before each measured step.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import torch

from learnless.relate.metrics import cka
from learnless.relate.streaming import calibrated_mutual_knn, streaming_cka
from learnless.report import save_result

HERE = Path(__file__).parent


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def make_pair(n: int, d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """B = tanh(A W) + noise: related, not linearly identical; built in blocks (no float64 temporaries of
    full size)."""
    rng = np.random.default_rng(seed)
    w = (rng.standard_normal((d, d)) / np.sqrt(d)).astype(np.float32)
    a = np.empty((n, d), dtype=np.float32)
    b = np.empty((n, d), dtype=np.float32)
    for s in range(0, n, 65536):
        m = min(n, s + 65536) - s
        a[s : s + m] = rng.standard_normal((m, d), dtype=np.float32) + 0.5
        b[s : s + m] = np.tanh(a[s : s + m] @ w) + 0.5 * rng.standard_normal((m, d), dtype=np.float32)
    return a, b


def gram_products(a, b, batch: int, dtype) -> float:
    """The products streaming CKA needs and nothing else, batch by batch, in the same dtype."""
    t = time.perf_counter()
    for s in range(0, len(a), batch):
        x = torch.tensor(a[s : s + batch], dtype=dtype)
        y = torch.tensor(b[s : s + batch], dtype=dtype)
        x.T @ y, x.T @ x, y.T @ y
    return time.perf_counter() - t


def _name(args) -> str:
    return "relate_streaming" if args.n == 1_000_000 else f"relate_streaming_n{args.n}"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--d", type=int, default=512)
    p.add_argument("--batch", type=int, default=8192)
    p.add_argument("--check-rows", type=int, default=10_000)
    p.add_argument("--knn-n", type=int, default=20_000)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--dtypes", nargs="+", default=["float64", "float32"], help="product dtypes to time")
    args = p.parse_args()
    load = os.getloadavg()
    a, b = make_pair(args.n, args.d)
    input_bytes = a.nbytes + b.nbytes
    rows, summary = [], {"load average at start (1, 5, 15 min)": [round(v, 2) for v in load]}
    for name, dtype in (("float64", torch.float64), ("float32", torch.float32)):
        if name not in args.dtypes:
            continue
        grams, streams, peaks, gram_peaks = [], [], [], []
        for _ in range(args.repeats):  # interleaved, best of: the machine is shared and its load moves
            base = _rss("VmRSS")
            _reset_peak()
            grams.append(gram_products(a, b, args.batch, dtype))
            gram_peaks.append(_rss("VmHWM") - base)
            base = _rss("VmRSS")
            _reset_peak()
            t = time.perf_counter()
            value = streaming_cka(a, b, batch=args.batch, unbiased=True, dtype=dtype)
            streams.append(time.perf_counter() - t)
            peak = _rss("VmHWM")
            peaks.append((base, peak))
        base, peak = max(peaks, key=lambda bp: bp[1] - bp[0])
        rows.append({"products dtype": name, "Gram products s (best)": round(min(grams), 2),
                     "streaming debiased CKA s (best)": round(min(streams), 2),
                     "ratio": round(min(streams) / min(grams), 3),
                     "all Gram s": [round(v, 2) for v in grams],
                     "all streaming s": [round(v, 2) for v in streams],
                     "CKA": value, "inputs MiB": round(input_bytes / 2**20),
                     "process RSS before MiB": round(base / 2**20), "peak RSS MiB": round(peak / 2**20),
                     "peak above inputs + runtime MiB": round((peak - base) / 2**20, 1),
                     "peak above, % of inputs": round(100 * (peak - base) / input_bytes, 2),
                     "Gram products peak above MiB": round(max(gram_peaks) / 2**20, 1)})
        print(rows[-1], flush=True)
        save_result(_name(args), rows, directory=HERE / "results", summary={**summary, "partial": True},
                    params=vars(args))  # a run cut short still leaves its finished rows
    sub = slice(0, args.check_rows)
    for unbiased in (True, False):
        want = cka(a[sub], b[sub], unbiased=unbiased)
        got = streaming_cka(a[sub], b[sub], batch=args.batch // 3, unbiased=unbiased)
        which = "debiased" if unbiased else "biased"
        summary[f"|streaming - in-memory| on {args.check_rows} rows, {which}"] = abs(got - want)
    kn = slice(0, args.knn_n)
    t = time.perf_counter()
    m = calibrated_mutual_knn(a[kn], b[kn], k=10, permutations=20, n_boot=200)
    summary.update({f"mutual-kNN on {args.knn_n} rows: {k}": v for k, v in m.items()})
    summary[f"mutual-kNN on {args.knn_n} rows (both kNN graphs, 20 permutations) s"] = time.perf_counter() - t
    summary.update({"n": args.n, "d": args.d, "batch": args.batch, "torch threads": torch.get_num_threads(),
                    "load average at start (1, 5, 15 min)": [round(v, 2) for v in load],
                    "load average at end": [round(v, 2) for v in os.getloadavg()]})
    save_result(_name(args), rows, directory=HERE / "results", summary=summary, params=vars(args))
    print(summary)


if __name__ == "__main__":
    main()
