"""The fault matrix of run directories: five faults x five commands, through the console script.

Faults: kill -9 mid-run (then resume), a second writer while a run is in progress, a torn last journal line,
--force onto another experiment, resume after a data file changed. Commands: classify run, classify
depth-study, search run (a user super-network whose metrics come from a data file), grok scaling
(--workers 2) and relate stitch (MNIST from a copy of the data directory). Per cell it records what happened
and counts records lost, records silently reused, unusable directories and orphaned processes.

    nice -n 5 python benchmarks/fault_matrix.py            # -> benchmarks/results/fault_matrix.json, .md
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("learnless"))


def write_graph(folder: Path, n_per_class: int = 100, classes: int = 3, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(classes), n_per_class)
    n = len(y)
    edges = set()
    for i in range(n):
        for _ in range(4):
            j = int(rng.choice(np.flatnonzero(y == y[i]))) if rng.random() < 0.7 else int(rng.integers(n))
            if j != i:
                edges.add((i, j))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edges.csv").write_text("source,target\n" + "".join(f"{a},{b}\n" for a, b in sorted(edges)))
    centroids = rng.normal(size=(classes, 16))
    np.save(folder / "features.npy", (rng.normal(size=(n, 16)) * 2 + centroids[y]).astype(np.float32))
    (folder / "labels.csv").write_text("".join(f"{c}\n" for c in y))
    return folder


def perturb_mnist(data: Path) -> None:
    path = data / "mnist" / "t10k-images-idx3-ubyte.gz"
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[16:16 + 784] = bytes(255 - b for b in raw[16:16 + 784])  # invert the first image
    path.chmod(0o644)
    path.write_bytes(gzip.compress(bytes(raw)))


def commands(work: Path) -> dict:
    g = write_graph(work / "graph")
    toy = work / "toy.json"
    toy.write_text(json.dumps({"offset": 0.0}))
    graph = ["-d", str(g), "--format", "graph-files"]
    return {
        "classify run": {
            "args": ["classify", "run", *graph, "--model", "dgmlp", "--seeds", "6", "--set", "epochs=300"],
            "other": ["classify", "run", *graph, "--model", "dgmlp", "--seeds", "10", "--set", "epochs=500"],
            "other_units": 10,
            "mutate": lambda: np.save(g / "features.npy",
                                      np.random.default_rng(9).normal(size=(300, 16)).astype(np.float32)),
            "units": 6},
        "classify depth-study": {
            "args": ["classify", "depth-study", *graph, "--quick", "--seeds", "2"],
            "other": ["classify", "depth-study", *graph, "--quick", "--seeds", "2", "--train-per-class",
                      "10"],
            "other_units": 24,
            "mutate": lambda: np.save(g / "features.npy",
                                      np.random.default_rng(8).normal(size=(300, 16)).astype(np.float32)),
            "units": 24},
        "search run": {
            "args": ["search", "run", "--supernet", "tests.runtime.trust_toys:from_file", "--objectives",
                     "score:max", "cost:min", "--tactic", "random", "--evals", "64", "--population", "8"],
            "other": ["search", "run", "--supernet", "tests.runtime.trust_toys:from_file", "--objectives",
                      "score:max", "cost:min", "--tactic", "random", "--evals", "112", "--population", "8",
                      "--seed", "1"],
            "other_units": 112,
            "mutate": lambda: toy.write_text(json.dumps({"offset": 1.0})),
            "units": 64},
        "grok scaling": {
            "args": ["grok", "scaling", "--groups", "Z11,Z13,Z17", "--seeds", "2", "--ratios", "2,3,4",
                     "--workers", "2"],
            "other": ["grok", "scaling", "--groups", "Z11,Z13,Z17,Z19", "--seeds", "2", "--ratios", "2,3,5",
                      "--workers", "2"],
            "other_units": 8,
            "mutate": None,  # generated data: the generator and its parameters are the identity
            "units": 6},
        "relate stitch": {
            "args": ["relate", "stitch", "--dataset", "mnist", "--seeds", "3", "--arch", "mlp", "--epochs",
                     "3", "--anchors", "50"],
            "other": ["relate", "stitch", "--dataset", "mnist", "--seeds", "3", "--arch", "mlp", "--epochs",
                      "3", "--anchors", "60"],
            "other_units": 6,
            "mutate": lambda: perturb_mnist(work / "data"),
            "units": 6},
    }


def env(work: Path) -> dict:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "LEARNLESS_DATA": str(work / "data"),
            "LEARNLESS_TOY_DATA": str(work / "toy.json"), "LEARNLESS_PROGRESS": "0",
            "RAY_AUTH_MODE": "disabled"}


def records(journal: Path) -> dict[str, str]:
    """key -> raw line of every whole record (the header excluded), and the count of unreadable lines."""
    out = {}
    if not journal.exists():
        return out
    for line in journal.read_bytes().split(b"\n"):
        try:
            rec = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(rec, dict) and rec.get("key") not in (None, "__experiment__"):
            out[rec["key"]] = line.decode()
    return out


MARK = "fault-matrix-mark"


def mark(out: Path) -> Path:
    """A file in the run directory: gone once the directory has been replaced."""
    (out / MARK).write_text("")
    return out / MARK


def reused(journal: Path, marker: Path, n_before: int, units: int) -> int:
    """Units a run did not compute itself: the units it needed minus the records it wrote (all the records
    when the directory was replaced, else those appended)."""
    after = len(records(journal))
    wrote = after if not marker.exists() else after - n_before
    return max(0, units - wrote)


def bad_lines(journal: Path) -> int:
    n = 0
    for line in journal.read_bytes().split(b"\n"):
        if line.strip():
            try:
                json.loads(line)
            except (ValueError, UnicodeDecodeError):
                n += 1
    return n


def children(pid: int) -> set[int]:
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


def descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        for c in children(todo.pop()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def run(args, out, work, timeout=900):
    return subprocess.run([EXE, *args, "--out", str(out)], capture_output=True, text=True, env=env(work),
                          cwd=ROOT, timeout=timeout, check=False)


def start(args, out, work):
    return subprocess.Popen([EXE, *args, "--out", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env(work), cwd=ROOT)


def wait_for_records(journal: Path, proc, n: int = 1, timeout: float = 600, marker=None) -> bool:
    """True once `proc` (still running) has journaled `n` records — in a replaced directory when `marker`
    (a file of the old one) is given."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if len(records(journal)) >= n and (marker is None or not marker.exists()):
            return True
        time.sleep(0.2)
    return False


