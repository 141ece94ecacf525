"""Every dataset learnless knows, registered with its files, checksums, sources and reader.

The sha256 values are those of ../shared/data/MANIFEST.md (the files as published upstream)."""

from __future__ import annotations

from pathlib import Path

from learnless.data.loaders.lightgcn import read_lightgcn_gowalla
from learnless.data.loaders.npz_graphs import read_gnn_benchmark_npz, read_heterophilous_npz
from learnless.data.loaders.pickled_matrices import read_autocf_pkl, read_gte_pkl
from learnless.data.loaders.planetoid import read_planetoid
from learnless.data.registry import Dataset, RemoteFile, register

PLANETOID_URL = "https://github.com/kimiyoung/planetoid/raw/master/data/{}"
PLANETOID_SHA = {
    "ind.cora.x": "23cfa55d91c6f624233f5eb7b6e3f141f1bd2b2ae39608a63cf5d084bb27baab",
    "ind.cora.y": "94465c14eb53e04ca262198dcbb2521ee8af60fb3f3d546cd6ca24a511b0e7d1",
    "ind.cora.tx": "b9afbaa4a400df991f6f02ef677e1e44da55ffc04801fd02f9e673987829226a",
    "ind.cora.ty": "41f5ac76596a1699cc33f53084a2419e92961c42bb75f36fc38e616d348532ad",
    "ind.cora.allx": "9419ba2f26f5c35243db64aba110e0f35a04851609e0dc5433450676ca6b8543",
    "ind.cora.ally": "2b998f5cc7fedc86e7f97ca2498f47a1ffc1462c29e2d578b23bf3f62b6e7d71",
    "ind.cora.graph": "58f13302f39dde8852dad6fe6d15b89b077b6d7f837626bce671ef80344b383d",
    "ind.cora.test.index": "297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875",
    "ind.citeseer.x": "d20de19150741e555de0ed037195630fc194114ebc7fd72ced62810148aa22f6",
    "ind.citeseer.y": "8ba87e515d8e3ee3cf52f6d2c5b86aa73f11ecad825a808455209ec26cd54924",
    "ind.citeseer.tx": "539a8906a2da97628d212f2fdd668c109a8b3f0d36574b59e5d3fd5b5303da21",
    "ind.citeseer.ty": "55e5bd1ba1e733a04598753ad1a8d57957f4b8f89e74519f41f4f4938767e4ce",
    "ind.citeseer.allx": "2ac30345d95c9ec933a817ee0bdd6a5f077f8c184a20e696910192d534414668",
    "ind.citeseer.ally": "f704b2d986dde6c2669934de1f3ae5696a6cf9455c0f6b2646a2d135ea0a1c95",
    "ind.citeseer.graph": "d79a4ef9d3e7169aee8946145f6b7306e35bc79bffad26346cfb94e10e9912a7",
    "ind.citeseer.test.index": "2af990671580b6b2df5d158d1038f8292e30c9cd821b5453f399659b25b723d4",
}
PLANETOID_CITE = ("Yang, Cohen, Salakhutdinov, 'Revisiting Semi-Supervised Learning with Graph Embeddings', "
                  "ICML 2016; data: Sen et al., AI Magazine 2008")


def _planetoid_reader(name):
    return lambda root, ds: read_planetoid(Path(root) / "planetoid", name)


for _name, _title in (("cora", "Cora"), ("citeseer", "CiteSeer")):
    register(Dataset(
        name=_name, task="node-classification",
        files=tuple(RemoteFile(f"planetoid/{f}", PLANETOID_SHA[f], PLANETOID_URL.format(f))
                    for f in PLANETOID_SHA if f.startswith(f"ind.{_name}.")),
        reader=_planetoid_reader(_name),
        description=f"{_title} citation graph, Planetoid public split (20 per class / 500 / 1000)",
        citation=PLANETOID_CITE, licence="MIT (kimiyoung/planetoid)"))

