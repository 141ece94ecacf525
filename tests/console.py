"""The installed `learnless` console script, run as a user runs it (CLI errors are tested through it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SCRIPT = Path(sys.executable).with_name("learnless")
LEARNLESS = str(_SCRIPT) if _SCRIPT.exists() else shutil.which("learnless")
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LEARNLESS_PROGRESS": "0"}


def console(*args, **kwargs):
    """CompletedProcess of `learnless *args` (text, captured, never raising on a non-zero exit)."""
    assert LEARNLESS, "the learnless console script is not installed"
    return subprocess.run([LEARNLESS, *map(str, args)], capture_output=True, text=True, env=ENV, check=False,
                          **kwargs)
