"""Every loader on the real published files: shapes, counts and a content checksum computed once.

The checksums (first 16 hex digits of a sha256 over the arrays'
bytes) were computed from the files whose sha256
the registry pins; if a reader's output changes, these tests say so."""

from __future__ import annotations

import functools
import hashlib

import numpy as np
import pytest

from learnless.data import get_dataset, load
from learnless.errors import DataError
from tests.conftest import require_shared


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):  # never write processed files into the user's cache
    monkeypatch.setenv("LEARNLESS_CACHE", str(tmp_path / "cache"))


def array_hash(a) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]


def pairs_hash(m) -> str:
    coo = m.tocsr().tocoo()
    return array_hash(np.stack([coo.row, coo.col]).astype(np.int64))


def files_of(name):
    return [f.path for f in get_dataset(name).files]


# name: nodes, edges, features, classes, feature sum, edge hash, label sum, (train, val, test) of split 0
GRAPHS = {
    "cora": (2708, 5278, 1433, 7, 49216.0, "270ca66d99c4b94f", 7781, (140, 500, 1000)),
    "citeseer": (3327, 4552, 3703, 6, 105165.0, "8714f2752417159e", 8938, (120, 500, 1000)),
    "cora-gnnbench": (2708, 5278, 1433, 7, 49216.0, "6b095d3d99a0d5c0", 7206, None),
    "citeseer-gnnbench": (3312, 4536, 3703, 6, 105165.0, "0b0aa24e2a72b302", 9144, None),
    "cora_ml": (2995, 8158, 2879, 7, 17938.80635410268, "6fb8f7acfeec68ee", 8795, None),
    "chameleon": (2277, 31371, 2325, 5, 29157.0, "a14b5077db72e31a", 4477, (1092, 729, 456)),
    "texas": (183, 279, 1703, 5, 15266.0, "19e87aa755f9aeb7", 460, (87, 59, 37)),
    "tolokers": (11758, 519000, 10, 2, 44970.000052578136, "15f2325796519cb3", 2566, (5879, 2939, 2940)),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(GRAPHS))
def test_graph_loaders_on_real_files(name):
    root = require_shared(*files_of(name))
    nodes, edges, feats, classes, xsum, ehash, ysum, split = GRAPHS[name]
    g = load(name, root, cache=False)
    assert (g.num_nodes, g.num_edges, g.num_features, g.num_classes) == (nodes, edges, feats, classes)
    assert g.x.astype(np.float64).sum() == pytest.approx(xsum, rel=1e-9)
    assert pairs_hash(g.adj) == ehash
    assert int(g.y.sum()) == ysum
    assert (g.adj != g.adj.T).nnz == 0 and g.adj.diagonal().sum() == 0
    if split is None:
        assert g.train_mask is None
    else:
        s = g.split(0)
        assert (int(s.train_mask.sum()), int(s.val_mask.sum()), int(s.test_mask.sum())) == split
        assert not (s.train_mask & s.test_mask).any()


@pytest.mark.realdata
def test_citeseer_isolated_test_nodes_have_no_label():
    root = require_shared(*files_of("citeseer"))
    g = load("citeseer", root, cache=False)
    assert int((g.y == -1).sum()) == 15
    assert g.x[g.y == -1].sum() == 0


# name: users, items, train, test, val, train-pair hash, test-pair hash
INTERACTIONS = {
    "amazon_beauty": (22363, 12101, 176139, 22363, None, "96c1c6203d999b86", "4c68cdcc38f08106"),
    "tmall": (31882, 31232, 167862, 10000, None, "09535264c7b4de4e", "cfea015c98022041"),
    "sparse_tmall": (69841, 41351, 183461, 65522, None, "5fb9590c1718f185", "89a8e236e2631ac0"),
    "sparse_yelp": (42712, 26822, 182357, 65128, 13025, "837e195d0a621b04", "46d600e47d9da9a7"),
    "gowalla": (29858, 40981, 810128, 217242, None, "291e5b2e12368659", "227fe6d862b8c907"),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(INTERACTIONS))
def test_interaction_loaders_on_real_files(name):
    root = require_shared(*files_of(name))
    users, items, ntrain, ntest, nval, htrain, htest = INTERACTIONS[name]
    inter = load(name, root, cache=False)
    assert (inter.n_users, inter.n_items, inter.train.nnz, inter.test.nnz) == (users, items, ntrain, ntest)
    assert (inter.val.nnz if inter.val is not None else None) == nval
    assert pairs_hash(inter.train) == htrain and pairs_hash(inter.test) == htest


@pytest.mark.realdata
def test_dynast_mbnv3_has_2223_unique_subnetworks():
    root = require_shared(*files_of("dynast-ofa-mbnv3"))
    t = load("dynast-ofa-mbnv3", root)
    assert len(t) == 2223 and t.meta["rows_read"] == 2373 and t.meta["duplicates_dropped"] == 150
    assert list(t.arch) == ["ks", "e", "d", "r"] and t.meta["fields_dropped"] == ["wid"]
    assert t.arch["ks"].shape == (2223, 20) and t.arch["d"].shape == (2223, 5)
    assert t.encoding().shape == (2223, 46)
    assert set(np.unique(t.arch["ks"])) == {3, 5, 7} and set(np.unique(t.arch["e"])) == {3, 4, 6}
    assert array_hash(t.encoding()) == "cb94daefbb820382"
    assert t.top1.min() == pytest.approx(70.998) and t.top1.max() == pytest.approx(77.466)
    assert t.macs.min() == 122972112 and t.macs.max() == 506480288
    assert t.top1.sum() == pytest.approx(168213.926) and t.params.sum() == 11563617552
    assert np.isnan(t.latency).all()  # the notebook runs did not measure latency (0 in the files)
    assert len(set(t.subnets)) == len(t)


