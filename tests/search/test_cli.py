import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).with_name("learnless")


def cli(*args):
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "LEARNLESS_PROGRESS": "0"}
    return subprocess.run([str(EXE), "search", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300, check=False)


def test_run_resume_show(tmp_path):
    out = tmp_path / "run"
    args = ["run", "--supernet", "tests.search.toy:factory", "--objectives", "score:max", "cost:min",
            "--tactic", "evolutionary", "--evals", "16", "--population", "8", "--out", str(out), "--json"]
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["evaluations"] == 16 and m["failed"] == 0 and len(m["reference_point"]) == 2
    assert (out / "front.csv").read_text().startswith("depth")
    assert (out / "journal.jsonl").exists() and (out / "front.png").exists()
    r = cli("resume", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["replayed_from_journal"] == 16
    r = cli("show", str(out))
    assert r.returncode == 0 and "hypervolume" in r.stdout


@pytest.mark.parametrize("args, msg", [
    (["--objectives", "accuracy:max"], "not provided"),
    (["--objectives", "score:up"], "NAME:min"),
    (["--objectives", "score:max", "--evals", "4"], "smaller than --population"),
    (["--objectives", "score:max", "--tactic", "nope"], "tactic"),
    (["--objectives", "score:max", "--constraint", "cost<3"], "constraint"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, args, msg):
    r = cli("run", "--supernet", "tests.search.toy:factory", "--out", str(tmp_path / "r"), *args)
    assert r.returncode == 2, r.stderr
    assert msg in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_bad_supernet_paths(tmp_path):
    for i, (spec, msg) in enumerate((("tests.search.nope:factory", "cannot load"),
                                     ("tests.search.toy:not_a_supernet", "lacks"))):
        r = cli("run", "--supernet", spec, "--objectives", "a:max", "--out", str(tmp_path / f"r{i}"))
        assert r.returncode == 2 and msg in r.stderr, r.stderr
    r = cli("resume", str(tmp_path / "missing"))
    assert r.returncode == 2 and "not a search run directory" in r.stderr


def test_set_passes_factory_arguments_and_resumes_with_them(tmp_path):
    out = tmp_path / "run"
    args = ["run", "--supernet", "tests.search.toy:scaled", "--objectives", "score:max", "cost:min",
            "--tactic", "random", "--evals", "8", "--population", "8"]
    r = cli(*args, "--supernet-arg", "cost_scale=10", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "config.json").read_text())["params"]["supernet_params"] == {"cost_scale": 10}
    costs = [float(row.split(",")[-1]) for row in (out / "front.csv").read_text().splitlines()[1:]]
    assert costs and all(c % 10 == 0 for c in costs)  # every cost is 10 x a sum of squares of 1..3
    r = cli("resume", str(out), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["replayed_from_journal"] == 8, r.stderr
    plain = cli(*args, "--out", str(out))  # the same directory without --set: a different run
    assert plain.returncode == 2 and "with other parameters" in plain.stderr, plain.stderr


@pytest.mark.parametrize("pairs, msg", [
    (["scale=2"],
     "--supernet-arg: unknown key 'scale' for --supernet tests.search.toy:scaled; valid keys: cost_scale"),
    (["device=cpu"], "--supernet-arg device: use --device"),
    (["cost_scale"], "--supernet-arg: expected KEY=VALUE, got 'cost_scale'"),
])
def test_bad_set_is_one_line_exit_2(tmp_path, pairs, msg):
    extra = [a for p in pairs for a in ("--supernet-arg", p)]
    r = cli("run", "--supernet", "tests.search.toy:scaled", "--objectives", "score:max", *extra,
            "--out", str(tmp_path / "r"))
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [f"error: {msg}"], r.stderr


def test_supernet_arg_help_lists_the_factory_arguments_on_stdout(tmp_path):
    r = cli("run", "--supernet", "tests.search.toy:scaled", "--objectives", "score:max",
            "--supernet-arg", "help", "--out", str(tmp_path / "r"))
    assert r.returncode == 0 and "cost_scale" in r.stdout and r.stderr == "", r.stderr
    assert not (tmp_path / "r").exists()


def test_resume_with_more_evals_extends_a_finished_search(tmp_path):
    out = tmp_path / "run"
    args = ["run", "--supernet", "tests.search.toy:scaled", "--objectives", "score:max", "cost:min",
            "--tactic", "random", "--evals", "8", "--population", "8", "--out", str(out), "--json"]
    assert cli(*args).returncode == 0
    r = cli("resume", str(out), "--evals", "16", "--json")
    assert r.returncode == 0, r.stderr
    metrics = json.loads(r.stdout)
    assert metrics["evaluations"] == 16 and metrics["replayed_from_journal"] == 8
    assert json.loads((out / "config.json").read_text())["params"]["evals"] == 16
    fewer = cli("resume", str(out), "--evals", "4")
    assert fewer.returncode == 2 and fewer.stderr.startswith("error: --evals 4"), fewer.stderr
