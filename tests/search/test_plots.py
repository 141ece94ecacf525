"""Search plots: infeasible points greyed under a constraint; several runs' fronts on one figure."""

import json

import numpy as np
import pytest

from learnless.search import Search
from learnless.search import plots as plots_module
from tests.search.test_cli import cli

pytest.importorskip("nas_bench_graph")


def test_front_plot_greys_exactly_the_infeasible_points(monkeypatch, tmp_path):
    s = Search("nasbench-graph:cora", ["accuracy:max", "latency:min"], "random", constraints=["params<=1.0"],
               population=20, seed=0)
    s.run(40)
    saved = {}
    monkeypatch.setattr("learnless.report.save_figure", lambda fig, path: saved.update(fig=fig))
    plots_module.front_plot(s, tmp_path / "f.png")
    ax = saved["fig"].axes[0]
    infeasible = sum(r["metrics"]["params"] > 1.0 for r in s.history.records if r["status"] == "ok")
    assert 0 < infeasible < 40
    grey, feasible = ax.collections[0], ax.collections[1]
    assert len(grey.get_offsets()) == infeasible and np.allclose(grey.get_facecolor()[0][:3], 0.7)
    assert len(feasible.get_offsets()) == 40 - infeasible
    assert all(r["params"] <= 1.0 for r in s.front())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "infeasible (params<=1)"


def test_show_several_runs_on_one_figure_and_its_errors(tmp_path):
    runs = []
    for tactic in ("random", "evolutionary"):
        out = tmp_path / tactic
        r = cli("run", "--supernet", "nasbench-graph:cora", "--objectives", "accuracy:max", "latency:min",
                "--tactic", tactic, "--evals", "20", "--population", "10", "--out", str(out), "-q")
        assert r.returncode == 0, r.stderr
        assert (out / "front.png").stat().st_size > 0 and (out / "hypervolume.png").stat().st_size > 0
        runs.append(str(out))
    r = cli("show", *runs, "--plot", str(tmp_path / "fronts.png"), "--json")
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)["runs"]
    assert [d["run"] for d in docs] == runs and all(d["front"] and "op_0" in d["front"][0] for d in docs)
    assert (tmp_path / "fronts.png").stat().st_size > 10_000
    other = tmp_path / "other"
    r = cli("run", "--supernet", "nasbench-graph:cora", "--objectives", "accuracy:max", "params:min",
            "--tactic", "random", "--evals", "10", "--population", "10", "--out", str(other), "-q")
    assert r.returncode == 0, r.stderr
    for args, msg in [([*runs, str(other), "--plot", str(tmp_path / "x.png")], "same first two objectives"),
                      ([runs[0], "--plot", str(tmp_path / "x.gif")], "must end in"),
                      ([runs[0], str(tmp_path / "missing")], "not a search run directory")]:
        r = cli("show", *args)
        assert r.returncode == 2 and msg in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.png").exists()
