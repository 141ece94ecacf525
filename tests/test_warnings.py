"""Python warnings reach the user as one `warning: <message>` line on stderr — from the command's own
process and from its local worker processes alike — never Python's two-line file:line + source echo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SCRIPT = Path(sys.executable).with_name("learnless")
LEARNLESS = str(_SCRIPT) if _SCRIPT.exists() else shutil.which("learnless")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]), "LEARNLESS_PROGRESS": "0"}


def warn_and_return(x):
    """Run in a spawned worker (importable as tests.test_warnings)."""
    warnings.warn(f"probe {x}\nsecond line", UserWarning)
    return x


def test_a_library_warning_in_recommend_run_is_one_stderr_line(tmp_path):
    # most items belong to one user only: the held-out ones have no train interaction (cold items)
    rows = [(u, i) for u in range(30) for i in (0, 1, 100 + u, 200 + u, 300 + u)]
    path = tmp_path / "clicks.csv"
    path.write_text("user,item,timestamp\n" + "".join(f"{u},{i},{n}\n" for n, (u, i) in enumerate(rows)))
    assert LEARNLESS, "the learnless console script is not installed"
    r = subprocess.run([LEARNLESS, "recommend", "run", "--dataset", str(path), "--format", "interactions-csv",
                        "--model", "gte", "--out", str(tmp_path / "run")],
                       capture_output=True, text=True, env=ENV, check=False)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines and all(ln.startswith("warning: ") for ln in lines), r.stderr
    assert any("cold items" in ln for ln in lines) and "cold items" not in r.stdout


def test_worker_process_warnings_keep_the_one_line_format():
    code = ("import warnings\nfrom learnless.cli.main import _one_line_warning\n"
            "warnings.showwarning = _one_line_warning\n"
            "from learnless.runtime.executor import LocalExecutor\n"
            "from tests.test_warnings import warn_and_return\n"
            "print(LocalExecutor(2).map(warn_and_return, [1, 2]))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=ROOT,
                       check=False)
    assert r.returncode == 0 and r.stdout.strip() == "[1, 2]", r.stderr
    assert sorted(r.stderr.strip().splitlines()) == ["warning: probe 1 second line",
                                                     "warning: probe 2 second line"]


def test_without_the_cli_hook_workers_keep_python_defaults():
    from learnless.runtime.executor import _warning_hook

    saved = warnings.showwarning
    try:
        warnings.showwarning = lambda *a, **k: None  # a user's own hook is not learnless's to forward
        assert _warning_hook() is None
    finally:
        warnings.showwarning = saved
