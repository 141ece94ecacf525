"""`learnless demo` section: DGMLP vs SGC and an MLP on a synthetic SBM graph, plus GSL vs depth."""

from __future__ import annotations

import time


def run(quick: bool = False) -> list[dict]:
    from learnless.classify import DGMLP, MLP, SGC, gsl
    from learnless.data import sbm_graph
    from learnless.demo import value

    n = 1000 if quick else 3000
    epochs = 50 if quick else 200
    graph = sbm_graph(n_nodes=n, n_classes=5, n_features=64, p_in=6 / (n / 5), p_out=1.5 / n,
                      feature_signal=0.8, seed=0)
    rows = []
    t = time.perf_counter()
    values = gsl(graph.adj, graph.x, 10)
    rows.append({"capability": "classify", "what": f"GSL at Dp=1 -> Dp=10 ({graph.name})",
                 "result": f"{values[1]:.3f} -> {values[10]:.3f}",
                 "values": [value("gsl@1", values[1]), value("gsl@10", values[10])],
                 "seconds": time.perf_counter() - t})
    for name, model in (("MLP (no graph)", MLP(epochs=epochs)), ("SGC (Dp=2)", SGC(epochs=epochs)),
                        ("DGMLP (Dp=10, Dt=3)", DGMLP(prop_depth=10, trans_depth=3, epochs=epochs))):
        t = time.perf_counter()
        acc = model.fit(graph).result_.test_acc
        rows.append({"capability": "classify", "what": f"{name} test accuracy on the SBM graph",
                     "result": f"{acc * 100:.1f} %", "values": [value("test_accuracy", acc * 100, "%")],
                     "seconds": time.perf_counter() - t})
    return rows