GTE_URL = "https://github.com/HKUDS/GTE/raw/main/data/{}"
GTE_SHA = {
    "amazon_beauty/train_mat.pkl": "fe4758aaa77b51c5adfd7c1b2b8c4f6547ec5df48a3898a148a828cb24c6d812",
    "amazon_beauty/test_mat.pkl": "abc7efb04645230b74888ddde83c13f65308564973444e487076857bef8cc181",
    "tmall/train_mat.pkl": "0e2404b7fa2f2bfa7665a51672f075ba3dd723b8ec8d105dd9c5fd72eed9ae2d",
    "tmall/test_mat.pkl": "4ade19470e621a794dd646b44464cb2ef6c4868c27ad3d4d13a5f1ba6bd4e0cd",
    "sparse_tmall/train_mat.pkl": "6ca8b00b1035d99ec2d530260b683e60f05ac6cdbe3dcd944fdebd9d88448a9b",
    "sparse_tmall/test_mat.pkl": "f4fe5899174e7364154980349ddd055f18949dd0b96e24d81be7aa6a9159bd61",
}
GTE_CITE = "Cai, Xia, Ren, Huang, 'How Expressive are Graph Neural Networks in Recommendation?', CIKM 2023"

for _name in ("amazon_beauty", "tmall", "sparse_tmall"):
    register(Dataset(
        name=_name, task="recommendation",
        files=tuple(RemoteFile(f"gte/{f}", sha, GTE_URL.format(f)) for f, sha in GTE_SHA.items()
                    if f.startswith(f"{_name}/")),
        reader=(lambda n: lambda root, ds: read_gte_pkl(Path(root) / "gte" / n, name=n))(_name),
        description=f"GTE paper's {_name} split (pickled scipy COO, users x items)",
        citation=GTE_CITE, licence="none stated (HKUDS/GTE)"))

AUTOCF_URL = "https://github.com/HKUDS/AutoCF/raw/main/Datasets/sparse_yelp/{}"
register(Dataset(
    name="sparse_yelp", task="recommendation",
    files=(RemoteFile("hkuds_autocf/sparse_yelp/trnMat.pkl",
                      "299c23b93952c3e4553c17d004a69651fda9419cfcbbce70df9c3f539de4ff43", AUTOCF_URL.format("trnMat.pkl")),
           RemoteFile("hkuds_autocf/sparse_yelp/valMat.pkl",
                      "c27cb28baba07184fa0331412ec7ec64e462b435b29483a94285f525fab74eb9", AUTOCF_URL.format("valMat.pkl")),
           RemoteFile("hkuds_autocf/sparse_yelp/tstMat.pkl",
                      "289b445aab82a5059dfd9585f7dec289fd5963a56891e58ea372da5b5edd8d8a", AUTOCF_URL.format("tstMat.pkl"))),
    reader=lambda root, ds: read_autocf_pkl(Path(root) / "hkuds_autocf" / "sparse_yelp", name="sparse_yelp"),
    description="Yelp 70:5:25 split from HKUDS/AutoCF (train / validation / test)",
    citation="Xia et al., 'Automated Self-Supervised Learning for Recommendation', WWW 2023",
    licence="none stated (HKUDS/AutoCF)"))

HETERO_URL = "https://github.com/yandex-research/heterophilous-graphs/raw/main/data/{}.npz"
HETERO_CITE = ("Platonov et al., 'A critical look at the evaluation of GNNs under heterophily', ICLR 2023 "
               "(chameleon/squirrel: Rozemberczki et al. 2021; actor/cornell/texas/wisconsin: Pei et al., ICLR 2020)")
