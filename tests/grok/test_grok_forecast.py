import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from learnless.errors import DataError
from learnless.grok.forecast import GrokForecaster, held_out_scores, load_runs, outcome_of

SRC = str(Path(__file__).resolve().parents[2] / "src")
CONSOLE = str(Path(sys.executable).with_name("learnless"))


def synthetic_runs(seed=0):
    """Runs with a known law: a network of K >= M groks from 3 M ln M pairs on, at epoch 2000 / r^2 (times
    noise up to 10 %); below it memorises; a network of K < M/2 fails to fit."""
    rng = np.random.default_rng(seed)
    runs = []
    for m in (11, 13, 17, 19, 23, 29, 31, 37):
        for ratio in (1.5, 2, 2.5, 3.5, 4, 5, 6):
            for k in (2, 4, 64, 256):
                n = round(ratio * m * math.log(m))
                big = k >= m
                grok = big and ratio >= 3
                fit = k >= m / 2
                runs.append({
                    "group": f"Z{m}", "order": m, "n_train": n, "hidden": k, "lr": 0.01, "weight_decay": 1e-3,
                    "epochs": 1000, "centring": "sample", "grokked": grok,
                    "grok_epoch": round(2000 / ratio**2 * rng.uniform(0.9, 1.1)) if grok else None,
                    "train_acc": 1.0 if fit else 0.3,
                })
    return runs


def test_outcome_of():
    assert outcome_of(1.0, 0.97) == "grok"
    assert outcome_of(0.995, 0.2) == "memorise"
    assert outcome_of(0.5, 0.1) == "fail"
    assert outcome_of(None, None, grokked=False) is None
    assert outcome_of(None, None, grokked=True) == "grok"


def test_forecaster_recovers_a_known_law():
    f = GrokForecaster().fit(synthetic_runs())
    base = {"group": "Z41", "order": 41, "hidden": 256, "lr": 0.01, "weight_decay": 1e-3, "epochs": 1000,
            "centring": "sample"}
    mlm = 41 * math.log(41)
    hi = f.forecast({**base, "n_train": round(5 * mlm)})
    assert hi["outcome"] == "grok"
    assert hi["grok_epoch_low"] <= 2000 / 25 <= hi["grok_epoch_high"]
    assert f.forecast({**base, "n_train": round(1.5 * mlm)})["outcome"] == "memorise"
    assert f.forecast({**base, "hidden": 2, "n_train": round(5 * mlm)})["outcome"] == "fail"
    p = f.forecast({**base, "n_train": round(4 * mlm)})
    assert abs(p["p_grok"] + p["p_memorise"] + p["p_fail"] - 1) < 1e-9


def test_held_out_scores_on_a_known_law():
    s = held_out_scores(synthetic_runs(), level=0.8)
    assert s["outcome_runs"] == len(synthetic_runs())
    assert s["outcome_accuracy"] >= 0.9
    assert s["interval_coverage"] >= 0.8
    assert {g["group"] for g in s["per_group"]} == {f"Z{m}" for m in (11, 13, 17, 19, 23, 29, 31, 37)}


def test_fit_needs_runs():
    with pytest.raises(DataError):
        GrokForecaster().fit([])


def test_shipped_runs_cover_every_outcome():
    runs = load_runs()
    outcomes = {outcome_of(r["train_acc"], None, r["grokked"]) for r in runs}
    assert {"grok", "memorise", "fail"} <= outcomes
    assert len({r["group"] for r in runs}) >= 5


def console(args, tmp_path):
    env = {**os.environ, "PYTHONPATH": SRC, "LEARNLESS_PROGRESS": "0"}
    return subprocess.run([CONSOLE, *args], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120, check=False)


def test_forecast_cli_json(tmp_path):
    r = console(["grok", "forecast", "--group", "Z41", "--train-frac", "0.5", "--json"], tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["outcome"] in ("memorise", "grok", "fail")
    assert out["grok_epoch_low"] <= out["grok_epoch"] <= out["grok_epoch_high"]
    assert out["n_train"] == round(0.5 * 41**2)
    assert out["outcome"] == "grok"  # 7.7 M ln M pairs: far above every boundary measured


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--group", "Q7"], "group"),
        (["--train-frac", "0"], "--train-frac"),
        (["--train-frac", "1.2"], "--train-frac"),
        (["--set", "hidden=0"], "hidden"),
    ],
)
def test_forecast_cli_bad_input(tmp_path, args, needle):
    r = console(["grok", "forecast", *args, "--json"], tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert r.stdout == ""
