"""Runs you can trust, through the console script: a directory used twice, a second process, damaged
journals and config files, --force over another run, searches whose evaluations fail, workers whose parent
is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.console import ENV, LEARNLESS, ROOT

SEARCH = ["search", "run", "--objectives", "score:max", "cost:min", "--tactic", "random", "--evals", "8",
          "--population", "8"]
TOY = "tests.search.toy:factory"


def env():
    return {**ENV, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}


def run(*args, env_extra=None):
    return subprocess.run([LEARNLESS, *map(str, args)], capture_output=True, text=True,
                          env={**env(), **(env_extra or {})}, cwd=ROOT, check=False, timeout=300)


def one_line_error(proc, *needles):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def journal_lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_force_over_another_search_replaces_the_whole_directory_and_it_resumes(tmp_path):
    out = tmp_path / "s"
    assert run(*SEARCH, "--supernet", TOY, "--seed", "0", "--out", out).returncode == 0
    (out / "stray.txt").write_text("left by the old run")
    r = run(*SEARCH, "--supernet", TOY, "--seed", "1", "--out", out, "--force", "--json")
    assert r.returncode == 0, r.stderr
    assert not (out / "stray.txt").exists()  # the old directory went whole
    assert len(journal_lines(out / "journal.jsonl")) == 1 + 8  # the header and this search's records only
    r = run("search", "resume", out, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["replayed_from_journal"] == 8, r.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half-built leftovers


def test_force_of_another_command_leaves_nothing_of_the_old_run(tmp_path):
    out = tmp_path / "r"
    out.mkdir()
    grok = {"command": "learnless grok scaling", "params": {"seeds": 1}}
    (out / "config.json").write_text(json.dumps(grok))
    (out / "journal.jsonl").write_text('{"key": "k", "value": 1}\n')
    (out / "scaling.json").write_text("{}")
    cmd = ["relate", "invariance", "--seeds", "1", "--anchors", "10", "--out", out]
    one_line_error(run(*cmd), "--force")
    assert run(*cmd, "--force").returncode == 0
    assert not (out / "journal.jsonl").exists() and not (out / "scaling.json").exists()
    assert json.loads((out / "config.json").read_text())["command"] == "learnless relate invariance"


HOLD = """
import sys, time
from learnless.runtime import RunDir
RunDir.open("search", "x", sys.argv[1], command="learnless search run", params={})
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_process_on_a_run_directory_in_use_is_refused(tmp_path):
    out = tmp_path / "s"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD), str(out)], env=env(),
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        line = one_line_error(run(*SEARCH, "--supernet", TOY, "--out", out), "is in use by pid")
        assert str(holder.pid) in line
    finally:
        holder.kill()
        holder.wait()
    assert run(*SEARCH, "--supernet", TOY, "--out", out, "--force").returncode == 0  # free once it exits


