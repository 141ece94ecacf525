"""Beyond-accuracy metrics on cases with answers worked out by hand, and against PyG's definitions."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.errors import ConfigError
from learnless.recommend.beyond import list_metrics, long_tail, parse_groups


def train_matrix():
    # 4 users x 4 items; popularity (users per item) = 4, 2, 1, 0
    return sp.csr_matrix(np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], dtype=float))


def test_closed_form_values():
    lists = np.array([[0, 1], [0, 2], [0, 1]])
    s, per = list_metrics(lists, train_matrix())
    assert s["coverage@2"] == pytest.approx(3 / 4)
    # self-information -log2(pop/4): item 0 -> 0, item 1 -> 1, item 2 -> 2
    np.testing.assert_allclose(per["novelty"], [0.5, 1.0, 0.5])
    assert s["novelty@2"] == pytest.approx(2 / 3)
    np.testing.assert_allclose(per["arp"], [3.0, 2.5, 3.0])
    # overlaps: (0,1) 1 item, (0,2) 2, (1,2) 1 -> mean overlap/K = (1/2 + 1 + 1/2) / 3
    assert s["personalisation@2"] == pytest.approx(1 - 2 / 3)
    # cosine of item columns: cos(0,1) = 2/sqrt(4*2), cos(0,2) = 1/sqrt(4*1)
    np.testing.assert_allclose(per["diversity"], [1 - 2 / np.sqrt(8), 1 - 0.5, 1 - 2 / np.sqrt(8)])
    # head: item 0 alone holds 4 of 7 interactions >= 20 %; tail = items 1, 2, 3
    np.testing.assert_array_equal(long_tail(np.array([4.0, 2, 1, 0])), [False, True, True, True])
    np.testing.assert_allclose(per["long_tail_share"], [0.5, 0.5, 0.5])


def test_identical_lists_have_no_personalisation_and_disjoint_ones_full():
    train = sp.csr_matrix(np.ones((3, 6)))
    same, _ = list_metrics(np.array([[0, 1, 2]] * 3), train)
    apart, _ = list_metrics(np.array([[0, 1], [2, 3], [4, 5]]), train)
    assert same["personalisation@3"] == 0.0 and apart["personalisation@2"] == 1.0
    assert same["coverage@3"] == 0.5 and apart["coverage@2"] == 1.0


def test_per_user_recall_and_ndcg():
    test = sp.csr_matrix(np.array([[0, 0, 0, 1], [0, 1, 0, 1]], dtype=float))
    _, per = list_metrics(np.array([[3, 1], [2, 1]]), train_matrix(), test)
    np.testing.assert_allclose(per["recall"], [1.0, 0.5])
    idcg2 = 1 + 1 / np.log2(3)
    np.testing.assert_allclose(per["ndcg"], [1.0, (1 / np.log2(3)) / idcg2])


def test_definitions_match_pyg():
    torch = pytest.importorskip("torch")
    from torch_geometric.metrics import (
        LinkPredAveragePopularity,
        LinkPredCoverage,
        LinkPredDiversity,
        LinkPredPersonalization,
    )

    rng = np.random.default_rng(0)
    n_items, k = 30, 5
    train = sp.csr_matrix((rng.random((40, n_items)) < 0.3).astype(float))
    lists = np.array([rng.choice(n_items, k, replace=False) for _ in range(25)])
    category = rng.integers(0, 4, n_items)
    s, _ = list_metrics(lists, train, item_category=category)
    pred = torch.as_tensor(lists)
    label = torch.zeros((2, 0), dtype=torch.long)
    pop = torch.as_tensor(np.asarray(train.sum(axis=0)).ravel())
    for metric, key in [(LinkPredCoverage(k, n_items), "coverage"),
                        (LinkPredDiversity(k, torch.as_tensor(category)), "diversity"),
                        (LinkPredPersonalization(k, max_src_nodes=None), "personalisation"),
                        (LinkPredAveragePopularity(k, pop), "arp")]:
        metric.update(pred, label)
        assert s[f"{key}@{k}"] == pytest.approx(float(metric.compute()), abs=1e-6), key


def test_metric_groups_are_checked():
    assert parse_groups("all")[0] == "coverage" and parse_groups(None) == ()
    with pytest.raises(ConfigError, match="--metrics: unknown 'serendipity'"):
        parse_groups("coverage,serendipity")


def test_metrics_option_through_the_console_script(tmp_path):
    import json

    from tests.console import console

    rng = np.random.default_rng(0)
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(0, 60, 900), rng.integers(0, 40, 900))}
    csv = tmp_path / "clicks.csv"
    csv.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    args = ["recommend", "run", "-d", csv, "--format", "interactions-csv", "--cutoffs", "10"]
    r = console(*args, "--out", tmp_path / "run", "--metrics", "all", "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert 0 < m["coverage@10"] <= 1 and 0 <= m["personalisation@10"] <= 1
    assert m["recall@10/mean"] == pytest.approx(m["recall@10"])  # per-user values average to the metric
    assert m["recall@10/p5"] <= m["recall@10/p50"] <= m["recall@10/p95"]
    assert (tmp_path / "run" / "distributions-gte.png").stat().st_size > 10_000
    r = console(*args, "--out", tmp_path / "bad", "--metrics", "serendipity")
    assert r.returncode == 2 and r.stderr.strip().startswith("error: --metrics: unknown 'serendipity'")
    assert not (tmp_path / "bad").exists()


def test_compare_reports_the_chosen_groups_per_model(tmp_path):
    import json

    from tests.console import console

    rng = np.random.default_rng(1)
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(0, 50, 700), rng.integers(0, 30, 700))}
    csv = tmp_path / "clicks.csv"
    csv.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in sorted(rows)))
    r = console("recommend", "compare", "-d", csv, "--format", "interactions-csv", "--models", "gte,itemknn",
                "--cutoffs", "10", "--metrics", "coverage,popularity", "--out", tmp_path / "cmp", "--json")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    for name in ("gte", "itemknn"):
        assert 0 < m[f"{name}/coverage@10"] <= 1 and m[f"{name}/arp@10"] > 0
        assert 0 <= m[f"{name}/long_tail_share@10"] <= 1
        assert f"{name}/novelty@10" not in m  # only the chosen groups
