"""Every loader and `--format` reader on small hand-made files in the real layouts."""

from __future__ import annotations

import gzip
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data.formats import FORMATS, read_format
from learnless.data.loaders.dynast import read_dynast_csv
from learnless.data.loaders.help_latency import read_help
from learnless.data.loaders.interactions_csv import read_movielens_1m, read_movielens_100k
from learnless.data.loaders.mnist import read_idx, read_mnist
from learnless.data.loaders.text import read_mr, read_sst2, read_trec
from learnless.errors import ConfigError, DataError
from learnless.graph.containers import Graph, Interactions


def dense(m):
    return m.toarray().astype(int).tolist()


# --- recommendation formats ---------------------------------------------------------------------------------
def test_gte_pkl_folder(tmp_path):
    train = sp.coo_matrix(np.array([[1, 0, 1], [0, 1, 0]], np.float64))
    test = sp.coo_matrix(np.array([[0, 1], [1, 0]], np.float64))  # one column narrower, as GTE publishes
    for fname, m in (("train_mat.pkl", train), ("test_mat.pkl", test)):
        (tmp_path / fname).write_bytes(pickle.dumps(m, protocol=2))
    inter = read_format(tmp_path, "gte-pkl")
    assert isinstance(inter, Interactions)
    assert dense(inter.train) == [[1, 0, 1], [0, 1, 0]] and dense(inter.test) == [[0, 1, 0], [1, 0, 0]]


def test_lightgcn_txt_folder(tmp_path):
    (tmp_path / "train.txt").write_text("0 0 2\n1 1\n\n2 3 0\n")
    (tmp_path / "test.txt").write_text("0 1\n2 2\n")
    inter = read_format(tmp_path, "lightgcn-txt")
    assert (inter.n_users, inter.n_items, inter.train.nnz, inter.test.nnz) == (3, 4, 5, 2)
    assert dense(inter.test) == [[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]]


def test_lightgcn_txt_malformed_line_names_file_and_line(tmp_path):
    (tmp_path / "train.txt").write_text("0 1\n1 x\n")
    (tmp_path / "test.txt").write_text("0 1\n")
    with pytest.raises(DataError, match=r"train\.txt:2: expected integer ids"):
        read_format(tmp_path, "lightgcn-txt")


CSV = "user,item,timestamp\nalice,apple,3\nalice,pear,1\nalice,fig,2\nbob,pear,5\nbob,kiwi,9\ncarol,apple,4\n"


def test_interactions_csv_string_ids_and_leave_last_out(tmp_path):
    f = tmp_path / "log.csv"
    f.write_text(CSV)
    inter = read_format(f, "interactions-csv", split="leave-last-out")
    assert inter.user_ids.tolist() == ["alice", "bob", "carol"]
    assert inter.item_ids.tolist() == ["apple", "pear", "fig", "kiwi"]
    test = {(inter.user_ids[u], inter.item_ids[i]) for u, i in zip(*inter.test.nonzero())}
    assert test == {("alice", "apple"), ("bob", "kiwi")}  # latest per user; carol has a single interaction
    assert inter.train.nnz == 4 and inter.meta["split"] == "leave-last-out"


def test_interactions_csv_without_header_integer_ids_random_split_is_seeded(tmp_path):
    rng = np.random.default_rng(0)
    rows = {(int(u), int(i)) for u, i in zip(rng.integers(100, 120, 400), rng.integers(7, 60, 400))}
    f = tmp_path / "pairs.tsv"
    f.write_text("".join(f"{u}\t{i}\n" for u, i in sorted(rows)))
    a = read_format(f, "interactions-csv", seed=3)
    b = read_format(f, "interactions-csv", seed=3)
    c = read_format(f, "interactions-csv", seed=4)
    assert a.user_ids.dtype == np.int64 and set(a.user_ids.tolist()) <= set(range(100, 120))
    assert (a.test != b.test).nnz == 0 and (a.test != c.test).nnz > 0
    assert a.train.nnz + a.test.nnz == len(rows) and (a.train.multiply(a.test)).nnz == 0
    per_user = np.asarray(a.test.sum(axis=1)).ravel() / np.asarray((a.train + a.test).sum(axis=1)).ravel()
    assert 0.1 < per_user.mean() < 0.3  # test_fraction=0.2 per user


