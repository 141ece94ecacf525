"""The search section of `learnless demo`: LINAS on `mlp-elastic` (digits), accuracy:max vs macs:min."""

from __future__ import annotations

import time
import warnings


def run(quick: bool = False) -> list[dict]:
    from learnless.demo import value
    from learnless.search import Search
    from learnless.search.supernets.mlp_elastic import MLPElastic

    start = time.perf_counter()
    net = MLPElastic(epochs=8 if quick else 20).fit()
    trained = time.perf_counter() - start
    n_params = len(net.space())
    rows = [
        {
            "capability": "search",
            "what": "mlp-elastic super-network on digits, trained once (sandwich rule)",
            "result": f"{n_params} elastic parameters",
            "values": [value("elastic_parameters", n_params)],
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
    hv = search.hypervolume()
    rows.append(
        {
            "capability": "search",
            "what": f"LINAS, {search.evaluations} validated sub-networks of {int(search.space.cardinality)}",
            "result": f"front of {len(front)}: {small['accuracy']:.1f} % at {small['macs']:.0f} MACs ... "
            f"{best['accuracy']:.1f} % at {best['macs']:.0f} MACs; HV {hv:.4g}",
            "values": [
                value("front_size", len(front)),
                value("smallest_accuracy", small["accuracy"], "%"),
                value("smallest_macs", small["macs"], "MACs"),
                value("best_accuracy", best["accuracy"], "%"),
                value("best_macs", best["macs"], "MACs"),
                value("hypervolume", hv),
            ],
            "seconds": time.perf_counter() - start,
        }
    )
    return rows
