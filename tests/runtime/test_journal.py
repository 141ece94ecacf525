import multiprocessing

import numpy as np
import pytest

from learnless.runtime.journal import BadRecord, Journal, JournalWarning


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


def test_torn_last_line_is_dropped_with_a_warning_and_cut_off(tmp_path):
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.append("a", 1)
    with open(path, "ab") as fh:
        fh.write(b'{"key": "b", "val')  # died mid-write
    with pytest.warns(JournalWarning, match=r"j.jsonl:2: dropped a torn last line"):
        j2 = Journal(path)
    assert len(j2) == 1 and j2.torn
    j2.append("c", 3)
    assert path.read_text().splitlines()[-1] == '{"key": "c", "value": 3}'
    assert dict(Journal(path).items()) == {"a": 1, "c": 3}


def test_an_unterminated_but_complete_last_record_is_kept(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_text('{"key": "a", "value": 1}\n{"key": "b", "value": 2}')
    j = Journal(path)
    assert dict(j.items()) == {"a": 1, "b": 2}
    j.append("c", 3)
    assert dict(Journal(path).items()) == {"a": 1, "b": 2, "c": 3}


@pytest.mark.parametrize("bad, why", [
    (b"\xff\xfe binary \x00", "not UTF-8"),
    (b"not json", "not JSON"),
    (b'{"value": 5}', "not a"),
    (b'["key", "value"]', "not a"),
    (b'{"key": "m", "value": NaN}', "non-finite number NaN"),
    (b'{"key": "m", "value": {"acc": "high"}}', "acc"),
])
def test_a_bad_middle_record_is_skipped_by_line_number_and_the_rest_kept(tmp_path, bad, why):
    def validate(key, value):
        if not isinstance(value.get("acc"), float):
            raise BadRecord(f"acc is {value.get('acc')!r}")

    path = tmp_path / "j.jsonl"
    a, b = b'{"key": "a", "value": {"acc": 0.5}}\n', b'{"key": "b", "value": {"acc": 0.7}}\n'
    path.write_bytes(a + bad + b"\n" + b)
    with pytest.warns(JournalWarning, match=rf"j.jsonl:2: skipped a bad journal record \(.*{why}"):
        j = Journal(path, validate=validate)
    assert dict(j.items()) == {"a": {"acc": 0.5}, "b": {"acc": 0.7}} and j.skipped == [2]
    j.append("c", {"acc": 0.9})  # appending after damage keeps everything readable
    with pytest.warns(JournalWarning):
        assert len(Journal(path, validate=validate)) == 3


def test_nan_is_never_written(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    j.append("a", {"acc": float("nan"), "v": np.float64("inf")})
    assert Journal(tmp_path / "j.jsonl")["a"] == {"acc": None, "v": None}


def _append_many(path, tag, n):
    j = Journal(path)
    for i in range(n):
        j.append(f"{tag}{i}", {"tag": tag, "i": i, "pad": "x" * 2000})


def test_concurrent_writers_never_interleave(tmp_path):
    """Two processes appending at once: every record of both is on disk, whole (the lock and append mode)."""
    path = tmp_path / "j.jsonl"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(path, tag, 150)) for tag in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    j = Journal(path)
    assert len(j) == 300 and not j.skipped
