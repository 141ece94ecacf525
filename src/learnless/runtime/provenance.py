"""Where a result came from: package version, git commit, command, date, CPU count, load, input checksums."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

# written by benchmarks (results, generated pages, figures): a checkout whose only changes are here is clean
OUTPUTS = ("benchmarks/results", "docs")


def git_commit(start: Path | None = None) -> str | None:
    """The commit of the checkout holding this package (or `start`), with `+dirty` for local changes; None
    when it is not a git checkout (an installed wheel). Changes under benchmarks/results/ and docs/ do not
    count: they are what benchmarks write, not the code that computed them."""
    where = Path(start) if start is not None else Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        outputs = [f":(top,exclude){p}" for p in OUTPUTS]
        dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "--untracked-files=no",
                                "--", ":(top)", *outputs],
                               capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+dirty" if dirty else "") if commit else None


def provenance(inputs: dict[str, str | os.PathLike] | None = None, command: list[str] | None = None) -> dict:
    """A dict for config.json and benchmark results. `inputs`: name -> file, each recorded with its sha256."""
    from learnless import __version__
    from learnless.data.integrity import sha256_file

    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - not on every platform
        load = None
    out = {
        "learnless_version": __version__,
        "git_commit": git_commit(),
        "command": " ".join(command if command is not None else [Path(sys.argv[0]).name, *sys.argv[1:]]),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": load,
    }
    if inputs:
        out["inputs"] = {name: {"path": str(p), "sha256": sha256_file(p)} for name, p in inputs.items()
                         if Path(p).is_file()}
    return out
