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
    resumed: bool = False

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
        from learnless.runtime.progress import set_log_sink

        set_log_sink(logger)  # progress lines go to run.log too, so a run under nohup leaves a trace
        return cls(path=path, logger=logger)

    @classmethod
    def open(cls, capability: str, name: str, out: str | os.PathLike | None, *, command: str, params: dict,
             force: bool = False, inputs: dict | None = None, root: str | os.PathLike = "runs") -> RunDir:
        """Create (or resume) the run directory of `command` with resolved `params`; config.json is written
        first, with the provenance. An existing `out` holding another command's or config's run is refused
        unless `force`; the same command and config resumes (`run.resumed` is True)."""
        from learnless.errors import ConfigError
        from learnless.runtime.provenance import provenance

        if out is not None:
            target = Path(out)
            if target.exists() and not target.is_dir():
                raise ConfigError(f"--out: {target} is a file, not a directory")
        try:
            run = cls.create(capability, name, out=out, root=root)
        except OSError as exc:
            raise ConfigError(f"--out: cannot create {out}: {exc.strerror or exc}") from None
        config_path = run.path / "config.json"
        run.resumed = False
        wanted = {"command": command, "params": to_jsonable(params)}
        if config_path.exists():
            try:
                old = json.loads(config_path.read_text())
            except (OSError, json.JSONDecodeError):
                old = {}
            same = old.get("command") == wanted["command"] and old.get("params") == wanted["params"]
            if same:
                run.resumed = True
                run.log(f"resumed: {command}")
                return run
            if not force:
                what = old.get("command", "an unknown command")
                run.close()
                raise ConfigError(f"--out: {run.path} holds a run of `{what}` with other parameters; "
                                  "choose another --out, or add --force to overwrite it")
        if config_path.exists():  # --force over another run: its metrics must not pass for this run's
            (run.path / "metrics.json").unlink(missing_ok=True)
            run.log(f"--force: replacing the run of `{old.get('command', 'an unknown command')}`")
        run.write_config({**wanted, "provenance": provenance(inputs)})
        run.log(f"started: {command}")
        return run

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
        from learnless.runtime.progress import set_log_sink

        set_log_sink(None)
        for h in list(self.logger.handlers):
            h.close()
            self.logger.removeHandler(h)


def _slug(name: str) -> str:
    keep = [c if c.isalnum() or c in "-_." else "-" for c in name]
    return "".join(keep).strip("-") or "run"
