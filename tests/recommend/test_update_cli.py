"""`learnless recommend update` and `recommend explain` through the console script: a saved, updated and
reloaded model recommends what a refit on the grown data recommends; bad updates are one `error:` line, exit
2, and leave the saved model untouched."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.recommend import GTE, load
from tests.console import console


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("update")
    rng = np.random.default_rng(0)
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(0, 60, 900), rng.integers(0, 40, 900))}
    csv = root / "clicks.csv"
    csv.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    r = console("recommend", "run", "-d", csv, "--format", "interactions-csv", "--out", root / "run",
                "--save-model", "-q")
    assert r.returncode == 0, r.stderr
    return root, csv


def _copy_run(saved_run, tmp_path):
    import shutil

    root, csv = saved_run
    shutil.copytree(root / "run", tmp_path / "run")
    return tmp_path / "run", csv


def test_saved_updated_reloaded_model_recommends_like_a_refit(saved_run, tmp_path):
    run, _ = _copy_run(saved_run, tmp_path)
    before = load(run / "model.npz")
    (tmp_path / "new.csv").write_text("user,item\n3,5\n3,7\n100,5\n100,9\n7,900\n")
    r = console("recommend", "update", run, "--interactions", tmp_path / "new.csv", "--new-items", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["users_added"] == 1 and summary["items_added"] == 1
    after = load(run / "model.npz")
    # the refit: the saved train matrix grown by the same interactions, in the model's positions
    users = list(before.source_user_ids_) + [100]
    items = list(before.source_item_ids_) + [900]
    grown = sp.lil_matrix((len(users), len(items)))
    grown[: before.n_users_, : before.n_items_] = before.train_
    for u, i in [(3, 5), (3, 7), (100, 5), (100, 9), (7, 900)]:
        grown[users.index(u), items.index(i)] = 1
    ref = GTE().fit(sp.csr_matrix(grown))
    assert list(after.source_user_ids_) == users and list(after.source_item_ids_) == items
    np.testing.assert_array_equal(after.train_.toarray(), ref.train_.toarray())
    every = np.arange(len(users))
    np.testing.assert_array_equal(after.recommend(every, N=10)[0], ref.recommend(every, N=10)[0])
    np.testing.assert_array_equal(after.score(every), ref.score(every))


@pytest.mark.parametrize("content, message", [
    ("user,item\n3,900\n", "item '900' is not in the model's catalogue"),
    ("user,item\nabc,5\n", "user id 'abc' is not an integer"),
    ("user,item\n", "the update is empty"),
])
def test_bad_update_is_one_error_line_and_keeps_the_model(saved_run, tmp_path, content, message):
    run, _ = _copy_run(saved_run, tmp_path)
    saved = (run / "model.npz").read_bytes()
    (tmp_path / "new.csv").write_text(content)
    r = console("recommend", "update", run, "--interactions", tmp_path / "new.csv")
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], r.stderr
    assert (run / "model.npz").read_bytes() == saved


def test_update_without_a_saved_model_is_an_error(tmp_path):
    (tmp_path / "new.csv").write_text("user,item\n1,2\n")
    r = console("recommend", "update", tmp_path, "--interactions", tmp_path / "new.csv")
    assert r.returncode == 2 and r.stderr.startswith("error:") and "--save-model" in r.stderr


def test_explain_contributions_sum_to_the_score(saved_run):
    _, csv = saved_run
    r = console("recommend", "explain", "-d", csv, "--format", "interactions-csv", "--user", "3", "--item",
                "5", "-n", "100", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["score"] > 0
    assert out["direct"] + sum(c for _, c, _ in out["items"]) == pytest.approx(out["score"], abs=1e-6)
    assert out["direct"] + sum(c for _, c, _ in out["users"]) == pytest.approx(out["score"], abs=1e-6)
    r = console("recommend", "explain", "-d", csv, "--format", "interactions-csv", "--user", "3", "--item",
                "nope")
    assert r.returncode == 2 and r.stderr.strip().startswith("error: --item")
