"""`learnless recommend run --model gte --protocol official` against the official HKUDS/GTE `main.py`, as
whole
processes on the same data, in one run.

    LEARNLESS_DATA=../shared/data python benchmarks/recommend_vs_official.py [--dataset amazon_beauty]
        [--official-dir DIR] [--repeats 2]

Each side is a fresh process (interpreter start, imports, data loading, propagation, evaluation): wall time
from spawn to exit, peak RSS from the kernel's rusage of the child (os.wait4). The two sides alternate
(official, learnless, official, ...) so that a change in machine load hits both; the ratios use the medians.

The official code is HKUDS/GTE at commit 25ef46e (main.py, parser.py, utils.py, unchanged), run from a
scratch directory whose data/<dataset> links to the same pickles learnless reads. `--official-dir` points at
a checkout (default: the mirror the lead's `fetch github:HKUDS/GTE` leaves in /work/.mirror); the three files
are read from its git objects when there is no work tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

OFFICIAL_FILES = ("main.py", "parser.py", "utils.py")
DEFAULT_OFFICIAL = Path("/work/.mirror/HKUDS+GTE/repo")
TARGET_SPEED, TARGET_MEMORY = 6.0, 10.0


def official_sources(where: Path) -> dict[str, str]:
    """The official files' text, from a work tree or from the git objects of a bare mirror."""
    out = {}
    for name in OFFICIAL_FILES:
        if (where / name).is_file():
            out[name] = (where / name).read_text()
        else:
            out[name] = subprocess.run(
                ["git", "--git-dir", str(where), "show", f"HEAD:{name}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
    return out


def measure(cmd: list[str], cwd: Path, env: dict) -> dict:
    """Wall seconds and peak RSS (MiB) of one child process, with its stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-500:]}")
    return {"wall_seconds": wall, "peak_rss_mb": usage.ru_maxrss / 1024, "stdout": stdout}


def official_metrics(stdout: str) -> dict:
    line = [ln for ln in stdout.splitlines() if ln.startswith("recall@20")][-1]
    vals = dict(zip(line.split()[0::2], map(float, line.split()[1::2])))
    return {k: vals[k] for k in ("recall@20", "ndcg@20", "recall@40", "ndcg@40")}


def main():
    import json

    from learnless.report import save_result

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="amazon_beauty")
    p.add_argument("--official-dir", type=Path, default=DEFAULT_OFFICIAL)
    p.add_argument("--repeats", type=int, default=2)
    a = p.parse_args()
    data_root = Path(os.environ.get("LEARNLESS_DATA", ROOT.parent / "shared" / "data")) / "gte" / a.dataset
    if not (data_root / "train_mat.pkl").is_file():
        sys.exit(f"error: {data_root}/train_mat.pkl not found (set LEARNLESS_DATA)")
    python = sys.executable
    learnless = str(Path(python).with_name("learnless"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "LEARNLESS_PROGRESS": "0",
        "LEARNLESS_DATA": str(data_root.parents[1]),
    }

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for name, text in official_sources(a.official_dir).items():
            (scratch / name).write_text(text)
        (scratch / "data").mkdir()
        (scratch / "data" / a.dataset).symlink_to(data_root)
        official_cmd = [python, "main.py", "--data", a.dataset, "--k", "3"]
        learnless_cmd = [
            learnless,
            "recommend",
            "run",
            "--dataset",
            a.dataset,
            "--model",
            "gte",
            "--protocol",
            "official",
            "--json",
            "--quiet",
            "--force",
            "--out",
            str(scratch / "run"),
        ]
        for rep in range(a.repeats):
            load = os.getloadavg()[0]
            off = measure(official_cmd, scratch, env)
            rows.append(
                {
                    "side": "official main.py",
                    "repeat": rep,
                    "wall_seconds": off["wall_seconds"],
                    "peak_rss_mb": off["peak_rss_mb"],
                    **official_metrics(off["stdout"]),
                    "load_before": load,
                }
            )
            load = os.getloadavg()[0]
            ours = measure(learnless_cmd, scratch, env)
            m = json.loads(ours["stdout"].strip().splitlines()[-1])
            rows.append(
                {
                    "side": "learnless recommend run",
                    "repeat": rep,
                    "wall_seconds": ours["wall_seconds"],
                    "peak_rss_mb": ours["peak_rss_mb"],
                    **{k: m[k] for k in ("recall@20", "ndcg@20", "recall@40", "ndcg@40")},
                    "load_before": load,
                }
            )
            print(json.dumps(rows[-2:]), flush=True)

    def med(side, key):
        return statistics.median(r[key] for r in rows if r["side"] == side)

    o, s = "official main.py", "learnless recommend run"
    speed = med(o, "wall_seconds") / med(s, "wall_seconds")
    memory = med(o, "peak_rss_mb") / med(s, "peak_rss_mb")
    diff = max(
        abs(r1[k] - r2[k])
        for r1, r2 in zip(rows[0::2], rows[1::2])
        for k in ("recall@20", "ndcg@20", "recall@40", "ndcg@40")
    )
    summary = {
        "dataset": a.dataset,
        "official_wall_s": med(o, "wall_seconds"),
        "learnless_wall_s": med(s, "wall_seconds"),
        "speed_up": speed,
        "official_peak_mb": med(o, "peak_rss_mb"),
        "learnless_peak_mb": med(s, "peak_rss_mb"),
        "memory_ratio": memory,
        "max_metric_diff": diff,
        "targets_met": bool(speed >= TARGET_SPEED and memory >= TARGET_MEMORY),
    }
    print(json.dumps(summary), flush=True)
    save_result(
        "recommend_vs_official",
        rows,
        directory=HERE / "results",
        params={
            "dataset": a.dataset,
            "repeats": a.repeats,
            "official": "HKUDS/GTE main.py @ 25ef46e, k=3",
            "learnless": " ".join(learnless_cmd[1:-2]),
        },
        summary=summary,
        notes=f"Targets: >= {TARGET_SPEED}x faster and >= {TARGET_MEMORY}x less peak memory, whole "
        "processes; max_metric_diff compares the two sides' Recall/NDCG@20/40 run by run.",
    )


if __name__ == "__main__":
    main()
