"""Where datasets live: --data-dir, else $LEARNLESS_DATA, else the user cache."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "LEARNLESS_DATA"
CACHE_ENV_VAR = "LEARNLESS_CACHE"


def cache_dir() -> Path:
    """The user cache (downloads and processed datasets): $LEARNLESS_CACHE, else the platform's cache dir."""
    env = os.environ.get(CACHE_ENV_VAR)
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("learnless"))


def processed_dir() -> Path:
    """Where parsed datasets are cached (keyed by their raw files' checksums)."""
    return cache_dir() / "processed"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory in force: the explicit override, else $LEARNLESS_DATA, else the user cache."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return cache_dir()