def test_interactions_csv_duplicates_dropped_with_warning(tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("u1,i1\nu1,i2\nu1,i1\nu2,i1\nu2,i3\n")
    with pytest.warns(UserWarning, match="dropped 1 duplicated"):
        inter = read_format(f, "interactions-csv")
    assert inter.train.nnz + inter.test.nnz == 4 and inter.meta["duplicates_dropped"] == 1


@pytest.mark.parametrize("content, message", [
    ("u,i,3\nu,j\n", r"bad\.csv:2: expected 3 columns"),
    ("u,i,3\nv,j,soon\n", r"bad\.csv:2: timestamp 'soon' is not a number"),
    ("a,b,c,d\n", r"bad\.csv:1: expected 2 or 3 columns"),
    ("u,i\n,j\n", r"bad\.csv:2: empty user or item id"),
    ("user,item\n", r"no interactions"),
])
def test_interactions_csv_malformed(tmp_path, content, message):
    f = tmp_path / "bad.csv"
    f.write_text(content)
    with pytest.raises(DataError, match=message):
        read_format(f, "interactions-csv")


def test_interactions_csv_bad_arguments(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("u,i\nv,j\n")
    with pytest.raises(ConfigError, match="leave-last-out.*timestamp"):
        read_format(f, "interactions-csv", split="leave-last-out")
    with pytest.raises(ConfigError, match="split: unknown 'temporal'"):
        read_format(f, "interactions-csv", split="temporal")


def test_movielens_100k_u_data(tmp_path):
    f = tmp_path / "u.data"  # tab-separated user item rating timestamp, as in ml-100k
    f.write_text("196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n"
                 "196\t51\t2\t880606923\n186\t346\t1\t886397596\n22\t377\t1\t878887116\n")
    inter = read_movielens_100k(f, split="leave-last-out")
    assert inter.user_ids.tolist() == [196, 186, 22] and inter.n_items == 5
    test = {(int(inter.user_ids[u]), int(inter.item_ids[i])) for u, i in zip(*inter.test.nonzero())}
    assert test == {(196, 242), (186, 302)}
    assert read_movielens_100k(f, min_rating=2).train.nnz + read_movielens_100k(f, min_rating=2).test.nnz == 3


def test_movielens_1m_ratings_dat(tmp_path):
    f = tmp_path / "ratings.dat"  # UserID::MovieID::Rating::Timestamp
    f.write_text("1::1193::5::978300760\n1::661::3::978302109\n1::914::3::978301968\n2::1357::5::978298709\n")
    inter = read_movielens_1m(f, split="leave-last-out")
    assert (inter.n_users, inter.n_items, inter.train.nnz, inter.test.nnz) == (2, 4, 3, 1)
    assert inter.item_ids[inter.test.nonzero()[1][0]] == 661
    f.write_text("1::1193::5::978300760\n1::661::3\n")
    with pytest.raises(DataError, match=r"ratings\.dat:2: expected user, item, rating, timestamp"):
        read_movielens_1m(f)


# --- node-classification formats ----------------------------------------------------------------------------
def write_planetoid(folder, name="toy"):
    """A 6-node Planetoid graph: 2 training nodes, 2 in allx only, test nodes 4 and 5 stored in reverse."""
    feats = np.eye(6, 3, dtype=np.float32)
    onehot = np.eye(2)[[0, 1, 0, 1, 1, 0]]
    parts = {"x": sp.csr_matrix(feats[:2]), "y": onehot[:2], "allx": sp.csr_matrix(feats[:4]),
             "ally": onehot[:4],
             "tx": sp.csr_matrix(feats[[5, 4]]), "ty": onehot[[5, 4]],
             "graph": {0: [1], 1: [0, 2], 2: [1, 3, 2], 3: [2], 4: [5], 5: [4]}}
    for part, obj in parts.items():
        (folder / f"ind.{name}.{part}").write_bytes(pickle.dumps(obj, protocol=2))
    (folder / f"ind.{name}.test.index").write_text("5\n4\n")


def test_planetoid_folder(tmp_path):
    write_planetoid(tmp_path)
    g = read_format(tmp_path, "planetoid")
    assert isinstance(g, Graph) and (g.num_nodes, g.num_edges, g.num_features) == (6, 4, 3)
    assert g.y.tolist() == [0, 1, 0, 1, 1, 0]
    assert g.x.tolist() == np.eye(6, 3).tolist()  # test rows put back in index order
    assert g.train_mask.tolist() == [True, True] + [False] * 4
    assert g.test_mask.tolist() == [False] * 4 + [True] * 2


def test_npz_gnn_benchmark_and_heterophilous(tmp_path):
    adj = sp.csr_matrix(np.array([[0, 1, 0], [0, 0, 1], [0, 0, 1]], np.float32))  # directed, with a self-loop
    attr = sp.csr_matrix(np.array([[1, 0], [0, 2], [3, 0]], np.float32))
    np.savez(tmp_path / "g.npz", adj_data=adj.data, adj_indices=adj.indices, adj_indptr=adj.indptr,
             adj_shape=adj.shape, attr_data=attr.data, attr_indices=attr.indices, attr_indptr=attr.indptr,
             attr_shape=attr.shape, labels=np.array([0, 1, 1]))
    g = read_format(tmp_path / "g.npz", "npz")
    assert g.num_edges == 2 and dense(g.adj) == [[0, 1, 0], [1, 0, 1], [0, 1, 0]] and g.train_mask is None
    masks = np.zeros((3, 3), bool)
    np.savez(tmp_path / "h.npz", node_features=np.ones((3, 4)), node_labels=np.array([1, 0, 1]),
             edges=np.array([[0, 1], [1, 2]]), train_masks=masks, val_masks=masks, test_masks=masks)
    h = read_format(tmp_path / "h.npz", "npz")
    assert h.num_splits == 3 and h.num_edges == 2 and h.num_features == 4


def write_graph_files(folder, labels="label\ncat\ndog\n\ncat\n"):
    np.save(folder / "features.npy", np.arange(8, dtype=np.float64).reshape(4, 2))
    (folder / "edges.csv").write_text("source,target\n0,1\n1,2\n2,1\n3,3\n")
    (folder / "labels.csv").write_text(labels)


def test_graph_files_folder(tmp_path):
    write_graph_files(tmp_path)
    g = read_format(tmp_path, "graph-files")
    assert dense(g.adj) == [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    assert g.y.tolist() == [0, 1, -1, 0] and g.meta["classes"] == ["cat", "dog"]
    assert g.x.dtype == np.float32 and g.x.sum() == 28


def test_graph_files_node_label_pairs(tmp_path):
    write_graph_files(tmp_path, labels="3,1\n0,0\n")
    assert read_format(tmp_path, "graph-files").y.tolist() == [0, -1, -1, 1]


def test_graph_files_id_out_of_range_names_file_and_line(tmp_path):
    write_graph_files(tmp_path)
    (tmp_path / "edges.csv").write_text("0,1\n1,4\n")
    with pytest.raises(DataError, match=r"edges\.csv:2: node id out of range 0\.\.3"):
        read_format(tmp_path, "graph-files")
    (tmp_path / "edges.csv").write_text("0,1\n1,two\n")
    with pytest.raises(DataError, match=r"edges\.csv:2: node ids must be integers"):
        read_format(tmp_path, "graph-files")
    (tmp_path / "edges.csv").write_text("0,1\n")
    (tmp_path / "labels.csv").write_text("0,cat\n9,dog\n")
    with pytest.raises(DataError, match=r"labels\.csv:2: node id 9 out of range"):
        read_format(tmp_path, "graph-files")


def test_unknown_format_lists_the_known_ones(tmp_path):
    with pytest.raises(ConfigError, match="--format: unknown 'csv'; expected one of graph-files, gte-pkl, "
                                          "interactions-csv"):
        read_format(tmp_path, "csv")
    assert set(FORMATS) == {"gte-pkl", "lightgcn-txt", "interactions-csv", "planetoid", "npz", "graph-files"}


# --- NAS tables ---------------------------------------------------------------------------------------------
HEADER = "Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%)\n"
A = "\"{'wid': None, 'ks': [3, 5], 'e': [4, 6], 'd': [2], 'r': [224]}\""
B = "\"{'wid': None, 'ks': [7, 7], 'e': [3, 3], 'd': [4], 'r': [224]}\""


def test_dynast_csv_parses_configs_and_dedupes_across_files(tmp_path):
    (tmp_path / "a.csv").write_text(HEADER + f"{A},2022-01-01,100,0,1000,75.5\n"
                                             f"{B},2022-01-02,200,3.5,2000,76\n")
    (tmp_path / "b.csv").write_text(HEADER + f"{B},2022-01-03,200,9.9,2000,77\n")
    t = read_dynast_csv([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert len(t) == 2 and t.meta["duplicates_dropped"] == 1
    assert t.arch["ks"].tolist() == [[3, 5], [7, 7]] and t.arch["d"].tolist() == [[2], [4]]
    assert t.encoding().tolist() == [[3, 5, 4, 6, 2, 224], [7, 7, 3, 3, 4, 224]]
    assert np.isnan(t.latency[0]) and t.latency[1] == 3.5  # first measurement kept; 0 means not measured
    assert t.top1.tolist() == [75.5, 76.0] and t.source.tolist() == ["a.csv", "a.csv"]


def test_dynast_csv_refuses_code_and_names_line(tmp_path):
    (tmp_path / "evil.csv").write_text(HEADER + "\"__import__('os').system('true')\",d,1,0,1,1\n")
    with pytest.raises(DataError, match=r"evil\.csv:2: 'Sub-network' is not a config dict literal"):
        read_dynast_csv(tmp_path / "evil.csv")
    (tmp_path / "short.csv").write_text(HEADER + f"{A},2022,100,0\n")
    with pytest.raises(DataError, match=r"short\.csv:2: 4 fields, header has 6"):
        read_dynast_csv(tmp_path / "short.csv")


def test_help_folder(tmp_path):
    import torch

    (tmp_path / "latency").mkdir()
    archs = {"|a~0|+|b~0|b~1|": 1, "|b~0|+|a~0|a~1|": 0}
    torch.save(archs, tmp_path / "str_arch2idx.pt")
    torch.save([1], tmp_path / "hardware_embedding_index.pt")
    torch.save([1.5, 2.5], tmp_path / "latency" / "cpu_1.pt")
    torch.save([3, 4], tmp_path / "latency" / "pixel2.pt")
    t = read_help(tmp_path, "nasbench201")
    assert t.archs == ["|b~0|+|a~0|a~1|", "|a~0|+|b~0|b~1|"] and t.devices == ["cpu_1", "pixel2"]
    assert t.matrix().tolist() == [[1.5, 3.0], [2.5, 4.0]]
    torch.save([1.0], tmp_path / "latency" / "short.pt")
    with pytest.raises(DataError, match=r"short\.pt: 1 latencies for 2 architectures"):
        read_help(tmp_path, "nasbench201")


# --- images and text ----------------------------------------------------------------------------------------
def idx_bytes(arr: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, arr.ndim]) + np.asarray(arr.shape, ">i4").tobytes()
    return header + arr.astype(np.uint8).tobytes()


def test_mnist_idx_gz(tmp_path):
    images = np.arange(3 * 4 * 5).reshape(3, 4, 5) % 256
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(np.array([7, 0, 3]))))
    m = read_mnist(tmp_path)
    assert m.images.tolist() == images.tolist() and m.labels.tolist() == [7, 0, 3]
    raw = tmp_path / "x-idx1-ubyte"
    raw.write_bytes(idx_bytes(np.array([1, 2, 3]))[:-1])
    with pytest.raises(DataError, match="header says"):
        read_idx(raw)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images))[:-10])
    with pytest.raises(DataError, match="truncated or corrupt gzip"):
        read_mnist(tmp_path)


