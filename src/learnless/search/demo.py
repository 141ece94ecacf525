"""The search section of `learnless demo`: LINAS on `mlp-elastic` (digits), accuracy:max vs macs:min."""

from __future__ import annotations

import time
import warnings


def run(quick: bool = False) -> list[dict]:
    from learnless.search import Search
    from learnless.search.supernets.mlp_elastic import MLPElastic

    start = time.perf_counter()
    net = MLPElastic(epochs=8 if quick else 20).fit()
    trained = time.perf_counter() - start
    rows = [
        {
            "capability": "search",
            "what": "mlp-elastic super-network on digits, trained once (sandwich rule)",
            "result": f"{len(net.space())} elastic parameters",
            "seconds": trained,
        }
    ]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = Search(
            net,
            ["accuracy:max", "macs:min"],
            "linas",
            population=10,
            seed=0,
            inner_evals=500 if quick else 1000,
        )
        search.run(30 if quick else 40)
    front = search.front()
    best = max(front, key=lambda r: r["accuracy"])
    small = min(front, key=lambda r: r["macs"])
    rows.append(
        {
            "capability": "search",
            "what": f"LINAS, {search.evaluations} validated sub-networks of {int(search.space.cardinality)}",
            "result": f"front of {len(front)}: {small['accuracy']:.1f} % at {small['macs']:.0f} MACs ... "
            f"{best['accuracy']:.1f} % at {best['macs']:.0f} MACs; HV {search.hypervolume():.4g}",
            "seconds": time.perf_counter() - start,
        }
    )
    return rows