HETERO_FILES = {
    "actor": ("c350eef06b2c2a9bf8218be2b57cac6d4003d0922eb597a039e9123f75817816", 252956),
    "chameleon": ("4c640bd2877fc4f9f101531e2f977bc16445a54e09a5cb01178df608e552f3fd", 177840),
    "chameleon_filtered": ("bf46f07e1fb5249280447e5fe3100f3e82fc4b93ad1e13ffcfdec924b6ac0bb5", 58924),
    "squirrel": ("d436e3b42c0546b105241c0ab0766097074e68e55f67b133eeb9b0162e55cbd9", 704277),
    "squirrel_filtered": ("f06370ffb3116c5de8b7a600005400b2293c025e0ce2f6916d8201a825505ac7", 208215),
    "cornell": ("684c54ba3daa13b0ba1f04a3d6dd1b1175c1ae9bdeb982851fd4ff96d3aac298", 30515),
    "texas": ("b164b99e6c3d43e4ab07488ec59bd8c815f90cbc1bd4cf425ce587d2b534d844", 28586),
    "wisconsin": ("2543c89838cfc75f737f7c4664cc1d097f8268602c20b2d1bd4f21407df9c074", 41672),
    "minesweeper": ("e664c8dacf1e8ac466c2c09ed4b237bd2c5541f47a6eae9c6092cb87f16412b3", 135045),
    "tolokers": ("dacf3ac94cec53d03cd2adb5255c08b33dee1656c33ca8164a464bd9450a1667", 1329769),
}
for _name, (_sha, _size) in HETERO_FILES.items():
    register(Dataset(
        name=_name, task="node-classification",
        files=(RemoteFile(f"heterophilous/{_name}.npz", _sha, HETERO_URL.format(_name), _size),),
        reader=(lambda n: lambda root, ds: read_heterophilous_npz(Path(root) / "heterophilous" / f"{n}.npz", n))(_name),
        description=f"{_name} (heterophilous-graphs .npz, 10 published splits)",
        citation=HETERO_CITE, licence="MIT (yandex-research/heterophilous-graphs)"))

GNNB = {  # registry name: (file, sha256, size, url)
    "cora-gnnbench": ("gnn-benchmark/cora.npz", "068e22d90c3849b4057dfb05851741428992af058efcd4e7ebb4186f3d581de2", 540580, "https://github.com/shchur/gnn-benchmark/raw/master/data/npz/cora.npz"),
    "citeseer-gnnbench": ("gnn-benchmark/citeseer.npz", "280278b21b434c047922e8389518861416fb3ad39389c27865ff0e6bbb0aaab7", 1348784, "https://github.com/shchur/gnn-benchmark/raw/master/data/npz/citeseer.npz"),
    "cora_ml": ("gnn-benchmark/ppnp_cora_ml.npz", "e3439bfd32c4a962d5c56a4f313793baee39181c208c90a3915b61183d3e1cda", 1622234, "https://github.com/klicperajo/ppnp/raw/master/ppnp/data/cora_ml.npz"),
}
for _name, (_file, _sha, _size, _url) in GNNB.items():
    register(Dataset(
        name=_name, task="node-classification", files=(RemoteFile(_file, _sha, _url, _size),),
        reader=(lambda n, f: lambda root, ds: read_gnn_benchmark_npz(Path(root) / f, n))(_name, _file),
        description=f"{_name} (gnn-benchmark .npz, no fixed split)",
        citation="Shchur et al., 'Pitfalls of Graph Neural Network Evaluation', 2018"
                 + ("; Bojchevski & Guennemann, ICLR 2018" if _name == "cora_ml" else ""),
        licence="MIT"))

GOWALLA_URL = "https://github.com/gusye1234/LightGCN-PyTorch/raw/master/data/gowalla/{}"
register(Dataset(
    name="gowalla", task="recommendation",
    files=tuple(RemoteFile(f"lightgcn/gowalla/{f}", sha, GOWALLA_URL.format(f), size) for f, sha, size in (
        ("s_adj_mat.npz", "6ab3ab7aa1278da3717054c60258d88d2d2d78914fa62db2b13da9321e397cab", 3635865),
        ("test.txt", "099a2a73924e4b754dc6efd730d764f492321b53c38eb93298850c83acf57be3", 1372559),
        ("user_list.txt", "5344c4d0deef610e1f148f23ad216a0db03b36f88834cd39a06786a672c5f5a1", 351203),
        ("item_list.txt", "6b186f92890cc3f0c15a6dae5d6285f125a302bb8c5ea0cd9a16cf9c16347139", 506926),
    )),
    reader=lambda root, ds: read_lightgcn_gowalla(Path(root) / "lightgcn" / "gowalla"),
    description="LightGCN's Gowalla (train pairs from s_adj_mat.npz, test.txt): 29,858 users x 40,981 items",
    citation="He et al., 'LightGCN', SIGIR 2020; Cho, Myers, Leskovec, KDD 2011", licence="none stated"))
