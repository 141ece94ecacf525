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
        return to_jsonable(obj.item())
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist()) if obj.dtype.kind in "fcO" else obj.tolist()
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
    _lock_key: str | None = field(repr=False, default=None)

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
        first, with the provenance. The directory is locked for this process while the run is open (another
        process gets RunDirInUse naming this pid). An existing `out` holding another command's or config's
        run, or the same run on input files whose checksums changed, is refused unless `force`; `force`
        replaces the whole directory atomically (the new one is built beside it and swapped in, the old one
        removed whole). The same command, config and inputs without `force` resumes (`run.resumed`)."""
        from learnless.errors import ConfigError
        from learnless.runtime import lock

        path = Path(out) if out is not None else Path(root) / capability / f"{utc_stamp()}-{_slug(name)}"
        if path.exists() and not path.is_dir():
            raise ConfigError(f"--out: {path} is a file, not a directory")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"--out: cannot create {out}: {exc.strerror or exc}") from None
        key = lock.acquire(path)
        try:
            wanted = {"command": command, "params": to_jsonable(params)}
            config_path = path / "config.json"
            if not config_path.exists():
                _write_new_config(path, wanted, inputs)
                return cls._ready(path, f"started: {command}", resumed=False)
            old, why_other = _compare(config_path, wanted, inputs)
            if why_other is None and not force:
                return cls._ready(path, f"resumed: {command}", resumed=True)
            if not force:
                raise ConfigError(f"--out: {path} {why_other}; choose another --out, or add --force to "
                                  "replace it")
            _replace(path, key, wanted, inputs)
            what = old.get("command", "an unknown command") if isinstance(old, dict) else "an unknown command"
            run = cls._ready(path, f"--force: replacing the run of `{what}`", resumed=False)
            run.log(f"started: {command}")
            return run
        except BaseException:
            lock.release(os.path.realpath(path))
            raise

    @classmethod
    def _ready(cls, path: Path, message: str, resumed: bool) -> RunDir:
        logging.getLogger(f"learnless.run.{path}").handlers.clear()  # a replaced directory's old run.log
        run = cls.create("", "", out=path)
        run.resumed = resumed
        run._lock_key = os.path.realpath(path)
        run.log(message)
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
        from learnless.runtime import lock
        from learnless.runtime.progress import set_log_sink

        set_log_sink(None)
        for h in list(self.logger.handlers):
            h.close()
            self.logger.removeHandler(h)
        if self._lock_key is not None:
            lock.release(self._lock_key)
            self._lock_key = None


def _write_new_config(path: Path, wanted: dict, inputs: dict | None) -> None:
    from learnless.runtime.provenance import provenance

    write_json_atomic(path / "config.json", {**wanted, "provenance": provenance(inputs)})


def _compare(config_path: Path, wanted: dict, inputs: dict | None) -> tuple[Any, str | None]:
    """(the config.json there, None when it is this run, else why it is another)."""
    try:
        old = json.loads(config_path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, (f"holds a config.json that is not readable JSON ({type(exc).__name__}) of an unknown "
                      "command")
    if not isinstance(old, dict) or not isinstance(old.get("params"), dict):
        return old, "holds a config.json of an unknown command (not a run's config object)"
    if old.get("command") != wanted["command"] or old.get("params") != wanted["params"]:
        return old, f"holds a run of `{old.get('command', 'an unknown command')}` with other parameters"
    recorded = (old.get("provenance") or {}).get("inputs") or {}
    if inputs and isinstance(recorded, dict):
        from learnless.runtime.identity import files_fingerprint

        now = files_fingerprint(inputs)
        for name, sha in now.items():
            then = recorded.get(name, {}).get("sha256") if isinstance(recorded.get(name), dict) else None
            if then is not None and then != sha:
                return old, (f"holds this run on other data: input {name!r} had sha256 {then[:12]}…, now "
                             f"{sha[:12]}…")
    return old, None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False where not supported."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, rename_exchange = -100, 2
        ok = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
    except (OSError, AttributeError):
        return False
    return ok


def _replace(path: Path, key: str, wanted: dict, inputs: dict | None) -> None:
    """--force: build the new run directory beside `path`, swap it in, remove the old one whole."""
    import shutil

    from learnless.runtime import lock

    new = Path(tempfile.mkdtemp(prefix=f".{path.name}.new-", dir=path.parent))
    new_key = lock.acquire(new)
    _write_new_config(new, wanted, inputs)
    if _exchange(new, path):
        old = new  # after the swap, the temporary name holds the old run
    else:  # two renames: between them `path` is briefly absent, never half-deleted
        old = path.parent / f".{path.name}.old-{utc_stamp()}"
        os.rename(path, old)
        os.rename(new, path)
    lock.swap_in(new_key, key)
    shutil.rmtree(old, ignore_errors=True)


def _slug(name: str) -> str:
    keep = [c if c.isalnum() or c in "-_." else "-" for c in name]
    return "".join(keep).strip("-") or "run"
