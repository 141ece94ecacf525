"""Demo section of the data layer: the embedded synthetic datasets, a user's own file, a random split, and
the registry with what is present in the data directory."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from learnless.data.registry import list_datasets
from learnless.data.synthetic import sbm_graph, user_item_graph
from learnless.demo import value


def run(quick: bool = False) -> list[dict]:
    rows = []
    t = time.perf_counter()
    g = sbm_graph(n_nodes=1000 if quick else 3000, seed=0)
    rows.append({"capability": "data", "what": "synthetic SBM graph",
                 "result": f"{g.num_nodes} nodes, {g.num_edges} edges, {g.num_classes} classes",
                 "values": [value("nodes", g.num_nodes), value("edges", g.num_edges),
                            value("classes", g.num_classes)],
                 "seconds": time.perf_counter() - t})
    t = time.perf_counter()
    from learnless.data.splits import random_split

    s = random_split(g, train_per_class=20, val_per_class=30, seed=0)
    n_train, n_val, n_test = (int(m.sum()) for m in (s.train_mask, s.val_mask, s.test_mask))
    rows.append({"capability": "data", "what": "random split (Shchur et al.: 20 / 30 per class)",
                 "result": f"{n_train} train / {n_val} val / {n_test} test",
                 "values": [value("train_nodes", n_train), value("val_nodes", n_val),
                            value("test_nodes", n_test)],
                 "seconds": time.perf_counter() - t})
    t = time.perf_counter()
    inter = user_item_graph(n_users=1000 if quick else 3000, n_items=800 if quick else 2000, seed=0)
    rows.append({"capability": "data", "what": "synthetic user-item graph",
                 "result": f"{inter.n_users} users x {inter.n_items} items, {inter.train.nnz} train / "
                           f"{inter.test.nnz} test",
                 "values": [value("users", inter.n_users), value("items", inter.n_items),
                            value("train_interactions", inter.train.nnz),
                            value("test_interactions", inter.test.nnz)],
                 "seconds": time.perf_counter() - t})
    rows.append(_own_file_row(inter))
    t = time.perf_counter()
    datasets = list_datasets()
    tasks = sorted({d.task for d in datasets})
    present, where = _present(datasets)
    rows.append({"capability": "data", "what": "registered real datasets",
                 "result": f"{len(datasets)} ({', '.join(tasks)}); {present} present in {where}",
                 "values": [value("registered", len(datasets)), value("present", present)],
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
                      f"{back.test.nnz} test",
            "values": [value("rows", len(users)), value("users", back.n_users), value("items", back.n_items),
                       value("test_interactions", back.test.nnz)],
            "seconds": time.perf_counter() - t}


def _present(datasets) -> tuple[int, str]:
    """How many registered datasets have all their files in the data directory, and that directory."""
    from learnless.data.api import dataset_root
    from learnless.data.paths import data_dir

    present = [d for d in datasets if all((dataset_root(d) / f.path).exists() for f in d.files)]
    return len(present), str(data_dir())
