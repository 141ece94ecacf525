"""`learnless search profile` as a user runs it: wall time of profiling N sub-networks on one pinned core and
the held-out Kendall tau / MAPE of the latency predictor fitted on the table. The command's defaults are
used: the timing thread's CPU time (so the other processes of a shared machine do not inflate the timings),
every pass paired with the reference's, 10 timed passes after 2 warm-ups, 3 rounds; the load average at the
start and at the end of each run is recorded.

    PYTHONPATH=src python benchmarks/search_profile.py [--supernet ofa-mbv3] [--samples 200] [--seeds 1]

Writes benchmarks/results/search_profile.{json,md}; each seed is one `learnless search profile` run (the
console script, run directory under --runs), its metrics.json read back, and its latency table read for how
alike its rounds rank the sub-networks.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# Latency does not depend on the trained weights: a super-network that trains itself before its sub-networks
# can be built is profiled with the shortest training its settings allow (same architectures, same space).
QUICK_TRAINING = {"cnn-elastic": ["epochs=1", "train_rows=2000"]}


def rounds_agreement(table_path: Path) -> dict:
    """How alike the table's first three rounds rank the sub-networks (mean Kendall tau over the pairs of
    rounds: the measurement's own ceiling on a predictor's held-out tau), and how many sub-networks needed
    more rounds."""
    from itertools import combinations

    from scipy.stats import kendalltau

    rows = json.loads(table_path.read_text())["rows"]
    rounds = np.array([r["rounds_ms"][:3] for r in rows if len(r["rounds_ms"]) >= 3])
    tau = np.mean([kendalltau(rounds[:, a], rounds[:, b])[0] for a, b in combinations(range(3), 2)])
    return {"rounds tau": float(tau), "rows with extra rounds": sum(len(r["rounds_ms"]) > 3 for r in rows)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--supernet", nargs="+", default=["ofa-mbv3"])
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--runs", type=Path, default=ROOT / "runs" / "search_profile")
    args = ap.parse_args()

    from learnless.report import markdown_table, save_result

    exe = Path(sys.executable).with_name("learnless")
    env = {**os.environ, "LEARNLESS_PROGRESS": "0"}
    rows = []
    for supernet in args.supernet:
        for seed in range(args.seeds):
            run = args.runs / f"{supernet.replace(':', '-')}-s{seed}"
            load_start = os.getloadavg()[0]
            start = time.perf_counter()
            cmd = [str(exe), "search", "profile", "--supernet", supernet, "--samples", str(args.samples),
                   "--seed", str(seed), "--out", str(run), "--force", "--json"]
            for setting in QUICK_TRAINING.get(supernet, []):
                cmd += ["--supernet-arg", setting]
            r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
            wall = time.perf_counter() - start
            if r.returncode != 0:
                raise SystemExit(f"{supernet} seed {seed}: {r.stderr.strip()}")
            m = json.loads(r.stdout)
            steadiness = rounds_agreement(run / "latency_table.json")
            rows.append({"supernet": supernet, "seed": seed, "samples": m["samples"],
                         "profiling s": m["seconds"], "command s": wall, "kendall tau": m["kendall_tau"],
                         "MAPE %": m["mape_%"], "held out": m["held_out"], "predictor": m["predictor"],
                         "latency ms (min, max)": f"{m['latency_min_ms']:.3g}, {m['latency_max_ms']:.3g}",
                         "median CV": m["cv_median"], **steadiness, "clock": m["clock"],
                         "load at start": load_start,
                         "load": m["load_1min"]})
    summary = {
        "target": "200 sub-networks in <= 5 min, held-out Kendall tau >= 0.8",
        "all within 5 min": all(r["command s"] <= 300 for r in rows),
        "all tau >= 0.8": all(r["kendall tau"] >= 0.8 for r in rows),
    }
    save_result("search_profile", rows, directory=args.out, summary=summary,
                params={**vars(args), "out": str(args.out), "runs": str(args.runs)},
                formats={"profiling s": ".1f", "command s": ".1f", "kendall tau": ".3f", "MAPE %": ".1f",
                         "median CV": ".3f", "rounds tau": ".3f",
                         "load at start": ".1f", "load": ".1f"})
    print(markdown_table(rows))
    print(summary)


if __name__ == "__main__":
    main()
