import pytest

from learnless.errors import DataError
from learnless.runtime.journal import Journal


def test_records_survive_reopening(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    j.append("a", {"acc": 0.5})
    j.append("b", [1, 2])
    again = Journal(tmp_path / "j.jsonl")
    assert "a" in again and "b" in again and "c" not in again
    assert again["a"] == {"acc": 0.5} and len(again) == 2


def test_resume_skips_finished_work(tmp_path):
    calls = []

    def sweep(journal, stop_after=None):
        for i in range(5):
            if str(i) in journal:
                continue
            if stop_after is not None and len(calls) == stop_after:
                raise KeyboardInterrupt  # the run is killed
            calls.append(i)
            journal.append(str(i), i * i)

    with pytest.raises(KeyboardInterrupt):
        sweep(Journal(tmp_path / "j.jsonl"), stop_after=2)
    sweep(Journal(tmp_path / "j.jsonl"))
    assert calls == [0, 1, 2, 3, 4]  # nothing computed twice
    assert dict(Journal(tmp_path / "j.jsonl").items()) == {str(i): i * i for i in range(5)}


def test_torn_last_line_is_ignored_and_overwritten(tmp_path):
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.append("a", 1)
    with open(path, "ab") as fh:
        fh.write(b'{"key": "b", "val')  # died mid-write
    j2 = Journal(path)
    assert len(j2) == 1
    j2.append("c", 3)
    assert dict(Journal(path).items()) == {"a": 1, "c": 3}


def test_corruption_in_the_middle_names_file_and_line(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_text('{"key": "a", "value": 1}\nnot json\n{"key": "b", "value": 2}\n')
    with pytest.raises(DataError, match=r"j.jsonl:2: corrupt journal record"):
        Journal(path)
