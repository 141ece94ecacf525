"""Run directories: runs/<capability>/<UTC time>-<name>/ holding config.json, metrics.json, run.log, plots."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np


def to_jsonable(obj: Any):
    """NumPy scalars/arrays and Paths as plain JSON values; NaN and inf as None (JSON has neither)."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float) and not np.isfinite(obj):
        return None  # JSON has no NaN/inf; None reads back as "not available"
    return obj


def write_json_atomic(path: str | os.PathLike, data: Any) -> Path:
    """Write JSON through a temporary file in the same directory and rename it into place, so a reader
    (or a crash) never sees a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(to_jsonable(data), fh, indent=2, sort_keys=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass
class RunDir:
    """One run's directory. `RunDir.create("recommend", "gte-tmall")` makes runs/recommend/<time>-gte-tmall/;
    `out=` puts it exactly there instead."""

    path: Path
    logger: logging.Logger = field(repr=False, default=None)

    @classmethod
    def create(cls, capability: str, name: str, out: str | os.PathLike | None = None,
               root: str | os.PathLike = "runs") -> RunDir:
        path = Path(out) if out is not None else Path(root) / capability / f"{utc_stamp()}-{_slug(name)}"
        path.mkdir(parents=True, exist_ok=True)
        logger = logging.getLogger(f"learnless.run.{path}")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        if not logger.handlers:
            handler = logging.FileHandler(path / "run.log")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
        return cls(path=path, logger=logger)

    def log(self, message: str) -> None:
        self.logger.info(message)

    def write_config(self, config: dict) -> Path:
        return write_json_atomic(self.path / "config.json", config)

    def write_metrics(self, metrics: dict) -> Path:
        return write_json_atomic(self.path / "metrics.json", metrics)

    def read_json(self, name: str) -> dict:
        with open(self.path / name) as fh:
            return json.load(fh)

    def close(self) -> None:
        for h in list(self.logger.handlers):
            h.close()
            self.logger.removeHandler(h)


def _slug(name: str) -> str:
    keep = [c if c.isalnum() or c in "-_." else "-" for c in name]
    return "".join(keep).strip("-") or "run"
