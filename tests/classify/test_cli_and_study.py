import csv

from learnless.classify.depth_study import (
    DepthStudyConfig,
    plot_depth_study,
    run_depth_study,
    summarize,
    write_csv,
)


def test_depth_study_rows_csv_and_plot(sbm, tmp_path):
    cfg = DepthStudyConfig(
        prop_depths=(1, 4), trans_depths=(2, 6), gcn_layers=(1, 2), seeds=1, epochs=30, hidden=16
    )
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

    cfg = DepthStudyConfig(
        prop_depths=(1, 2), trans_depths=(2,), gcn_layers=(1,), seeds=1, epochs=20, hidden=8
    )
    journal = tmp_path / "journal.jsonl"
    first = run_depth_study(sbm, cfg, journal_path=journal)
    fits = []
    real_fit = depth_study.DGMLP.fit

    def counting_fit(self, graph, **kw):
        fits.append(self)
        return real_fit(self, graph, **kw)

    monkeypatch.setattr(depth_study.DGMLP, "fit", counting_fit)
    again = run_depth_study(sbm, cfg, journal_path=journal)
    assert again == first and fits == []  # nothing retrained
    bigger = DepthStudyConfig(
        prop_depths=(1, 2, 4), trans_depths=(2,), gcn_layers=(1,), seeds=1, epochs=20, hidden=8
    )
    run_depth_study(sbm, bigger, journal_path=journal)
    assert len(fits) == 1  # only the new DGMLP point (Dp = 4) is trained


def test_depth_study_plot_keeps_legends_off_the_axes(sbm, tmp_path):
    from learnless.classify.depth_study import read_csv

    cfg = DepthStudyConfig(
        prop_depths=(1, 2), trans_depths=(2,), gcn_layers=(1,), seeds=1, epochs=10, hidden=8
    )
    rows = run_depth_study(sbm, cfg)
    assert read_csv(write_csv(rows, tmp_path / "d.csv")) == rows  # a finished study can be re-plotted

    import matplotlib.image

    png = plot_depth_study(rows, tmp_path / "d.png")
    height, width = matplotlib.image.imread(png).shape[:2]
    assert width >= 13 * 150 and height >= 4 * 150  # >= 150 dpi