def test_a_second_search_on_a_running_one_is_refused_and_nothing_is_lost(tmp_path):
    out = tmp_path / "s"
    args = [LEARNLESS, "search", "run", "--objectives", "score:max", "cost:min", "--tactic", "random",
            "--evals", "64", "--population", "8", "--supernet", "tests.runtime.trust_toys:slow", "--out",
            str(out)]
    first = subprocess.Popen(args, env=env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None:  # running, with a record on disk
        if (out / "journal.jsonl").exists() and len((out / "journal.jsonl").read_text().splitlines()) >= 2:
            break
        time.sleep(0.1)
    second = subprocess.run(args, env=env(), cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    still_running = first.poll() is None
    assert first.wait(120) == 0, first.stderr.read()
    assert still_running, "the first search ended before the second started; make it longer"
    one_line_error(second, "is in use by pid", str(first.pid))
    lines = journal_lines(out / "journal.jsonl")  # every line parses: nothing interleaved
    assert len(lines) == 1 + 64
    r = run("search", "resume", out, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["replayed_from_journal"] == 64, r.stderr


def test_search_resume_survives_every_kind_of_damage(tmp_path):
    out = tmp_path / "s"
    assert run(*SEARCH, "--supernet", TOY, "--out", out).returncode == 0
    path = out / "journal.jsonl"
    raw = path.read_bytes().splitlines(keepends=True)
    header, records = raw[0], raw[1:]
    nan_rec = json.loads(records[1])
    nan_rec["value"]["result"]["metrics"]["score"] = "NaN-marker"
    text_rec = json.dumps(nan_rec).replace('"NaN-marker"', "NaN").encode() + b"\n"
    str_rec = json.loads(records[2])
    str_rec["value"]["result"]["metrics"]["score"] = "high"
    damaged = [header, records[0], b"\xff\xfe\x00binary\n", b'{"value": 5}\n', text_rec,
               json.dumps(str_rec).encode() + b"\n", *records[3:], b'{"key": "torn", "va']
    path.write_bytes(b"".join(damaged))
    r = run("search", "resume", out, "--json")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    warned = [x for x in r.stderr.splitlines() if x.startswith("warning: ")]
    for lineno in (3, 4, 5, 6):
        assert any(f"journal.jsonl:{lineno}: skipped a bad journal record" in w for w in warned), r.stderr
    assert any("dropped a torn last line" in w for w in warned), r.stderr
    m = json.loads(r.stdout)
    assert m["evaluations"] == 8 and m["replayed_from_journal"] == 6  # the two damaged records ran again


def test_broken_config_is_one_line_and_runs_list_shows_it_beside_the_rest(tmp_path):
    good, bad = tmp_path / "runs" / "good", tmp_path / "runs" / "bad"
    assert run(*SEARCH, "--supernet", TOY, "--out", good).returncode == 0
    bad.mkdir(parents=True)
    (bad / "config.json").write_text("[1, 2]")
    one_line_error(run("search", "resume", bad), "config.json")
    r = run("runs", "list", tmp_path / "runs", "--json")
    assert r.returncode == 0, r.stderr
    rows = {Path(x["path"]).name: x for x in json.loads(r.stdout)}
    assert rows["good"]["status"] == "finished" and rows["bad"]["status"].startswith("broken")


def test_a_search_whose_every_evaluation_failed_exits_2_with_the_first_error(tmp_path):
    r = run(*SEARCH, "--supernet", "tests.runtime.trust_toys:broken", "--out", tmp_path / "s")
    line = one_line_error(r, "all 8 evaluations failed; first: MissingFileError")
    assert "LEARNLESS_DATA" in line


def test_a_search_with_some_failures_says_how_many_and_where(tmp_path):
    r = run("search", "run", "--objectives", "score:max", "cost:min", "--tactic", "random", "--evals", "16",
            "--population", "16", "--supernet", "tests.runtime.trust_toys:some_fail", "--out", tmp_path / "s",
            "--json")
    assert r.returncode == 0, r.stderr
    failed = json.loads(r.stdout)["failed"]
    assert failed > 0
    where = tmp_path / "s" / "journal.jsonl"
    said = " ".join(r.stderr.split())
    assert f"warning: {failed} of 16 evaluations failed; the reasons are in {where}" in said


def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def _has_torch(pid: int) -> bool:
    try:
        return "libtorch" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_pool_workers_die_with_a_killed_parent(tmp_path):
    parent = subprocess.Popen([LEARNLESS, "grok", "scaling", "--groups", "Z23,Z31", "--seeds", "2",
                               "--workers", "2", "--out", str(tmp_path / "g")], env=env(), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        kids: set[int] = set()
        while time.monotonic() < deadline:  # the two pool workers are training (torch loaded)
            kids = _children(parent.pid)
            if sum(_has_torch(k) for k in kids) >= 2:
                break
            time.sleep(0.5)
        assert sum(_has_torch(k) for k in kids) >= 2, kids
        time.sleep(2)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.2)
        left = [k for k in kids if _alive(k)]
    finally:
        for k in _children(parent.pid) | kids:
            if _alive(k):
                os.kill(k, signal.SIGKILL)
    assert not left, f"orphans still alive 10 s after kill -9: {left}"


def test_classify_run_on_changed_data_is_refused_then_forced(tmp_path):
    import numpy as np

    from tests.classify.test_split_options import write_graph_files

    g = write_graph_files(tmp_path / "g")
    args = ["classify", "run", "-d", g, "--format", "graph-files", "--model", "sgc", "--seeds", "1", "--set",
            "epochs=10", "--out", tmp_path / "run", "--json"]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    np.save(g / "features.npy", np.random.default_rng(1).normal(size=(300, 16)).astype(np.float32))
    one_line_error(run(*args), "holds another experiment", "data")
    forced = run(*args, "--force")
    assert forced.returncode == 0, forced.stderr
    fresh = run(*args[:-3], "--out", tmp_path / "fresh", "--json")
    assert json.loads(forced.stdout)["test_acc_mean"] == json.loads(fresh.stdout)["test_acc_mean"]
    assert len(journal_lines(tmp_path / "run" / "journal.jsonl")) == 2  # the header and the new seed only


def test_search_on_changed_data_is_refused_naming_the_data(tmp_path):
    toy = tmp_path / "toy.json"
    toy.write_text('{"offset": 0}')
    args = [*SEARCH, "--supernet", "tests.runtime.trust_toys:from_file", "--out", tmp_path / "s"]
    assert run(*args, env_extra={"LEARNLESS_TOY_DATA": str(toy)}).returncode == 0
    toy.write_text('{"offset": 1}')
    one_line_error(run(*args, env_extra={"LEARNLESS_TOY_DATA": str(toy)}), "holds another experiment",
                   "data.files.toy")
