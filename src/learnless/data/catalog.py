"""Every dataset learnless knows, registered with its files, checksums, sources, licence and reader.

Files of the shared benchmark data take their sha256, size and pinned address from `checksums.SHARED_FILES`
(the package resource checksums.json). PubMed and MovieLens are not in the shared data: they are
registered with their canonical addresses and downloaded by `learnless data fetch`; their sha256 is not pinned
(None) because no checksum of them could be taken offline, so `verify` reports them as 'unpinned'."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from learnless.data.checksums import SHARED_FILES
from learnless.data.dataset import TASKS, Dataset, RemoteFile
from learnless.data.loaders.dynast import read_dynast_csv
from learnless.data.loaders.help_latency import read_help
from learnless.data.loaders.interactions_csv import read_movielens_1m, read_movielens_100k
from learnless.data.loaders.lightgcn import read_lightgcn_gowalla
from learnless.data.loaders.mnist import read_mnist
from learnless.data.loaders.npz_graphs import read_gnn_benchmark_npz, read_heterophilous_npz
from learnless.data.loaders.pickled_matrices import read_autocf_pkl, read_gte_pkl
from learnless.data.loaders.planetoid import planetoid_files, read_planetoid
from learnless.data.loaders.text import read_mr, read_sst2, read_trec

# Every dataset, in listing order; `learnless.data.registry` registers them on its first lookup.
DATASETS: list[Dataset] = []


def register(dataset: Dataset) -> Dataset:
    if dataset.task not in TASKS:
        raise ValueError(f"dataset {dataset.name}: unknown task {dataset.task!r}")
    if any(d.name == dataset.name for d in DATASETS):
        raise ValueError(f"dataset {dataset.name} registered twice")
    DATASETS.append(dataset)
    return dataset


def shared(*paths: str) -> tuple[RemoteFile, ...]:
    """RemoteFiles for paths of the shared data, with their pinned sha256, size and address."""
    return tuple(RemoteFile(p, SHARED_FILES[p][0], SHARED_FILES[p][2], SHARED_FILES[p][1]) for p in paths)


def shared_under(prefix: str) -> tuple[RemoteFile, ...]:
    return shared(*(p for p in SHARED_FILES if p.startswith(prefix)))


def _read_at(read, relative: str, name: str, root, ds):
    """Registry reader: `read(<root>/<relative>, name)`."""
    return read(Path(root) / relative, name)


def _read_help(space: str, root, ds):
    return read_help(Path(root) / "help_hwnas" / space, space, name=ds.name)


# --- node classification ------------------------------------------------------------------------------------
PLANETOID_CITE = ("Yang, Cohen, Salakhutdinov, 'Revisiting Semi-Supervised Learning with Graph Embeddings', "
                  "ICML 2016; data: Sen et al., AI Magazine 2008")


def _planetoid_reader(name):
    return partial(_read_at, read_planetoid, "planetoid", name)


for _name, _title in (("cora", "Cora"), ("citeseer", "CiteSeer")):
    register(Dataset(
        name=_name, task="node-classification",
        files=shared(*(f"planetoid/{f}" for f in planetoid_files(_name))),
        reader=_planetoid_reader(_name),
        description=f"{_title} citation graph, Planetoid public split (20 per class / 500 / 1000)",
        citation=PLANETOID_CITE, licence="MIT (kimiyoung/planetoid)"))

register(Dataset(
    name="pubmed", task="node-classification",
    files=tuple(RemoteFile(f"planetoid/{f}", None,
                           f"https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/{f}")
                for f in planetoid_files("pubmed")),
    reader=_planetoid_reader("pubmed"),
    description="PubMed diabetes citation graph, Planetoid public split (download only: not in the shared "
                "data)",
    citation=PLANETOID_CITE + "; PubMed: Namata et al., MLG 2012", licence="MIT (kimiyoung/planetoid)",
    in_shared_data=False))

GNNB = {  # registry name: file
    "cora-gnnbench": "gnn-benchmark/cora.npz",
    "citeseer-gnnbench": "gnn-benchmark/citeseer.npz",
    "cora_ml": "gnn-benchmark/ppnp_cora_ml.npz",
}
for _name, _file in GNNB.items():
    register(Dataset(
        name=_name, task="node-classification", files=shared(_file),
        reader=partial(_read_at, read_gnn_benchmark_npz, _file, _name),
        description=f"{_name} (gnn-benchmark .npz, no fixed split: see learnless.data.splits)",
        citation="Shchur et al., 'Pitfalls of Graph Neural Network Evaluation', 2018"
                 + ("; Bojchevski & Guennemann, ICLR 2018" if _name == "cora_ml" else ""),
        licence="MIT"))

HETERO_CITE = ("Platonov et al., 'A critical look at the evaluation of GNNs under heterophily', ICLR 2023 "
               "(chameleon/squirrel: Rozemberczki et al. 2021; actor/cornell/texas/wisconsin: Pei et al., "
               "ICLR 2020)")
for _name in ("actor", "chameleon", "chameleon_filtered", "squirrel", "squirrel_filtered", "cornell", "texas",
              "wisconsin", "minesweeper", "tolokers"):
    register(Dataset(
        name=_name, task="node-classification", files=shared(f"heterophilous/{_name}.npz"),
        reader=partial(_read_at, read_heterophilous_npz, f"heterophilous/{_name}.npz", _name),
        description=f"{_name} (heterophilous-graphs .npz, 10 published splits)",
        citation=HETERO_CITE, licence="MIT (yandex-research/heterophilous-graphs)"))

# --- recommendation -----------------------------------------------------------------------------------------
GTE_CITE = "Cai, Xia, Ren, Huang, 'How Expressive are Graph Neural Networks in Recommendation?', CIKM 2023"
for _name in ("amazon_beauty", "tmall", "sparse_tmall"):
    register(Dataset(
        name=_name, task="recommendation", files=shared(f"gte/{_name}/train_mat.pkl",
                                                        f"gte/{_name}/test_mat.pkl"),
        reader=partial(_read_at, read_gte_pkl, f"gte/{_name}", _name),
        description=f"GTE paper's {_name} split (pickled scipy COO, users x items)",
        citation=GTE_CITE, licence="none stated (HKUDS/GTE)"))

register(Dataset(
    name="sparse_yelp", task="recommendation", files=shared_under("hkuds_autocf/sparse_yelp/"),
    reader=lambda root, ds: read_autocf_pkl(Path(root) / "hkuds_autocf" / "sparse_yelp", name="sparse_yelp"),
    description="Yelp 70:5:25 split from HKUDS/AutoCF (train / validation / test)",
    citation="Xia et al., 'Automated Self-Supervised Learning for Recommendation', WWW 2023",
    licence="none stated (HKUDS/AutoCF)"))

register(Dataset(
    name="gowalla", task="recommendation",
    files=shared(*(f"lightgcn/gowalla/{f}" for f in ("s_adj_mat.npz", "test.txt", "user_list.txt",
                                                     "item_list.txt"))),
    reader=lambda root, ds: read_lightgcn_gowalla(Path(root) / "lightgcn" / "gowalla"),
    description="LightGCN's Gowalla (train pairs from s_adj_mat.npz, test.txt): 29,858 users x 40,981 items",
    citation="He et al., 'LightGCN', SIGIR 2020; Cho, Myers, Leskovec, KDD 2011", licence="none stated"))

MOVIELENS = "https://files.grouplens.org/datasets/movielens/{}.zip"
MOVIELENS_LICENCE = ("GroupLens usage licence: research use, citation required, no redistribution "
                     "(learnless never ships it; `learnless data fetch` downloads it from grouplens.org)")
MOVIELENS_CITE = "Harper & Konstan, 'The MovieLens Datasets: History and Context', ACM TiiS 2015"
register(Dataset(
    name="movielens-100k", task="recommendation",
    files=(RemoteFile("movielens/ml-100k/u.data", None, MOVIELENS.format("ml-100k"),
                      member="ml-100k/u.data"),),
    reader=lambda root, ds: read_movielens_100k(Path(root) / "movielens" / "ml-100k" / "u.data"),
    description="MovieLens 100K ratings as implicit feedback (every rating), seeded per-user 80/20 split",
    citation=MOVIELENS_CITE, licence=MOVIELENS_LICENCE, redistributable=False, in_shared_data=False))
register(Dataset(
    name="movielens-1m", task="recommendation",
    files=(RemoteFile("movielens/ml-1m/ratings.dat", None, MOVIELENS.format("ml-1m"),
                      member="ml-1m/ratings.dat"),),
    reader=lambda root, ds: read_movielens_1m(Path(root) / "movielens" / "ml-1m" / "ratings.dat"),
    description="MovieLens 1M ratings as implicit feedback (every rating), seeded per-user 80/20 split",
    citation=MOVIELENS_CITE, licence=MOVIELENS_LICENCE, redistributable=False, in_shared_data=False))

# --- NAS tables ---------------------------------------------------------------------------------------------
DYNAST_CITE = ("Cummings et al., 'A Hardware-Aware Framework for Accelerating Neural Architecture Search "
               "Across Modalities', arXiv 2205.10358; Sarah et al., arXiv 2202.12954; supernet: Cai et al., "
               "'Once-for-All', ICLR 2020")
_MBNV3 = shared(*sorted(p for p in SHARED_FILES if p.startswith("dynast/notebooks_data/mbnv3w10_")))
register(Dataset(
    name="dynast-ofa-mbnv3", task="nas-table", files=_MBNV3,
    reader=lambda root, ds: read_dynast_csv([Path(root) / f.path for f in ds.files], name=ds.name),
    description="DyNAS-T's measured OFA-MobileNetV3 w1.0 sub-networks (5 search runs, deduplicated): "
                "params, MACs, ImageNet top-1",
    citation=DYNAST_CITE, licence="Apache-2.0 (IntelLabs/DyNAS-T)"))
for _name, _file, _what in (("dynast-tests-ofa", "dynast/tests_inputs/ofa.csv",
                             "DyNAS-T test input: 10 rows, 2 unique OFA sub-networks with measured latency"),
                            ("dynast-transformerlt", "dynast/tests_inputs/transformerlt.csv",
                             "DyNAS-T test input: 19 Transformer-LT sub-networks with BLEU")):
    register(Dataset(
        name=_name, task="nas-table", files=shared(_file),
        reader=lambda root, ds: read_dynast_csv([Path(root) / f.path for f in ds.files], name=ds.name),
        description=_what, citation=DYNAST_CITE, licence="Apache-2.0 (IntelLabs/DyNAS-T)"))

HELP_CITE = ("Lee et al., 'HELP: Hardware-Adaptive Efficient Latency Prediction for NAS via Meta-Learning', "
             "NeurIPS 2021; edge devices: Li et al., 'HW-NAS-Bench', ICLR 2021")
for _space, _what in (("ofa", "5,000 OFA-MobileNetV3 configs x 12 GPU/batch settings"),
                      ("fbnet", "5,000 FBNet archs x 27 device/batch settings"),
                      ("nasbench201", "all 15,625 NAS-Bench-201 cells x 27 device/batch settings")):
    register(Dataset(
        name=f"help-{_space}", task="nas-table",
        files=shared_under(f"help_hwnas/{_space}/"),
        reader=partial(_read_help, _space),
        description=f"HELP measured latencies: {_what}",
        citation=HELP_CITE, licence="MIT (HayeonLee/HELP)"))

# --- images and text ----------------------------------------------------------------------------------------
register(Dataset(
    name="mnist-test", task="images", files=shared_under("mnist/"),
    reader=lambda root, ds: read_mnist(Path(root) / "mnist", "t10k", name=ds.name),
    description="MNIST test set: 10,000 28x28 digits (the 60k training set is not in the shared data)",
    citation="LeCun, Bottou, Bengio, Haffner, Proc. IEEE 1998", licence="CC BY-SA 3.0"))

TEXT_LICENCE = "MIT (harvardnlp/sent-conv-torch)"
register(Dataset(
    name="trec", task="text", files=shared("text/trec/TREC.train", "text/trec/TREC.test"),
    reader=lambda root, ds: read_trec(Path(root) / "text" / "trec", name=ds.name),
    description="TREC question type: 6 coarse classes, 5,452 train / 500 test",
    citation="Li & Roth, 'Learning Question Classifiers', COLING 2002", licence=TEXT_LICENCE))
register(Dataset(
    name="sst2", task="text", files=shared(*(f"text/sst2/stsa.binary.{p}" for p in ("train", "dev", "test"))),
    reader=lambda root, ds: read_sst2(Path(root) / "text" / "sst2", name=ds.name),
    description="SST-2 sentences, binary sentiment: 6,920 train / 872 dev / 1,821 test",
    citation="Socher et al., 'Recursive Deep Models for Semantic Compositionality', EMNLP 2013",
    licence=TEXT_LICENCE))
register(Dataset(
    name="mr", task="text", files=shared("text/mr/rt-polarity.pos", "text/mr/rt-polarity.neg"),
    reader=lambda root, ds: read_mr(Path(root) / "text" / "mr", name=ds.name),
    description="MR movie-review sentiment: 5,331 positive + 5,331 negative, no published split",
    citation="Pang & Lee, 'Seeing stars', ACL 2005", licence=TEXT_LICENCE))
