import json

import numpy as np
import pytest

from learnless.cli.main import main


def run_cli(args, capsys):
    with pytest.raises(SystemExit) as e:
        main(args)
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def test_train_then_features_then_energy(tmp_path, capsys):
    run = tmp_path / "run"
    code, out, _ = run_cli(["grok", "train", "--group", "Z7", "--train-frac", "0.6", "--hidden", "32",
                            "--epochs", "60", "--out", str(run), "--json"], capsys)
    assert code == 0
    m = json.loads(out)
    for key in ("train_acc", "test_acc", "grok_epoch", "memorize_epoch", "seconds"):
        assert key in m
    assert json.loads((run / "metrics.json").read_text()) == m
    assert (run / "model.npz").is_file() and (run / "grokking_curve.png").is_file()
    code, out, _ = run_cli(["grok", "features", str(run), "--energy-starts", "4", "--json"], capsys)
    assert code == 0
    f = json.loads(out)
    assert 0.0 <= f["concentrated_frac"] <= 1.0 and f["irrep_dims"] == [1] * 7
    assert (run / "spectrum.png").is_file()
    code, out, _ = run_cli(["grok", "energy", "--group", "S3", "--train-frac", "0.7", "--starts", "4",
                            "--steps", "30", "--out", str(tmp_path / "en"), "--json"], capsys)
    assert code == 0 and json.loads(out)["starts"] == 4


@pytest.mark.parametrize("args,needle", [
    (["grok", "train", "--group", "Q8"], "accepted forms"),
    (["grok", "train", "--group", "Z7", "--train-frac", "1.0"], "train_frac"),
    (["grok", "train", "--group", "Z7", "--train-frac", "0"], "train_frac"),
    (["grok", "train", "--group", "Z7", "--train-frac", "0.001"], "non-empty"),
    (["grok", "train", "--group", "Z7", "--hidden", "0"], "hidden"),
    (["grok", "train", "--group", "Z7", "--act", "tanh"], "act"),
    (["grok", "train", "--group", "Z7", "--loss", "ce", "--ridge", "1"], "ridge"),
    (["grok", "train", "--group", "Z7", "--optimizer", "lbfgs"], "optimizer"),
    (["grok", "energy", "--group", "S9"], "symmetric"),
    (["grok", "scaling", "--groups", "Z7,Zfoo", "--seeds", "1"], "accepted forms"),
    (["grok", "scaling", "--groups", "Z7", "--seeds", "0"], "seeds"),
])
def test_bad_input_is_one_line_error(args, needle, capsys, tmp_path):
    code, _, err = run_cli(args + ["--out", str(tmp_path / "x")], capsys)
    assert code == 2
    assert err.startswith("error:") and needle in err and "Traceback" not in err


def test_features_without_saved_model(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_cli(["grok", "features", str(empty)], capsys)
    assert code == 2 and "no saved model" in err
    code, _, err = run_cli(["grok", "features", str(tmp_path / "nope")], capsys)
    assert code == 2 and "not a directory" in err


def test_scaling_tiny_sweep(tmp_path, capsys):
    code, out, _ = run_cli(["grok", "scaling", "--groups", "Z5,Z7", "--seeds", "1", "--hidden", "32", "--epochs",
                            "150", "--ratios", "2,4", "--workers", "1", "--out", str(tmp_path / "s"), "--json"], capsys)
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

    def counting(item, shared):
        calls.append(item)
        return real(item, shared)

    monkeypatch.setattr(scaling, "search_n_star", counting)
    kw = {"seeds": 1, "ratios": (2, 4), "hidden": 32, "epochs": 150, "workers": 1, "journal_path": tmp_path / "j.jsonl"}
    first = scaling.scaling_sweep(["Z5"], **kw)  # a sweep "killed" after its first group
    assert calls == [("Z5", 0)] and first["resumed"] == 0
    both = scaling.scaling_sweep(["Z5", "Z7"], **kw)
    assert calls == [("Z5", 0), ("Z7", 0)]  # Z5 was not searched again
    assert both["resumed"] == 1
    assert [p for p in both["points"] if p["group"] == "Z5"] == first["points"]
    scaling.scaling_sweep(["Z5"], **{**kw, "epochs": 151})  # other settings: nothing reused
    assert calls[-1] == ("Z5", 0) and len(calls) == 3
