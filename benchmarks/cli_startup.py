"""Benchmark: how fast `learnless --help` answers (target: under 1 s), as a whole process.

For each command, the wall time of a fresh process (median of --runs), and the import work of
`import learnless.cli.main` from `python -X importtime` (sum of the top-level modules' cumulative time).
Also records which heavy libraries the root help imports (must be none).
Usage: python benchmarks/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from learnless.report import save_result

HERE = Path(__file__).resolve().parent
HEAVY = ("torch", "scipy", "sklearn", "matplotlib", "numpy", "torch_geometric", "pymoo")


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_seconds(module: str) -> tuple[float, list[str]]:
    """Cumulative import time of `module` (top-level entries of -X
    importtime) and the heavy packages loaded."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], check=True,
                          capture_output=True, text=True)
    total, heavy = 0, set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # a top-level import: its cumulative time includes its children
            total += int(cumulative)
        if name.strip().split(".")[0] in HEAVY:
            heavy.add(name.strip().split(".")[0])
    return total / 1e6, sorted(heavy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Processes per command (the median is kept).")
    args = parser.parse_args()
    script = shutil.which("learnless") or str(Path(sys.executable).parent / "learnless")
    rows = []
    for argv in (["--help"], ["--version"], ["data", "--help"], ["data", "list"]):
        rows.append({"command": "learnless " + " ".join(argv), "wall_s": round(wall([script, *argv],
                                                                                    args.runs), 3)})
    rows.append({"command": "python -c pass", "wall_s": round(wall([sys.executable, "-c", "pass"], args.runs),
                                                              3)})
    seconds, heavy = import_seconds("learnless.cli.main")
    summary = {"import_learnless_cli_main_s": round(seconds, 3),
               "heavy_imported_by_cli_main": heavy or "none",
               "help_under_1s": rows[0]["wall_s"] < 1.0}
    load = os.getloadavg()[0]
    path = save_result("cli_startup", rows, directory=HERE / "results", params={"runs": args.runs},
                       summary=summary, notes=f"load average {load:.2f} when measured; wall = median of runs")
    for row in rows:
        print(f"{row['command']:<26} {row['wall_s']:.3f} s")
    print(summary, "->", path)


if __name__ == "__main__":
    main()
