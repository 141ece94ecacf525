"""Shared fixtures. Real data comes from $LEARNLESS_DATA; under CI (CI=true) its absence fails the test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("LEARNLESS_PROGRESS", "0")
# Beside a checkout of the project, ../shared/data is the real-data directory unless LEARNLESS_DATA says
# otherwise.
_BESIDE = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if "LEARNLESS_DATA" not in os.environ and _BESIDE.is_dir():
    os.environ["LEARNLESS_DATA"] = str(_BESIDE)
os.environ.setdefault("RAY_AUTH_MODE", "disabled")


def _shared_root() -> Path | None:
    env = os.environ.get("LEARNLESS_DATA")
    if env and Path(env).is_dir():
        return Path(env)
    return None


def require_shared(*relative: str) -> Path:
    """The shared data directory, with `relative` files checked to exist. Fails under CI, skips elsewhere."""
    root = _shared_root()
    missing = [r for r in relative if root is None or not (root / r).exists()]
    if root is None or missing:
        what = f"LEARNLESS_DATA={os.environ.get('LEARNLESS_DATA')!r}" if root is None else ", ".join(missing)
        message = f"shared data not available: {what}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return root


@pytest.fixture
def shared_data() -> Path:
    return require_shared()
