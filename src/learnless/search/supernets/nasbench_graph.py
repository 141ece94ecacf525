"""`nasbench-graph:<dataset>`: NAS-Bench-Graph (Qin et al., NeurIPS 2022 Datasets and Benchmarks) as a tabular
super-network — 26,206 distinct GNN architectures, each trained and measured by the benchmark's authors on
Cora, CiteSeer, PubMed, Coauthor CS / Physics, Amazon Photo / Computers, ogbn-arxiv (2,021 on ogbn-proteins).

An architecture is a 4-node DAG: `link` (one of the benchmark's 9 macro wirings: the input node of each
computing node) and `op_0` ... `op_3` (gat, gcn, gin, cheb, sage, arma, graph, fc, skip; ogbn-proteins: gcn,
sage, arma, fc, skip). Configs that are isomorphic map to one measured architecture (the package's own
`Arch.valid_hash`); the only configs without a row are the all-`skip` ones, which fail as evaluations.

Metrics, all measured by the benchmark (the `light` tables the `nas-bench-graph` wheel ships, read through
learnless's allow-list unpickler, never `pickle.load`):
  accuracy       validation accuracy (%), the search objective;
  test_accuracy  test accuracy (%), reported, never searched on;
  latency        inference latency (ms) on the benchmark's GPU;
  params         parameters (millions).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from learnless.errors import ConfigError, DataError

DATASETS = ("cora", "citeseer", "pubmed", "cs", "physics", "photo", "computers", "arxiv", "proteins")
ALIASES = {"ogbn-arxiv": "arxiv", "ogbn-proteins": "proteins"}
METRICS = ("accuracy", "test_accuracy", "latency", "params")
PACKAGE_HINT = "NAS-Bench-Graph needs the `nas-bench-graph` package: pip install 'learnless[search]'"


def resolve_dataset(name: str) -> str:
    key = ALIASES.get(str(name).lower(), str(name).lower())
    if key not in DATASETS:
        raise ConfigError(
            f"nasbench-graph: unknown dataset {name!r}; expected one of {', '.join(DATASETS)} "
            f"(or {', '.join(ALIASES)})"
        )
    return key


def _package():
    try:
        import nas_bench_graph.architecture as arch
    except ImportError:
        raise ConfigError(PACKAGE_HINT) from None
    return arch


def bench_path(dataset: str):
    """The benchmark table the wheel ships for `dataset` (a path inside the installed package)."""
    import importlib.resources

    _package()
    return importlib.resources.files("nas_bench_graph") / "light" / f"{resolve_dataset(dataset)}.bench"


def read_bench(path) -> dict:
    """One `.bench` table ({arch hash: {valid_perf, perf, latency, para}}) through the allow-list unpickler:
    a table that names any other class is refused before anything in it runs."""
    from learnless.data.safe_pickle import safe_load

    table = safe_load(str(path))
    if not isinstance(table, dict) or not table:
        raise DataError(f"{path}: not a NAS-Bench-Graph table (expected a non-empty dict of architectures)")
    for key, row in itertools.islice(table.items(), 3):
        if not isinstance(row, dict) or not {"valid_perf", "perf", "latency", "para"} <= set(row):
            raise DataError(f"{path}: architecture {key!r} lacks valid_perf / perf / latency / para")
    return table


def ops_of(dataset: str) -> list[str]:
    arch = _package()
    return list(arch.gnn_list_proteins if resolve_dataset(dataset) == "proteins" else arch.gnn_list)


@functools.lru_cache(maxsize=4)
def lookup_table(dataset: str) -> np.ndarray:
    """(9, n_ops, n_ops, n_ops, n_ops, 4) array: [accuracy %, test %, latency ms, params M] of every config
    (link index, op indices), NaN where the benchmark has no row (all-skip)."""
    arch = _package()
    table = read_bench(bench_path(dataset))
    ops = ops_of(dataset)
    n = len(ops)
    out = np.full((len(arch.link_list), n, n, n, n, len(METRICS)), np.nan)
    for li, link in enumerate(arch.link_list):
        for idx in itertools.product(range(n), repeat=4):
            names = [ops[i] for i in idx]
            if all(o == "skip" for o in names):
                continue
            row = table.get(arch.Arch(list(link), names).valid_hash())
            if row is not None:
                out[(li, *idx)] = [
                    100 * row["valid_perf"], 100 * row["perf"], 1000 * row["latency"], float(row["para"])
                ]
    return out


class NASBenchGraph:
    """The `nasbench-graph` super-network (see the module docstring); `dataset` defaults to Cora."""

    def __init__(self, dataset: str = "cora"):
        self.dataset = resolve_dataset(dataset)
        self._ops = ops_of(self.dataset)
        self._links = [",".join(map(str, lk)) for lk in _package().link_list]

    def space(self) -> dict:
        return {"link": list(self._links), **{f"op_{i}": list(self._ops) for i in range(4)}}

    def metrics(self) -> list[str]:
        return list(METRICS)

    def _index(self, config: dict) -> tuple:
        try:
            ops = (self._ops.index(config[f"op_{i}"]) for i in range(4))
            return (self._links.index(config["link"]), *ops)
        except (KeyError, ValueError):
            raise ConfigError(f"nasbench-graph: {config} is not a config of this space") from None

    def evaluate(self, config: dict, metrics: list[str]) -> dict:
        row = lookup_table(self.dataset)[self._index(config)]
        if np.isnan(row).any():
            raise DataError(f"nasbench-graph:{self.dataset}: no measured architecture for {config}")
        return dict(zip(METRICS, map(float, row)))
