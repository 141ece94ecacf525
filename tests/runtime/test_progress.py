"""track / progress: the bar's state and the lines mirrored into run.log."""

from __future__ import annotations

import importlib

import pytest

from learnless.runtime import RunDir, progress, track

# the module, not the function of the same name that learnless.runtime exports
progress_module = importlib.import_module("learnless.runtime.progress")


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "LOG_EVERY_SECONDS", 0.0)  # every advance logs
    run = RunDir.create("probe", "p", out=tmp_path / "run")
    yield run
    run.close()


def log_lines(run) -> list[str]:
    return [line.split(" INFO ", 1)[1] for line in (run.path / "run.log").read_text().splitlines()]


def test_progress_lines_are_mirrored_into_run_log(run):
    assert list(progress(range(3), "units")) == [0, 1, 2]
    lines = log_lines(run)
    assert lines[-1].startswith("progress units: 3/3 after ")
    assert [line.split(" after ")[0] for line in lines] == [f"progress units: {i}/3" for i in (1, 2, 3, 3)]


def test_an_interrupted_track_still_logs_how_far_it_got(run):
    with pytest.raises(KeyboardInterrupt), track("epochs", total=10) as t:
        t.advance(4)
        raise KeyboardInterrupt
    assert log_lines(run)[-1].startswith("progress epochs: 4/10 after ")
    assert log_lines(run)[-1].endswith("(KeyboardInterrupt)")


def test_update_with_a_new_total_alone_reaches_the_bar(monkeypatch):
    monkeypatch.setenv("LEARNLESS_PROGRESS", "1")
    with track("budgeted") as t:
        t.update(total=50)
        assert t.total == 50 and t.bar.tasks[0].total == 50
        t.update(completed=20)
        assert t.done == 20 and t.bar.tasks[0].completed == 20


def test_closed_run_stops_receiving_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "LOG_EVERY_SECONDS", 0.0)
    run = RunDir.create("probe", "p", out=tmp_path / "a")
    run.close()
    list(progress(range(2), "after close"))
    assert "after close" not in (run.path / "run.log").read_text()