def test_text_formats(tmp_path):
    (tmp_path / "TREC.train").write_bytes("DESC:manner How ?\nHUM:ind Who is Andr\xe9 ?\n".encode("latin-1"))
    (tmp_path / "TREC.test").write_bytes(b"NUM:date When ?\n")
    t = read_trec(tmp_path)
    assert t.texts == ["How ?", "Who is Andr\xe9 ?", "When ?"] and t.classes == ["DESC", "HUM", "NUM"]
    assert t.split.tolist() == ["train", "train", "test"]
    for part, text in (("train", "1 good .\n0 bad .\n"), ("dev", "1 fine\n"), ("test", "0 meh\n")):
        (tmp_path / f"stsa.binary.{part}").write_text(text)
    s = read_sst2(tmp_path)
    assert s.labels.tolist() == [1, 0, 1, 0] and len(s.subset("dev")) == 1
    (tmp_path / "rt-polarity.pos").write_bytes(b"great \x85 film\nfun\n")  # 0x85 is not a line break
    (tmp_path / "rt-polarity.neg").write_bytes(b"dull\n")
    mr = read_mr(tmp_path)
    assert mr.texts == ["dull", "great \x85 film", "fun"]
    assert mr.labels.tolist() == [0, 1, 1] and mr.split is None
    (tmp_path / "stsa.binary.dev").write_text("1 fine\npositive words\n")
    with pytest.raises(DataError, match=r"stsa\.binary\.dev:2: expected '0\|1 sentence'"):
        read_sst2(tmp_path)
    (tmp_path / "TREC.test").write_text("When is it\n")
    with pytest.raises(DataError, match=r"TREC\.test:1: expected 'COARSE:fine question'"):
        read_trec(tmp_path)


def test_no_warning_for_clean_files(tmp_path):
    f = tmp_path / "clean.csv"
    f.write_text("a,x\nb,y\na,y\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_format(f, "interactions-csv")
