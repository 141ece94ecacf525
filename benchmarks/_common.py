"""Shared helpers for benchmark scripts: peak memory, timing, and saving figures as JSON + Markdown."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def machine() -> dict:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "note": "shared 2-core machine: timings are noisy",
    }


def save_rows(name: str, rows: list[dict], *, params: dict | None = None, summary: dict | None = None,
              markdown: str | None = None) -> Path:
    """Write results/<name>.json in learnless.report's one schema (with provenance) and its .md; print the
    benchmark's own table."""
    from learnless.report import save_result

    path = save_result(name, rows, directory=RESULTS, params=params, summary=summary)
    if markdown:
        print(markdown)
    return path


def run_cell(*args: str, env: dict | None = None, timeout: float = 1800) -> dict:
    cmd = [sys.executable, str(HERE / "_cell.py"), *args]
    proc = subprocess.run(
        cmd, check=False, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout
    )
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1]
            if proc.stderr.strip()
            else f"exit {proc.returncode}"
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])
