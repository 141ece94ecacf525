"""Speed and memory of RelativeProjection.transform: n x d latents onto m anchors (cosine), against one bare
torch.mm of the same shape in the same process; peak resident memory above input + output.

    PYTHONPATH=src python benchmarks/relative_projection.py [--n 1000000] [--d 512] [--anchors 1000]

Peak memory is read from /proc/self/status (VmHWM), reset through /proc/self/clear_refs before each step.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from learnless.relate import RelativeProjection
from learnless.report import save_result

HERE = Path(__file__).parent


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--d", type=int, default=512)
    p.add_argument("--anchors", type=int, default=1000)
    p.add_argument("--chunk", type=int, default=65536)
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.n, args.d), dtype=np.float32)
    a = rng.standard_normal((args.anchors, args.d), dtype=np.float32)
    xt, at = torch.from_numpy(x), torch.from_numpy(a)
    in_bytes, out_bytes = x.nbytes, args.n * args.anchors * 4
    chunk_bytes = args.chunk * args.anchors * 4
    proj = RelativeProjection(chunk_size=args.chunk).fit(a)
    rows = []
    mm_times, rel_times = [], []
    for rep in range(args.repeats):
        base = _rss("VmRSS")
        _reset_peak()
        t = time.perf_counter()
        out = torch.mm(xt, at.T)
        mm_times.append(time.perf_counter() - t)
        mm_peak = _rss("VmHWM") - base
        del out
        base = _rss("VmRSS")
        _reset_peak()
        t = time.perf_counter()
        rel = proj.transform(x)
        rel_times.append(time.perf_counter() - t)
        rel_peak = _rss("VmHWM") - base
        if rep == 0:
            sub = slice(0, 2000)
            want = (x[sub] / np.linalg.norm(x[sub], axis=1, keepdims=True)) @ (
                a / np.linalg.norm(a, axis=1, keepdims=True)
            ).T
            err = float(np.abs(rel[sub] - want).max())
        del rel
        rows.append(
            {
                "repeat": rep,
                "torch.mm s": mm_times[-1],
                "transform s": rel_times[-1],
                "ratio": rel_times[-1] / mm_times[-1],
                "mm extra MiB": mm_peak / 2**20,
                "transform extra MiB": rel_peak / 2**20,
            }
        )
    summary = {
        "n": args.n,
        "d": args.d,
        "anchors": args.anchors,
        "chunk": args.chunk,
        "best torch.mm s": min(mm_times),
        "best transform s": min(rel_times),
        "ratio (best/best)": min(rel_times) / min(mm_times),
        "output MiB": out_bytes / 2**20,
        "input MiB": in_bytes / 2**20,
        "chunk MiB": chunk_bytes / 2**20,
        "transform peak above input MiB": max(r["transform extra MiB"] for r in rows),
        "allowed (output + one chunk) MiB": (out_bytes + chunk_bytes) / 2**20,
        "max abs error vs float64 (first 2000 rows)": err,
        "torch threads": torch.get_num_threads(),
    }
    name = "relative_projection" if args.n == 1_000_000 else f"relative_projection_n{args.n}"
    save_result(name, rows, directory=HERE / "results", summary=summary, params=vars(args))
    print(rows)
    print(summary)


if __name__ == "__main__":
    main()