@pytest.mark.realdata
def test_dynast_test_inputs():
    root = require_shared(*files_of("dynast-tests-ofa"), *files_of("dynast-transformerlt"))
    ofa = load("dynast-tests-ofa", root)
    assert len(ofa) == 2 and ofa.meta["rows_read"] == 10  # the file repeats two sub-networks
    assert ofa.latency.tolist() == [14.412, 22.19]
    lt = load("dynast-transformerlt", root)
    assert len(lt) == 19 and lt.metric_name == "BLEU Score" and lt.encoding().shape == (19, 39)
    assert lt.metric.sum() == pytest.approx(483.83959125197305)
    with pytest.raises(DataError, match="not top-1"):
        _ = lt.top1


@functools.cache
def load_table(name, root):  # the HELP tables take ~1 s each: read once per test session
    return load(name, root)


# name: archs, devices, latency sum, embedding index, encoding shape and sum
HELP = {
    "help-ofa": (5000, 12, 1138429.8797130585, [1316, 1587, 1621, 1636, 1980, 2329, 2487, 3355, 3740, 4948],
                 ((5000, 46), 1890066)),
    "help-fbnet": (5000, 27, 3162813.9783815546, [3328, 3790, 3313, 890, 3052, 2538, 1640, 2514, 457, 2100],
                   ((5000, 22), 440289)),
    "help-nasbench201": (15625, 27, 5743012.8789595375,
                         [11982, 431, 55, 9, 14451, 8636, 9881, 13479, 6196, 1462], None),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(HELP))
def test_help_latency_tables(name):
    root = require_shared(*files_of(name))
    archs, devices, total, index, enc = HELP[name]
    t = load_table(name, root)
    assert len(t) == archs and len(t.devices) == devices
    m = t.matrix()
    assert m.shape == (archs, devices) and np.isfinite(m).all() and (m > 0).all()
    assert m.sum() == pytest.approx(total, rel=1e-12)
    assert t.hardware_embedding_index.tolist() == index
    if enc is None:
        assert t.encoding is None
    else:
        assert (t.encoding.shape, int(t.encoding.sum())) == enc


@pytest.mark.realdata
def test_help_archs_align_with_latencies():
    root = require_shared(*files_of("help-nasbench201"), *files_of("help-ofa"))
    nb = load_table("help-nasbench201", root)
    assert nb.archs[0] == ("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|"
                           "+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|")
    assert len(set(nb.archs)) == 15625
    ofa = load_table("help-ofa", root)
    assert set(ofa.archs[0]) == {"ks", "e", "d", "r"} and isinstance(ofa.archs[0]["r"], int)
    assert ofa.matrix(["v100_1"]).shape == (5000, 1)


@pytest.mark.realdata
def test_mnist_test_set():
    root = require_shared(*files_of("mnist-test"))
    m = load("mnist-test", root)
    assert m.images.shape == (10000, 28, 28) and m.images.dtype == np.uint8
    assert int(m.images.astype(np.int64).sum()) == 264923200
    assert np.bincount(m.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert m.flat().shape == (10000, 784) and m.flat().max() == 1.0


# name: rows, class counts, text hash, total characters, split sizes
TEXT = {
    "trec": (5952, [95, 1300, 1344, 1288, 916, 1009], "cb74f026c39049ab", 294025, {"train": 5452,
                                                                                   "test": 500}),
    "sst2": (9613, [4650, 4963], "82d79f2922cb2764", 997864, {"train": 6920, "dev": 872, "test": 1821}),
    "mr": (10662, [5331, 5331], "11f8ef6ceb60151a", 1217105, None),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(TEXT))
def test_text_corpora(name):
    root = require_shared(*files_of(name))
    rows, counts, texthash, chars, splits = TEXT[name]
    t = load(name, root)
    assert len(t) == rows and np.bincount(t.labels).tolist() == counts
    assert hashlib.sha256("\n".join(t.texts).encode()).hexdigest()[:16] == texthash
    assert sum(map(len, t.texts)) == chars
    if splits is None:
        assert t.split is None
    else:
        assert {s: len(t.subset(s)) for s in splits} == splits


@pytest.mark.realdata
def test_trec_classes_and_latin1():
    root = require_shared(*files_of("trec"), *files_of("mr"))
    t = load("trec", root)
    assert t.classes == ["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"]
    assert t.meta["fine_labels"][0] == "DESC:manner"
    # MR holds byte 0x85 (latin-1 NEL): splitting on it would yield more than 5,331 lines per file.
    mr = load("mr", root)
    assert any("\x85" in s for s in mr.texts)


@pytest.mark.realdata
def test_every_shared_dataset_verifies():
    from learnless.data import list_datasets
    from learnless.data.integrity import verify_dataset

    root = require_shared()
    for ds in list_datasets():
        if ds.in_shared_data:
            require_shared(*files_of(ds.name))
            assert {c.status for c in verify_dataset(ds, root)} == {"ok"}, ds.name
