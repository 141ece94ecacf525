"""`learnless runs list/show` through the console script."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from learnless.runtime import RunDir

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _cli(*args, cwd=None):
    exe = shutil.which("learnless") or str(Path(sys.executable).parent / "learnless")
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [exe, *args], check=False, capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_list_and_show(tmp_path):
    a = RunDir.open("x", "a", tmp_path / "runs" / "a", command="learnless x run", params={"k": 1})
    a.write_metrics({"acc": 0.5})
    a.close()
    b = RunDir.open("x", "b", tmp_path / "runs" / "b", command="learnless x run", params={"k": 2})
    b.close()
    out = _cli("runs", "list", str(tmp_path / "runs"), "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {Path(r["path"]).name: r["status"] for r in rows} == {"a": "finished", "b": "unfinished"}
    shown = _cli("runs", "show", str(tmp_path / "runs" / "a"), str(tmp_path / "runs" / "b"), "--json")
    assert shown.returncode == 0, shown.stderr
    both = json.loads(shown.stdout)
    assert [r["params"]["k"] for r in both] == [1, 2] and both[0]["metrics"] == {"acc": 0.5}


def test_errors_are_one_line_exit_2(tmp_path):
    missing = _cli("runs", "list", str(tmp_path / "nope"))
    assert (
        missing.returncode == 2 and missing.stderr.strip().startswith("error:") and "nope" in missing.stderr
    )
    notrun = _cli("runs", "show", str(tmp_path))
    assert notrun.returncode == 2 and "not a run directory" in notrun.stderr
    assert len(notrun.stderr.strip().splitlines()) == 1
