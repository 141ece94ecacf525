"""Shared helpers for benchmark scripts: peak memory, timing, and saving figures as JSON + Markdown."""

from __future__ import annotations

import json
import platform
import resource
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


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
    import os

    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
            "when": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def save(name: str, payload: dict, table_rows: list[dict], title: str) -> Path:
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
