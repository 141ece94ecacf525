import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from learnless.cli.main import main

SRC = str(Path(__file__).resolve().parents[2] / "src")
CONSOLE = str(Path(sys.executable).with_name("learnless"))


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def run_cli(args, capsys):
    with pytest.raises(SystemExit) as e:
        main(args)
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def console(args, tmp_path):
    env = {**os.environ, "PYTHONPATH": SRC, "LEARNLESS_PROGRESS": "0"}
    return subprocess.run(
        [CONSOLE, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False
    )


def test_train_then_features_then_energy(tmp_path, capsys):
    run = tmp_path / "run"
    code, out, _ = run_cli(
        [
            "grok",
            "train",
            "--group",
            "Z7",
            "--train-frac",
            "0.6",
            "--set",
            "hidden=32",
            "--set",
            "epochs=60",
            "--out",
            str(run),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    m = json.loads(out)
    for key in ("train_acc", "test_acc", "grok_epoch", "memorize_epoch", "seconds"):
        assert key in m
    assert json.loads((run / "metrics.json").read_text()) == m
    cfg = json.loads((run / "config.json").read_text())
    assert cfg["params"]["hidden"] == 32 and cfg["params"]["weight_decay"] == 1e-4  # the library's default
    assert (run / "model.npz").is_file() and (run / "grokking_curve.png").is_file()
    assert "progress grok epochs" in (run / "run.log").read_text()
    code, out, _ = run_cli(["grok", "features", str(run), "--energy-starts", "4", "--json"], capsys)
    assert code == 0
    f = json.loads(out)
    assert 0.0 <= f["concentrated_frac"] <= 1.0 and f["irrep_dims"] == [1] * 7
    assert (run / "spectrum.png").is_file()
    code, out, _ = run_cli(
        [
            "grok",
            "energy",
            "--group",
            "S3",
            "--train-frac",
            "0.7",
            "--set",
            "starts=4",
            "--set",
            "max_steps=200",
            "--out",
            str(tmp_path / "en"),
            "--json",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["starts"] == 4


def test_landscape_json_schema_and_full_table(tmp_path, capsys):
    code, out, _ = run_cli(
        [
            "grok",
            "landscape",
            "--group",
            "Z7",
            "--fracs",
            "0.6,1.0",
            "--landscape-opt",
            "random_starts=4",
            "--landscape-opt",
            "memo_starts=2",
            "--out",
            str(tmp_path / "ls"),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    res = json.loads(out)
    assert res["group"] == "Z7" and [r["train_frac"] for r in res["fractions"]] == [0.6, 1.0]
    for r in res["fractions"]:
        for key in (
            "persist_frac",
            "maxima_energy",
            "closed_form_energy",
            "memorisation_energy",
            "random_on_component_frac",
            "distance_median",
        ):
            assert key in r
    full = res["fractions"][1]
    assert full["persist_frac"] == 1.0
    assert full["maxima_energy"] == pytest.approx(full["closed_form_energy"], rel=1e-4)
    assert full["closed_form_energy"] == pytest.approx(7 / 16)
    assert (tmp_path / "ls" / "landscape.png").is_file()


@pytest.mark.parametrize(
    "args,needle",
    [
        (["grok", "train", "--group", "Q8"], "accepted forms"),
        (["grok", "train", "--group", "Z7", "--train-frac", "1.0"], "train_frac"),
        (["grok", "train", "--group", "Z7", "--train-frac", "0.001"], "non-empty"),
        (["grok", "train", "--group", "Z7", "--set", "hidden=0"], "hidden"),
        (["grok", "train", "--group", "Z7", "--set", "act=tanh"], "act"),
        (["grok", "train", "--group", "Z7", "--set", "loss=ce", "--set", "ridge=1"], "ridge"),
        (["grok", "train", "--group", "Z7", "--set", "wd=1e-3"], "weight_decay"),
        (["grok", "train", "--preset", "fig9"], "preset"),
        (["grok", "energy", "--group", "S9"], "symmetric"),
        (["grok", "landscape", "--group", "Z7", "--fracs", "0,1"], "fracs"),
        (["grok", "scaling", "--groups", "Z7,Zfoo", "--seeds", "1"], "accepted forms"),
        (["grok", "train", "--group", "Z7", "--device", "gpu"], "--device"),
        (["grok", "train", "--group", "Z7", "--set", "device=cpu"], "--device"),
        (["grok", "scaling", "--groups", "Z7", "--device", "tpu"], "--device"),
        pytest.param(
            ["grok", "train", "--group", "Z7", "--device", "cuda"],
            "cuda",
            marks=pytest.mark.skipif(_cuda(), reason="a GPU is present: --device cuda is valid"),
        ),
    ],
)
def test_bad_input_is_one_line_error_through_the_console_script(args, needle, tmp_path):
    p = console(args + ["--out", str(tmp_path / "x")], tmp_path)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("error:") and needle in p.stderr and "Traceback" not in p.stderr


def test_features_without_saved_model(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_cli(["grok", "features", str(empty)], capsys)
    assert code == 2 and "no saved model" in err
    code, _, err = run_cli(["grok", "features", str(tmp_path / "nope")], capsys)
    assert code == 2 and "not a directory" in err


def test_scaling_tiny_sweep(tmp_path, capsys):
    code, out, _ = run_cli(
        [
            "grok",
            "scaling",
            "--groups",
            "Z5,Z7",
            "--seeds",
            "1",
            "--set",
            "hidden=32",
            "--set",
            "epochs=150",
            "--set",
            "lr=0.01",
            "--ratios",
            "2,4",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "s"),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    m = json.loads(out)
    assert set(m["n_star"]) == {"Z5/s0", "Z7/s0"} and m["runs"] >= 2
    res = json.loads((tmp_path / "s" / "scaling.json").read_text())
    for p in res["points"]:
        for t in p["trials"]:
            assert t["n"] in (round(2 * p["m_ln_m"]), round(4 * p["m_ln_m"]), p["total_pairs"] - 1)
    assert np.isfinite([p["m_ln_m"] for p in res["points"]]).all()


def test_scaling_sweep_resumes_from_its_journal(tmp_path, monkeypatch):
    from learnless.grok import scaling

    calls = []
    real = scaling.search_n_star

    def counting(config, seed):
        calls.append((config["group"], seed))
        return real(config, seed)

    monkeypatch.setattr(scaling, "search_n_star", counting)
    kw = {
        "seeds": 1,
        "ratios": (2, 4),
        "trainer": {"hidden": 32, "epochs": 150, "lr": 0.01},
        "workers": 1,
        "journal_path": tmp_path / "j.jsonl",
    }
    first = scaling.scaling_sweep(["Z5"], **kw)  # a sweep "killed" after its first group
    assert calls == [("Z5", 0)] and first["resumed"] == 0
    both = scaling.scaling_sweep(["Z5", "Z7"], **kw)
    assert calls == [("Z5", 0), ("Z7", 0)]  # Z5 was not searched again
    assert both["resumed"] == 1
    assert [p for p in both["points"] if p["group"] == "Z5"] == first["points"]
    scaling.scaling_sweep(["Z5"], **{**kw, "trainer": {**kw["trainer"], "epochs": 151}})  # other settings
    assert calls[-1] == ("Z5", 0) and len(calls) == 3


def test_train_device_cpu_is_recorded(tmp_path, capsys):
    run = tmp_path / "run"
    code, _, _ = run_cli(
        ["grok", "train", "--group", "Z5", "--train-frac", "0.6", "--set", "hidden=8", "--set", "epochs=3",
         "--device", "cpu", "--out", str(run), "--json"],
        capsys,
    )
    assert code == 0
    assert json.loads((run / "config.json").read_text())["params"]["device"] == "cpu"
