"""sha256, size and pinned source address of every file in the shared benchmark data.

The table is the package resource `checksums.json`, generated once from ../shared/data/MANIFEST.md (the files
as published upstream, byte for byte); the package never reads MANIFEST at run time. Addresses are pinned to
the upstream commit the checksums were taken at."""

from __future__ import annotations

import json
from importlib import resources


def _load() -> dict[str, tuple[str, int, str]]:
    text = resources.files("learnless.data").joinpath("checksums.json").read_text(encoding="utf-8")
    return {path: (e["sha256"], e["bytes"], e["url"]) for path, e in json.loads(text).items()}


# path relative to the data directory: (sha256, bytes, canonical download address)
SHARED_FILES: dict[str, tuple[str, int, str]] = _load()
