"""Registry, verify, fetch, processed cache and load-time errors, on hand-made datasets in tmp folders."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from learnless.data import get_dataset, list_datasets, load, load_graph, load_interactions
from learnless.data.cache import processed_dir
from learnless.data.checksums import SHARED_FILES
from learnless.data.fetch import fetch_dataset
from learnless.data.integrity import verify_dataset
from learnless.data.loaders.interactions_csv import read_interactions_csv
from learnless.data.registry import REGISTRY, TASKS, Dataset, RemoteFile
from learnless.errors import ChecksumError, DataError, DatasetNotFoundError, MissingFileError

CSV = "u1,i1,1\nu1,i2,2\nu1,i3,3\nu2,i1,1\nu2,i3,5\nu3,i2,1\nu3,i4,2\n"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNLESS_CACHE", str(tmp_path / "cache"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A registered 'toy-log' dataset: one interactions CSV, pinned, served from a file:// mirror."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "log.csv").write_text(CSV)
    calls = []

    def reader(root, ds):
        calls.append(root)
        return read_interactions_csv(Path(root) / "toy" / "log.csv", split="leave-last-out", name="toy-log")

    ds = Dataset("toy-log", "recommendation",
                 (RemoteFile("toy/log.csv", sha(CSV.encode()), (mirror / "log.csv").as_uri(), len(CSV)),),
                 reader=reader, description="toy", licence="test")
    monkeypatch.setitem(REGISTRY, ds.name, ds)
    data = tmp_path / "data"
    return ds, data, mirror, calls


# --- registry -----------------------------------------------------------------------------------------------
def test_every_shared_file_belongs_to_a_registered_dataset():
    registered = {f.path: f for ds in list_datasets() for f in ds.files}
    readmes = {p for p in SHARED_FILES if p.endswith("README.md") or "README." in p}
    assert set(SHARED_FILES) - readmes <= set(registered)
    for path, (digest, size, url) in SHARED_FILES.items():
        if path in registered:
            assert (registered[path].sha256, registered[path].size, registered[path].url) == (digest, size,
                                                                                              url)
            assert url.startswith("https://github.com/") and "/raw/" in url


def test_registered_names_tasks_and_download_only_datasets():
    names = {d.name for d in list_datasets()}
    for n in ("cora", "citeseer", "pubmed", "cora-gnnbench", "citeseer-gnnbench", "cora_ml", "actor",
              "tolokers",
              "amazon_beauty", "tmall", "sparse_tmall", "sparse_yelp", "gowalla", "movielens-100k",
              "movielens-1m",
              "dynast-ofa-mbnv3", "dynast-tests-ofa", "dynast-transformerlt", "help-ofa", "help-fbnet",
              "help-nasbench201", "mnist-test", "trec", "sst2", "mr"):
        assert n in names
    assert {d.task for d in list_datasets()} == set(TASKS)
    assert not get_dataset("pubmed").in_shared_data and get_dataset("pubmed").redistributable
    for n in ("movielens-100k", "movielens-1m"):
        ds = get_dataset(n)
        assert not ds.redistributable and "redistribution" in ds.licence
        assert ds.files[0].url.startswith("https://files.grouplens.org/") and ds.files[0].member
    for ds in list_datasets():
        assert ds.citation and ds.licence and ds.description and all(f.url for f in ds.files)


def test_unknown_name_suggests_close_names():
    with pytest.raises(DatasetNotFoundError, match=r"unknown dataset 'gowala'; did you mean gowalla\?"):
        get_dataset("gowala")
    with pytest.raises(DatasetNotFoundError, match="see `learnless data list`"):
        load("no-such-thing-at-all")


def test_the_registry_is_built_without_reading_the_manifest(monkeypatch):
    import builtins
    import importlib
    import io

    from learnless.data import catalog, checksums, registry

    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        assert "MANIFEST" not in str(file), "the package must not read MANIFEST.md at run time"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(registry, "REGISTRY", {})
    monkeypatch.setattr(registry, "_catalog_loaded", False)
    importlib.reload(checksums)
    importlib.reload(catalog)
    assert len(registry.list_datasets()) == len(REGISTRY) - ("toy-log" in REGISTRY)


def test_catalog_and_registry_do_not_import_each_other():
    import ast

    from learnless.data import catalog, registry

    def imported(module) -> set[str]:
        tree = ast.parse(Path(module.__file__).read_text())
        return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}

    assert "learnless.data.registry" not in imported(catalog)
    assert "learnless.data.catalog" in imported(registry)  # one direction only, on first lookup


def test_checksums_are_a_json_package_resource():
    from importlib import resources

    from learnless.data.checksums import SHARED_FILES

    doc = json.loads(resources.files("learnless.data").joinpath("checksums.json").read_text())
    assert len(doc) == len(SHARED_FILES) > 100
    path, entry = next(iter(doc.items()))
    assert SHARED_FILES[path] == (entry["sha256"], entry["bytes"], entry["url"])


# --- load errors --------------------------------------------------------------------------------------------
def test_missing_file_names_it_and_the_fetch_command(toy):
    _, data, _, _ = toy
    with pytest.raises(MissingFileError, match=r"toy/log\.csv: missing file of dataset 'toy-log'.*"
                                               r"`learnless data fetch toy-log`"):
        load("toy-log", data)
    with pytest.raises(MissingFileError, match="licence forbids redistribution"):
        load("movielens-1m", data)


def test_corrupt_file_is_caught_by_verify_and_by_load_verify(toy):
    ds, data, _, _ = toy
    (data / "toy").mkdir(parents=True)
    cut = CSV[: CSV.rindex("u3,i4")]  # truncated at a line boundary: still parses
    (data / "toy" / "log.csv").write_text(cut)
    checks = verify_dataset(ds, data)
    assert [c.status for c in checks] == ["mismatch"]
    assert checks[0].expected == sha(CSV.encode()) and checks[0].actual == sha(cut.encode())
    with pytest.raises(ChecksumError, match=f"expected sha256 {sha(CSV.encode())}, got {sha(cut.encode())}"):
        load("toy-log", data, verify=True)
    assert load("toy-log", data).train.nnz + load("toy-log", data).test.nnz == 6  # unverified: loads silently


# --- fetch --------------------------------------------------------------------------------------------------
def test_fetch_from_file_url_is_verified_and_idempotent(toy):
    ds, data, _, _ = toy
    assert fetch_dataset(ds, data) == {"toy/log.csv": "downloaded"}
    assert (data / "toy" / "log.csv").read_text() == CSV
    assert [c.status for c in verify_dataset(ds, data)] == ["ok"]
    assert fetch_dataset(ds, data) == {"toy/log.csv": "present"}
    (data / "toy" / "log.csv").write_text("corrupt")
    assert fetch_dataset(ds, data) == {"toy/log.csv": "replaced"}
    assert (data / "toy" / "log.csv").read_text() == CSV


def test_fetch_of_a_corrupt_download_leaves_nothing(toy):
    ds, data, mirror, _ = toy
    (mirror / "log.csv").write_text(CSV + "u9,i9,9\n")  # the mirror serves other bytes
    with pytest.raises(ChecksumError, match=r"file://.*log\.csv: downloaded file does not match"):
        fetch_dataset(ds, data)
    assert not (data / "toy" / "log.csv").exists()
    assert not (data / "toy").exists()  # no temporary file, and no directory the fetch made, left behind


def test_fetch_with_a_custom_downloader(toy, tmp_path):
    ds, data, mirror, _ = toy
    seen = []

    def downloader(url, output_file, pooch_obj, check_only=False):
        seen.append(url)
        Path(output_file).write_bytes((mirror / "log.csv").read_bytes())

    ds2 = Dataset(ds.name, ds.task, (RemoteFile("toy/log.csv", ds.files[0].sha256,
                                                "https://example.org/log.csv"),),
                  reader=ds.reader)
    fetch_dataset(ds2, data, downloader=downloader)
    assert seen == ["https://example.org/log.csv"] and (data / "toy" / "log.csv").read_text() == CSV


def test_fetch_archive_member_like_movielens(tmp_path):
    ratings = "1::10::5::100\n1::11::3::200\n2::10::4::150\n"
    archive = tmp_path / "ml-1m.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ml-1m/ratings.dat", ratings)
        z.writestr("ml-1m/README", "licence text")
    ml = get_dataset("movielens-1m")
    ds = Dataset(ml.name, ml.task, (RemoteFile(ml.files[0].path, None, archive.as_uri(),
                                               member="ml-1m/ratings.dat"),),
                 reader=ml.reader)
    data = tmp_path / "data"
    fetch_dataset(ds, data)
    assert (data / "movielens" / "ml-1m" / "ratings.dat").read_text() == ratings
    inter = ds.load(data)
    assert (inter.n_users, inter.n_items, inter.train.nnz + inter.test.nnz) == (2, 2, 3)
    assert [c.status for c in verify_dataset(ds, data)] == ["unpinned"]


def test_load_with_download(toy):
    _, data, _, calls = toy
    inter = load("toy-log", data, download=True)
    assert inter.n_users == 3 and len(calls) == 1


def test_downloads_in_the_user_cache_are_found_when_the_data_dir_lacks_them(toy, tmp_path, monkeypatch):
    ds, _, _, _ = toy
    fetch_dataset(ds, tmp_path / "cache")  # LEARNLESS_CACHE (set by the autouse fixture)
    monkeypatch.setenv("LEARNLESS_DATA", str(tmp_path / "elsewhere"))
    assert load("toy-log").n_users == 3
    with pytest.raises(MissingFileError):  # an explicit --data-dir is taken at its word
        load("toy-log", tmp_path / "elsewhere")


def test_an_unwritable_cache_does_not_break_loading(toy, tmp_path, monkeypatch):
    ds, data, _, calls = toy
    fetch_dataset(ds, data)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("LEARNLESS_CACHE", str(blocker))
    assert load("toy-log", data).n_users == 3 and load("toy-log", data).n_users == 3 and len(calls) == 2


# --- processed cache ----------------------------------------------------------------------------------------
def test_second_load_does_not_call_the_reader_and_a_changed_file_invalidates(toy):
    ds, data, _, calls = toy
    fetch_dataset(ds, data)
    first = load_interactions("toy-log", data_dir=data)
    second = load_interactions("toy-log", data_dir=data)
    assert len(calls) == 1
    assert (first.train != second.train).nnz == 0 and (first.test != second.test).nnz == 0
    assert second.user_ids.tolist() == ["u1", "u2", "u3"] and second.meta == first.meta
    cached = sorted(processed_dir().iterdir())
    assert len(cached) == 1 and cached[0].suffix == ".npz"
    with np.load(cached[0], allow_pickle=False) as z:  # pickle-free
        assert "train.data" in z.files
    (data / "toy" / "log.csv").write_text(CSV + "u4,i1,1\n")
    third = load_interactions("toy-log", data_dir=data)
    assert len(calls) == 2 and third.n_users == 4
    assert len(list(processed_dir().iterdir())) == 1  # the stale entry was replaced
    load_interactions("toy-log", data_dir=data, cache=False)
    assert len(calls) == 3


def test_damaged_cache_file_is_rebuilt(toy):
    ds, data, _, calls = toy
    fetch_dataset(ds, data)
    load("toy-log", data)
    (entry,) = processed_dir().iterdir()
    entry.write_bytes(b"garbage")
    assert load("toy-log", data).n_users == 3 and len(calls) == 2


def test_graph_round_trips_through_the_cache(tmp_path, monkeypatch):
    from learnless.data.cache import cached
    from learnless.data.synthetic import sbm_graph

    g = sbm_graph(n_nodes=300, n_classes=3, seed=1)
    g.meta = {"note": "json only"}
    raw = tmp_path / "raw.bin"
    raw.write_bytes(b"v1")
    calls = []

    def read():
        calls.append(1)
        return g

    cached("sbm", [raw], read)
    h = cached("sbm", [raw], read)
    assert len(calls) == 1
    assert (h.adj != g.adj).nnz == 0 and np.array_equal(h.x, g.x) and np.array_equal(h.y, g.y)
    assert np.array_equal(h.train_mask, g.train_mask) and h.meta == g.meta and h.name == g.name


def test_load_graph_rejects_a_recommendation_dataset(toy):
    ds, data, _, _ = toy
    fetch_dataset(ds, data)
    with pytest.raises(DataError, match="toy-log: is a Interactions, not a node-classification graph"):
        load_graph("toy-log", data_dir=data)
