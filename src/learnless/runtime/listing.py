"""Finding and summarising run directories (`learnless runs list` / `runs show`)."""

from __future__ import annotations

import json
from pathlib import Path

from learnless.errors import DataError


def _read(path: Path) -> tuple[dict, str | None]:
    """(the JSON object in `path` or {}, None or why it is broken)."""
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, f"{path.name} is not readable JSON ({type(exc).__name__})"
    if not isinstance(doc, dict):
        return {}, f"{path.name} holds a {type(doc).__name__}, not an object"
    return doc, None


def find_runs(root: str | Path = "runs") -> list[Path]:
    """Every directory under `root` (itself included) that holds a config.json, newest first; the hidden
    directories of a replacement in progress (`.NAME.new-*`) are not runs."""
    root = Path(root)
    if not root.exists():
        raise DataError(f"{root}: no such directory")
    if not root.is_dir():
        raise DataError(f"{root}: not a directory")
    runs = [p.parent for p in root.rglob("config.json")
            if not any(part.startswith(".") for part in p.parent.relative_to(root).parts)]
    return sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)


def summarise(run: str | Path) -> dict:
    """command, date, status (finished when metrics.json exists; `broken: why` when its config.json or
    metrics.json cannot be read), params and metrics of one run directory."""
    run = Path(run)
    if not (run / "config.json").is_file():
        raise DataError(f"{run}: not a run directory (no config.json)")
    config, broken = _read(run / "config.json")
    metrics, broken_metrics = _read(run / "metrics.json")
    broken = broken or broken_metrics
    prov = config.get("provenance") if isinstance(config.get("provenance"), dict) else {}
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    status = f"broken: {broken}" if broken else ("finished" if metrics else "unfinished")
    return {"path": str(run), "command": str(config.get("command", "")), "date": str(prov.get("date", "")),
            "status": status, "params": params, "metrics": metrics}
