"""Finding and summarising run directories (`learnless runs list` / `runs show`)."""

from __future__ import annotations

import json
from pathlib import Path

from learnless.errors import DataError


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not readable as JSON ({exc})") from None


def find_runs(root: str | Path = "runs") -> list[Path]:
    """Every directory under `root` (itself included) that holds a config.json, newest first."""
    root = Path(root)
    if not root.exists():
        raise DataError(f"{root}: no such directory")
    if not root.is_dir():
        raise DataError(f"{root}: not a directory")
    runs = [p.parent for p in root.rglob("config.json")]
    return sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)


def summarise(run: str | Path) -> dict:
    """command, date, status (finished when metrics.json exists), params and metrics of one run directory."""
    run = Path(run)
    if not (run / "config.json").is_file():
        raise DataError(f"{run}: not a run directory (no config.json)")
    config = _read(run / "config.json")
    metrics = _read(run / "metrics.json")
    prov = config.get("provenance", {})
    return {"path": str(run), "command": config.get("command", ""), "date": prov.get("date", ""),
            "status": "finished" if metrics else "unfinished", "params": config.get("params", {}),
            "metrics": metrics}
