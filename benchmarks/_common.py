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


def save_table(name: str, payload: dict, table_rows: list[dict], title: str) -> Path:
    """Write results/<name>.json and results/<name>.md (a Markdown table of `table_rows`)."""
    from learnless.runtime.rundir import write_bytes_atomic, write_json_atomic

    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine(), **payload}
    write_json_atomic(RESULTS / f"{name}.json", payload)
    md = [f"# {title}", "", f"_{payload['machine']['when']}, {payload['machine']['cpus']} CPUs_", ""]
    if table_rows:
        cols = list(table_rows[0])
        md.append("| " + " | ".join(cols) + " |")
        md.append("|" + "|".join("---" for _ in cols) + "|")
        for row in table_rows:
            md.append("| " + " | ".join(_fmt(row[c]) for c in cols) + " |")
    write_bytes_atomic(RESULTS / f"{name}.md", ("\n".join(md) + "\n").encode())
    return RESULTS / f"{name}.md"


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


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


def save(name: str, data: dict, markdown: str) -> None:
    """Write results/<name>.json and results/<name>.md (markdown given as text), atomically; print the
    table."""
    from learnless.runtime.rundir import write_bytes_atomic, write_json_atomic

    RESULTS.mkdir(parents=True, exist_ok=True)
    write_json_atomic(RESULTS / f"{name}.json", data)
    write_bytes_atomic(RESULTS / f"{name}.md", (markdown.rstrip() + "\n").encode())
    print(markdown)
