"""Demo section of the data layer: the embedded synthetic datasets, a user's own file, a random split, and
the registry with what is present in the data directory."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from learnless.data.registry import list_datasets
from learnless.data.synthetic import sbm_graph, user_item_graph


def run(quick: bool = False) -> list[dict]:
    rows = []
    t = time.perf_counter()
    g = sbm_graph(n_nodes=1000 if quick else 3000, seed=0)
    rows.append({"capability": "data", "what": "synthetic SBM graph",
                 "result": f"{g.num_nodes} nodes, {g.num_edges} edges, {g.num_classes} classes",
                 "seconds": time.perf_counter() - t})
    t = time.perf_counter()
    from learnless.data.splits import random_split

    s = random_split(g, train_per_class=20, val_per_class=30, seed=0)
    rows.append({"capability": "data", "what": "random split (Shchur et al.: 20 / 30 per class)",
                 "result": f"{int(s.train_mask.sum())} train / {int(s.val_mask.sum())} val / "
                           f"{int(s.test_mask.sum())} test", "seconds": time.perf_counter() - t})
    t = time.perf_counter()
    inter = user_item_graph(n_users=1000 if quick else 3000, n_items=800 if quick else 2000, seed=0)
    rows.append({"capability": "data", "what": "synthetic user-item graph",
                 "result": f"{inter.n_users} users x {inter.n_items} items, {inter.train.nnz} train / "
                           f"{inter.test.nnz} test", "seconds": time.perf_counter() - t})
    rows.append(_own_file_row(inter))
    t = time.perf_counter()
    datasets = list_datasets()
    tasks = sorted({d.task for d in datasets})
    rows.append({"capability": "data", "what": "registered real datasets",
                 "result": f"{len(datasets)} ({', '.join(tasks)}); {_present(datasets)}",
                 "seconds": time.perf_counter() - t})
    return rows


def _own_file_row(inter) -> dict:
    """Write the synthetic interactions as a user's `user,item,timestamp` CSV and read it back."""
    from learnless.data.formats import read_format

    t = time.perf_counter()
    users, items = (inter.train + inter.test).nonzero()
    times = np.random.default_rng(0).integers(0, 10**6, len(users))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.csv"
        path.write_text("user,item,timestamp\n" + "".join(
            f"u{u},i{i},{s}\n" for u, i, s in zip(users, items, times)))
        back = read_format(path, "interactions-csv", split="leave-last-out")
    return {"capability": "data", "what": "your own file (--format interactions-csv, leave-last-out)",
            "result": f"{len(users)} rows -> {back.n_users} users x {back.n_items} items, "
                      f"{back.test.nnz} test", "seconds": time.perf_counter() - t}


def _present(datasets) -> str:
    from learnless.data.api import dataset_root
    from learnless.data.paths import data_dir

    present = [d for d in datasets if all((dataset_root(d) / f.path).exists() for f in d.files)]
    return f"{len(present)} present in {data_dir()}"
