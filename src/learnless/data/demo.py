"""Demo section of the data layer: the embedded synthetic datasets, and the registry."""

from __future__ import annotations

import time

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
    inter = user_item_graph(n_users=1000 if quick else 3000, n_items=800 if quick else 2000, seed=0)
    rows.append({"capability": "data", "what": "synthetic user-item graph",
                 "result": f"{inter.n_users} users x {inter.n_items} items, {inter.train.nnz} train / "
                           f"{inter.test.nnz} test", "seconds": time.perf_counter() - t})
    t = time.perf_counter()
    datasets = list_datasets()
    tasks = sorted({d.task for d in datasets})
    rows.append({"capability": "data", "what": "registered real datasets",
                 "result": f"{len(datasets)} ({', '.join(tasks)})", "seconds": time.perf_counter() - t})
    return rows