def one_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.strip()]
    return lines[-1] if lines else ""


def matrix_for(name: str, spec: dict, work: Path) -> dict:
    out = work / name.replace(" ", "-")
    journal = out / "journal.jsonl"
    cells = {}

    # kill -9 while units are still running, then resume
    first = start(spec["args"], out, work)
    caught = wait_for_records(journal, first)
    kids = descendants(first.pid)
    before = records(journal)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(k) for k in kids):
        time.sleep(0.2)
    orphans = [k for k in kids if alive(k)]
    for k in orphans:  # leave nothing behind, whatever the result
        os.kill(k, signal.SIGKILL)
    resumed = run(spec["args"], out, work)
    after = records(journal)
    cells["kill -9 mid-run"] = {
        "killed_mid_run": caught and len(before) < spec["units"], "records_before_kill": len(before),
        "processes_under_parent": len(kids), "orphans_after_10s": len(orphans),
        "resume_exit": resumed.returncode, "resume_said": one_line(resumed.stderr),
        "records_after_resume": len(after), "records_lost": sum(1 for k in before if k not in after),
        "bad_lines": bad_lines(journal), "units": spec["units"],
    }

    # a torn last line
    before = records(journal)
    with open(journal, "ab") as fh:
        fh.write(b'{"key": "torn", "value": {"sta')
    torn = run(spec["args"], out, work)
    after = records(journal)
    cells["torn last line"] = {
        "exit": torn.returncode, "warned": "dropped a torn last line" in torn.stderr,
        "records_lost": sum(1 for k in before if k not in after), "bad_lines_after": bad_lines(journal),
    }

    # resume after the data changed
    if spec["mutate"] is None:
        cells["data file changed"] = {
            "applicable": False, "why": "generated data: the generator and its parameters key every unit"}
    else:
        before, marker = records(journal), mark(out)
        spec["mutate"]()
        changed = run(spec["args"], out, work)
        silently = reused(journal, marker, len(before), spec["units"]) if changed.returncode == 0 else 0
        before, marker = records(journal), mark(out)
        forced = run([*spec["args"], "--force"], out, work)
        cells["data file changed"] = {
            "exit": changed.returncode, "said": one_line(changed.stderr), "silently_reused": silently,
            "force_exit": forced.returncode,
            "reused_after_force": reused(journal, marker, len(before), spec["units"]),
        }

    # --force onto another experiment, with a second writer arriving while it runs
    before, marker = records(journal), mark(out)
    first = start([*spec["other"], "--force"], out, work)
    caught = wait_for_records(journal, first, marker=marker) and first.poll() is None
    second = run(spec["other"], out, work)
    overlapped = first.poll() is None  # the first still ran when the second gave up
    first_exit = first.wait()
    cells["second writer"] = {
        "second_exit": second.returncode, "second_said": one_line(second.stderr),
        "overlapped": caught and overlapped,
        "refused": second.returncode == 2 and "in use by pid" in second.stderr,
        "bad_lines_after": bad_lines(journal),
    }
    again = run(spec["other"], out, work)
    cells["--force onto another experiment"] = {
        "exit": first_exit, "silently_reused": reused(journal, marker, len(before), spec["other_units"]),
        "resume_exit": again.returncode, "unusable": int(first_exit != 0 or again.returncode != 0),
        "leftovers": sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")),
    }
    return cells


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"),
                    help="directory for fault_matrix.json and fault_matrix.md")
    ap.add_argument("--only", nargs="*", help="command names to run (default: all five)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from learnless.report.results import save_result
    from learnless.runtime.rundir import write_json_atomic

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="fault-matrix-"))
    shared = Path(os.environ.get("LEARNLESS_DATA", ROOT.parent / "shared" / "data"))
    (work / "data").mkdir()
    shutil.copytree(shared / "mnist", work / "data" / "mnist")
    for p in (work / "data" / "mnist").iterdir():
        p.chmod(0o644)
    specs = commands(work)
    t0 = time.perf_counter()
    matrix = {}
    try:
        for name, spec in specs.items():
            if args.only and name not in args.only:
                continue
            t = time.perf_counter()
            matrix[name] = matrix_for(name, spec, work)
            matrix[name]["seconds"] = round(time.perf_counter() - t, 1)
            print(name, json.dumps(matrix[name]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [row for name, cells in matrix.items() for row in table_rows(name, cells)]
    totals = {k: sum(r[k] for r in rows) for k in ("records_lost", "silently_reused", "unusable_directories",
                                                  "orphaned_processes")}
    path = save_result("fault_matrix", rows, directory=Path(args.out), params={"commands": list(matrix)},
                       summary=totals, notes=(f"load average {load_before[0]:.1f} before, "
                                              f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs; "
                                              f"{time.perf_counter() - t0:.0f} s"))
    doc = json.loads(path.read_text())
    write_json_atomic(path, {**doc, "details": {"cells": matrix}})  # the raw measurements behind the rows
    print(json.dumps(totals))


def table_rows(name: str, cells: dict) -> list[dict]:
    """One row per fault: what happened, and the four counts that must be 0."""
    k, w, t = cells["kill -9 mid-run"], cells["second writer"], cells["torn last line"]
    d, f = cells["data file changed"], cells["--force onto another experiment"]
    zero = {"records_lost": 0, "silently_reused": 0, "unusable_directories": 0, "orphaned_processes": 0}
    rows = [
        {"command": name, "fault": "kill -9 mid-run", **zero, "records_lost": k["records_lost"],
         "unusable_directories": int(k["resume_exit"] != 0), "orphaned_processes": k["orphans_after_10s"],
         "what happened": (f"killed {'mid-run' if k['killed_mid_run'] else 'NOT mid-run'} with "
                           f"{k['records_before_kill']}/{k['units']} units journaled and "
                           f"{k['processes_under_parent']} child processes; resume exit {k['resume_exit']}, "
                           f"{k['records_after_resume']} records, {k['bad_lines']} unreadable lines")},
        {"command": name, "fault": "second writer", **zero,
         "records_lost": w["bad_lines_after"],
         "what happened": (f"{'while the first ran' if w['overlapped'] else 'NOT while the first ran'}: "
                           f"second process exit {w['second_exit']}: {w['second_said'][:90]}")},
        {"command": name, "fault": "torn last line", **zero, "records_lost": t["records_lost"],
         "unusable_directories": int(t["exit"] != 0),
         "what happened": f"resume exit {t['exit']}, warned: {t['warned']}, unreadable lines after: "
                          f"{t['bad_lines_after']}"},
    ]
    if d.get("applicable", True):
        rows.append({"command": name, "fault": "data file changed", **zero,
                     "silently_reused": d["silently_reused"] + d["reused_after_force"],
                     "unusable_directories": int(d["force_exit"] != 0),
                     "what happened": f"exit {d['exit']}: {d['said'][:90]}; --force exit {d['force_exit']}"})
    else:
        rows.append({"command": name, "fault": "data file changed", **zero, "what happened": d["why"]})
    rows.append({"command": name, "fault": "--force onto another experiment", **zero,
                 "silently_reused": f["silently_reused"], "unusable_directories": f["unusable"],
                 "what happened": (f"exit {f['exit']}, then resume exit {f['resume_exit']}; "
                                   f"hidden leftovers: {len(f['leftovers'])}")})
    return rows


if __name__ == "__main__":
    main()
