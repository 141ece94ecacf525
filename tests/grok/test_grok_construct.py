import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge

from learnless.errors import ConfigError
from learnless.grok.construct import EnergyConstruction, features_of, ridge_loss
from learnless.grok.energy import training_tensors
from learnless.grok.groups import Split, parse_group, split_pairs

SRC = str(Path(__file__).resolve().parents[2] / "src")
CONSOLE = str(Path(sys.executable).with_name("learnless"))
Z7 = parse_group("Z7")
FULL = Split(train=np.arange(49), test=np.arange(0))
EXACT = {"tol": 1e-5, "max_steps": 5000, "lr": 0.05}  # converge to the closed-form maxima, not near them


def frequency_layer(k: int, phases: int) -> np.ndarray:
    """Nodes on one frequency k of Z7 with `phases` different phase sums (maxima of E: |u| = |v|)."""
    a = np.arange(7)
    rows = []
    for ph in np.linspace(0, np.pi, phases, endpoint=False):
        u = np.cos(2 * np.pi * k * a / 7 + ph)
        rows.append(np.concatenate([u, u]))
    return np.array(rows)


def test_stage_one_top_layer_is_the_ridge_solution():
    """Stage I's top layer is sklearn's Ridge (with intercept) on the random features, eta = ridge x the mean
    diagonal of the centred feature Gram."""
    split = split_pairs(Z7, 0.6, seed=0)
    est = EnergyConstruction(stage="I", hidden=10, ridge=0.05, seed=3).fit(Z7, split)
    a, b, _ = training_tensors(Z7, split, "sample")
    F = features_of(torch.as_tensor(est.W_), a, b, 7, "sqr").double().numpy()
    fc = F - F.mean(0)
    eta = 0.05 * float((fc**2).sum(0).mean())
    onehot = np.eye(7)[Z7.pairs()[2][split.train]]
    ref = Ridge(alpha=eta, fit_intercept=True).fit(F, onehot)
    np.testing.assert_allclose(est.V_.numpy(), ref.coef_.T, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(est.intercept_.numpy(), ref.intercept_, rtol=1e-3, atol=1e-4)
    assert est.gradient_evals_ == 0
    assert est.stage_history_[0]["components_covered"] == 0


def test_stage_two_full_table_z7_every_node_on_one_frequency_at_closed_form():
    """Full table of Z7: each node climbs its own energy to Thm 2's maximum: one frequency, E = M/16 = 7/16;
    all three frequencies are covered and the network gets the whole table right."""
    est = EnergyConstruction(stage="II", hidden=24, seed=0, **EXACT).fit(Z7, FULL)
    np.testing.assert_allclose(est.energy_, 7 / 16, rtol=1e-3)
    assert est.analysis_["top_share"].min() > 0.999
    assert set(est.analysis_["top_component"]) == {"k=1", "k=2", "k=3"}
    assert est.train_acc_ == 1.0 and est.test_acc_ is None
    assert est.stage_history_[-1]["components_covered"] == 3
    assert est.gradient_evals_ >= 24


def test_stage_three_sends_later_nodes_to_missing_frequencies():
    """A layer on frequency 1 only (every node already a maximum of its own energy, so stage II leaves it):
    stage III re-places blocks up the residual energy, the re-placed nodes go to the missing frequencies 2 and
    3 at the closed-form energy, and the ridge loss drops."""
    W0 = frequency_layer(1, 8)
    two = EnergyConstruction(stage="II", blocks=8, seed=0, **EXACT).fit(Z7, FULL, W_init=W0)
    assert two.stage_history_[-1]["covered"] == ["k=1"]
    three = EnergyConstruction(stage="III", blocks=8, seed=0, **EXACT).fit(Z7, FULL, W_init=W0)
    assert three.stage_history_[-1]["covered"] == ["k=1", "k=2", "k=3"]
    assert three.accepted_ >= 2
    an = three.analysis_
    tops = np.array(an["top_component"])
    moved = (tops != "k=1") & (an["top_share"] >= 0.95)
    assert {"k=2", "k=3"} <= set(tops[moved])
    np.testing.assert_allclose(three.energy_[moved], 7 / 16, rtol=0.1)
    a, b, yt = training_tensors(Z7, FULL, "sample")
    loss = [ridge_loss(features_of(torch.as_tensor(e.W_), a, b, 7, "sqr"), yt, 1e-2) for e in (two, three)]
    assert loss[1] < loss[0]


def test_stage_three_generalises_where_stage_two_does_not():
    """Z23 at 4 M ln M training pairs: the stage-II energy has no Fourier maxima left (nodes memorise, test
    accuracy near 0); the residual energy of stage III builds a network that generalises."""
    g = parse_group("Z23")
    split = split_pairs(g, n_train=round(4 * 23 * np.log(23)), seed=0)
    est = EnergyConstruction(stage="III", hidden=128, seed=0).fit(g, split)
    hist = {h["stage"]: h for h in est.stage_history_}
    assert hist["II"]["test_acc"] < 0.2
    assert hist["III"]["test_acc"] >= 0.95
    assert hist["III"]["components_covered"] >= 8
    assert hist["III"]["gradient_evals"] > hist["II"]["gradient_evals"] > 0


def test_w_init_is_checked():
    with pytest.raises(ConfigError, match="W_init"):
        EnergyConstruction().fit(Z7, FULL, W_init=np.zeros((3, 14)))
    with pytest.raises(ConfigError, match="W_init"):
        EnergyConstruction().fit(Z7, FULL, W_init=np.ones((3, 9)))


def console(args, tmp_path):
    env = {**os.environ, "PYTHONPATH": SRC, "LEARNLESS_PROGRESS": "0"}
    return subprocess.run(
        [CONSOLE, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False
    )


def test_construct_cli_full_table_json(tmp_path):
    r = console(["grok", "construct", "--group", "Z7", "--train-frac", "1", "--set", "hidden=24",
                 "--out", str(tmp_path / "run"), "--json"], tmp_path)
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["train_acc"] == 1.0 and m["test_acc"] is None
    assert m["components_total"] == 3 and m["components_covered"] == 3
    assert [h["stage"] for h in m["stages"]] == ["I", "II", "III"]
    assert m["gradient_evals"] == m["stages"][-1]["gradient_evals"] > 0
    assert json.loads((tmp_path / "run" / "metrics.json").read_text()) == m


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--group", "Q5"], "group"),
        (["--train-frac", "0"], "--train-frac"),
        (["--train-frac", "1.5"], "--train-frac"),
        (["--set", "hidden=0"], "hidden"),
    ],
)
def test_construct_cli_bad_input(tmp_path, args, needle):
    r = console(["grok", "construct", *args, "--out", str(tmp_path / "run")], tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert not (tmp_path / "run").exists()
