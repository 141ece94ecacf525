import csv
import json

import pytest

from learnless.classify.depth_study import (
    DepthStudyConfig,
    plot_depth_study,
    run_depth_study,
    summarize,
    write_csv,
)
from learnless.cli.main import main
from tests.conftest import require_shared

CORA = ["planetoid/ind.cora.x", "planetoid/ind.cora.graph"]


def _cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_run_writes_metrics(tmp_path, capsys):
    root = require_shared(*CORA)
    code, out, _ = _cli(capsys, "classify", "run", "--dataset", "cora", "--model", "dgmlp", "--variant", "released",
                        "--seeds", "2", "--set", "epochs=20", "--data-dir", str(root), "--out", str(tmp_path), "--json")
    assert code == 0
    metrics = json.loads(out)
    assert set(metrics) >= {"test_acc_mean", "test_acc_std", "val_acc_mean", "seconds"}
    assert metrics["test_acc_mean"] > 0.7
    assert json.loads((tmp_path / "metrics.json").read_text()) == metrics
    assert len(json.loads((tmp_path / "per_seed.json").read_text())) == 2


def test_smoothness_command(tmp_path, capsys):
    root = require_shared(*CORA)
    code, out, _ = _cli(capsys, "classify", "smoothness", "--dataset", "cora", "--max-depth", "10",
                        "--data-dir", str(root), "--out", str(tmp_path), "--json")
    assert code == 0
    m = json.loads(out)
    assert m["gsl_10"] < 0.4 * m["gsl_1"]  # the paper's >60 % drop from Dp = 1 to 10
    assert (tmp_path / "gsl.png").stat().st_size > 1000


@pytest.mark.parametrize("args, match", [
    (["run", "--model", "gat"], "--model"),
    (["run", "--trans-depth", "0"], "trans_depth"),
    (["run", "--prop-depth", "-1"], "prop_depth"),
    (["run", "--seeds", "0"], "--seeds"),
    (["run", "--model", "gcn", "--variant", "released"], "dgmlp only"),
    (["run", "--set", "nonsense"], "key=value"),
    (["run", "--set", "colour=3"], "bad hyper-parameter"),
    (["smoothness", "--max-depth", "-2"], "--max-depth"),
    (["run", "--dataset", "/nonexistent/graph", "--format", "planetoid"], "no such file"),
])
def test_bad_cli_input_is_a_one_line_error(tmp_path, capsys, args, match):
    code, _, err = _cli(capsys, "classify", *args, "--out", str(tmp_path / "run"))
    assert code == 2
    assert err.startswith("error:") and match in err and "Traceback" not in err


def test_depth_study_rows_csv_and_plot(sbm, tmp_path):
    cfg = DepthStudyConfig(prop_depths=(1, 4), trans_depths=(2, 6), gcn_layers=(1, 2), seeds=1, epochs=30, hidden=16)
    rows = run_depth_study(sbm, cfg)
    assert len(rows) == 2 * 2 + 2 * 2 + 2
    assert {r["experiment"] for r in rows} == {"vary_dp", "vary_dt", "gcn"}
    dp_rows = [r for r in rows if r["experiment"] == "vary_dp"]
    assert all(0 < r["gsl"] < 1 for r in dp_rows)
    assert [r["prop_depth"] for r in rows if r["experiment"] == "gcn"] == [2, 4]  # Dp = 2·Dt
    path = write_csv(rows, tmp_path / "d.csv")
    with open(path) as fh:
        assert len(list(csv.DictReader(fh))) == len(rows)
    png = plot_depth_study(rows, tmp_path / "d.png")
    assert png.stat().st_size > 1000
    assert len(summarize(rows)) == 10


def test_depth_study_resumes_from_its_journal(sbm, tmp_path, monkeypatch):
    from learnless.classify import depth_study

    cfg = DepthStudyConfig(prop_depths=(1, 2), trans_depths=(2,), gcn_layers=(1,), seeds=1, epochs=20, hidden=8)
    journal = tmp_path / "journal.jsonl"
    first = run_depth_study(sbm, cfg, journal_path=journal)
    fits = []
    real_fit = depth_study.DGMLP.fit

    def counting_fit(self, graph):
        fits.append(self)
        return real_fit(self, graph)

    monkeypatch.setattr(depth_study.DGMLP, "fit", counting_fit)
    again = run_depth_study(sbm, cfg, journal_path=journal)
    assert again == first and fits == []  # nothing retrained
    bigger = DepthStudyConfig(prop_depths=(1, 2, 4), trans_depths=(2,), gcn_layers=(1,), seeds=1, epochs=20, hidden=8)
    run_depth_study(sbm, bigger, journal_path=journal)
    assert len(fits) == 1  # only the new DGMLP point (Dp = 4) is trained
