"""One process per run directory: an exclusive fcntl lock on `<run>/.lock`, held while the run is open.

The kernel drops the lock when its holder exits, however it exits (kill -9 included), so a stale lock file
never blocks a later run; the pid written into it only names the holder in the refusal.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from learnless.errors import ConfigError

LOCK_NAME = ".lock"


class RunDirInUse(ConfigError):
    """Another process holds the run directory."""


# path -> [fd, holders]: a process that opens its own run directory twice shares one lock (flock locks
# belong to open file descriptions, so a second fd would refuse its own process)
_held: dict[str, list[int]] = {}


def acquire(run_dir: str | os.PathLike) -> str:
    """Lock `run_dir` for this process; RunDirInUse naming the holder's pid when another process has it."""
    key = os.path.realpath(run_dir)
    if key in _held:
        _held[key][1] += 1
        return key
    path = Path(key) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise RunDirInUse(f"run directory {run_dir} is in use by pid {holder}; wait for it to finish, or "
                          "choose another --out") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held[key] = [fd, 1]
    return key


def release(key: str) -> None:
    entry = _held.get(key)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        del _held[key]
        os.close(entry[0])  # closing the descriptor drops the flock


def swap_in(new_key: str, key: str) -> None:
    """After the directory locked as `new_key` was swapped into `key`'s place: drop the old directory's lock,
    and know the new one's under `key`."""
    old = _held.pop(key, None)
    fd, _ = _held.pop(new_key)
    _held[key] = [fd, old[1] if old is not None else 1]
    if old is not None:
        os.close(old[0])


def holds(run_dir: str | os.PathLike) -> bool:
    return os.path.realpath(run_dir) in _held
