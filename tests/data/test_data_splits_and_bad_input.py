"""Random splits (Shchur et al.) and the bad inputs every reader must turn into one-line errors."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data import get_dataset, load
from learnless.data.formats import read_format
from learnless.data.loaders.lightgcn import read_lightgcn_gowalla
from learnless.data.splits import random_split
from learnless.data.synthetic import sbm_graph
from learnless.errors import ConfigError, DataError
from learnless.graph.containers import Graph
from tests.conftest import require_shared


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNLESS_CACHE", str(tmp_path / "cache"))


def test_random_split_per_class_counts_disjoint_and_seeded():
    g = sbm_graph(n_nodes=600, n_classes=4, seed=0)
    g.y[:10] = -1  # unlabelled nodes belong to no mask
    s = random_split(g, train_per_class=20, val_per_class=30, seed=7)
    labelled = g.y >= 0
    for c in range(4):
        assert s.train_mask[g.y == c].sum() == 20 and s.val_mask[g.y == c].sum() == 30
    assert not (s.train_mask & s.val_mask).any() and not (s.train_mask & s.test_mask).any()
    assert ((s.train_mask | s.val_mask | s.test_mask) == labelled).all()
    assert np.array_equal(random_split(g, seed=7).train_mask, s.train_mask)
    assert not np.array_equal(random_split(g, seed=8).train_mask, s.train_mask)
    assert s.meta["split"]["seed"] == 7 and (s.adj != g.adj).nnz == 0


def test_random_split_several_splits_and_fixed_test_size():
    g = sbm_graph(n_nodes=400, n_classes=3, seed=1)
    s = random_split(g, train_per_class=5, val_per_class=5, n_test=100, n_splits=4, seed=0)
    assert s.train_mask.shape == (400, 4) and s.num_splits == 4
    assert s.test_mask.sum(axis=0).tolist() == [100] * 4 and s.train_mask.sum(axis=0).tolist() == [15] * 4
    assert len({s.train_mask[:, i].tobytes() for i in range(4)}) == 4
    assert s.split(2).train_mask.sum() == 15


def test_random_split_errors():
    g = sbm_graph(n_nodes=60, n_classes=3, seed=0)
    with pytest.raises(DataError, match="fewer than train_per_class \\+ val_per_class = 100"):
        random_split(g, train_per_class=50, val_per_class=50)
    with pytest.raises(ConfigError, match="n_test=1000 exceeds"):
        random_split(g, train_per_class=2, val_per_class=2, n_test=1000)
    with pytest.raises(ConfigError, match="train_per_class must be >= 0, got -1"):
        random_split(g, train_per_class=-1)


@pytest.mark.realdata
def test_shchur_split_of_cora_ml():
    root = require_shared(*(f.path for f in get_dataset("cora_ml").files))
    s = random_split(load("cora_ml", root), seed=0)
    assert (s.train_mask.sum(), s.val_mask.sum(), s.test_mask.sum()) == (140, 210, 2995 - 350)


# --- bad input ----------------------------------------------------------------------------------------------
def write_graph(folder, x, edges="0,1\n"):
    np.save(folder / "features.npy", x)
    (folder / "edges.csv").write_text(edges)


def test_empty_graph_is_refused(tmp_path):
    write_graph(tmp_path, np.zeros((0, 3)), edges="")
    with pytest.raises(DataError, match=r"features\.npy: the graph is empty \(0 nodes\)"):
        read_format(tmp_path, "graph-files")
    with pytest.raises(DataError, match="the graph is empty"):
        Graph(sp.csr_matrix((0, 0)), np.zeros((0, 2)), np.zeros(0))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_features_are_refused(tmp_path, bad):
    x = np.ones((3, 2))
    x[1, 0] = bad
    write_graph(tmp_path, x)
    with pytest.raises(DataError, match=r"features contain NaN or inf \(1 rows affected\)"):
        read_format(tmp_path, "graph-files")
    np.savez(tmp_path / "h.npz", node_features=x, node_labels=np.zeros(3, int), edges=np.array([[0, 1]]))
    with pytest.raises(DataError, match="NaN or inf"):
        read_format(tmp_path / "h.npz", "npz")


def test_features_must_be_a_numeric_matrix(tmp_path):
    write_graph(tmp_path, np.array(["a", "b"]))
    with pytest.raises(DataError, match=r"features\.npy: expected a 2-D numeric array"):
        read_format(tmp_path, "graph-files")
    np.save(tmp_path / "features.npy", np.array([{"a": 1}], dtype=object))
    with pytest.raises(DataError, match=r"features\.npy: not a numeric \.npy array"):
        read_format(tmp_path, "graph-files")


def test_truncated_npz_is_a_data_error(tmp_path):
    np.savez(tmp_path / "g.npz", node_features=np.ones((3, 2)), node_labels=np.zeros(3),
             edges=np.array([[0, 1]]))
    data = (tmp_path / "g.npz").read_bytes()
    (tmp_path / "g.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"g\.npz: not a readable \.npz file"):
        read_format(tmp_path / "g.npz", "npz")


def test_edge_ids_out_of_range_in_npz(tmp_path):
    np.savez(tmp_path / "h.npz", node_features=np.ones((3, 2)), node_labels=np.zeros(3, int),
             edges=np.array([[0, 3]]))
    with pytest.raises(DataError, match=r"h\.npz: edge endpoint out of range for 3 nodes"):
        read_format(tmp_path / "h.npz", "npz")


def test_gowalla_test_ids_out_of_range(tmp_path):
    adj = sp.csr_matrix(np.array([[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]], np.float32))
    np.savez(tmp_path / "s_adj_mat.npz", data=adj.data, indices=adj.indices, indptr=adj.indptr,
             shape=adj.shape)
    (tmp_path / "user_list.txt").write_text("org_id remap_id\na 0\nb 1\n")
    (tmp_path / "test.txt").write_text("0 1\n1 0\n")
    inter = read_lightgcn_gowalla(tmp_path)
    assert (inter.n_users, inter.n_items, inter.train.nnz, inter.test.nnz) == (2, 2, 2, 2)
    (tmp_path / "test.txt").write_text("0 1\n1 5\n")
    with pytest.raises(DataError, match=r"test\.txt: ids out of range for 2 users x 2 items"):
        read_lightgcn_gowalla(tmp_path)


def test_planetoid_malformed_index_line(tmp_path):
    from tests.data.test_data_handmade import write_planetoid

    write_planetoid(tmp_path)
    (tmp_path / "ind.toy.test.index").write_text("5\nfour\n")
    with pytest.raises(DataError, match=r"ind\.toy\.test\.index:2: expected an integer node index"):
        read_format(tmp_path, "planetoid")


def test_wrong_kind_of_path_for_a_format(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n")
    with pytest.raises(ConfigError, match="--format graph-files: expects a folder"):
        read_format(f, "graph-files")
    with pytest.raises(ConfigError, match="--format interactions-csv: expects a file"):
        read_format(tmp_path, "interactions-csv")
