"""Contract cases for every classify registry entry: a tiny SBM graph, a few epochs."""

from __future__ import annotations

from functools import lru_cache

from tests.contract.contract import Call, Case


@lru_cache(maxsize=1)
def _graph():
    from learnless.data import sbm_graph

    return sbm_graph(n_nodes=90, n_classes=3, n_features=8, p_in=0.15, p_out=0.01, feature_signal=0.8,
                     train_per_class=5, n_val=20, n_test=30, seed=0)


def _graph_args():
    return (_graph(),)


# registry name -> small parameters, and a setting validate() must refuse (naming the parameter)
SMALL = {
    "dgmlp": ({"prop_depth": 3, "trans_depth": 3, "hidden": 8}, {"temperature": 0}),
    "gcn": ({"hidden": 8}, {"layers": 0}),
    "appnp": ({"K": 3, "hidden": 8}, {"alpha": 1.5}),
    "gcnii": ({"layers": 2, "hidden": 8}, {"layers": 0}),
    "sgc": ({"prop_depth": 2}, {"prop_depth": -1}),
    "sign": ({"prop_depth": 2, "hidden": 8}, {"hidden": 0}),
    "s2gc": ({"prop_depth": 3}, {"prop_depth": 0}),
    "mlp": ({"hidden": 8}, {"depth": 0}),
    "resmlp": ({"hidden": 8, "depth": 3}, {"dropout": 1.0}),
}


def _maker(name, params):
    def make():
        from learnless.classify import MODELS

        return MODELS[name](**params, epochs=5)

    return make


def cases() -> list[Case]:
    graph = _graph
    calls = [Call("predict", (graph(),)), Call("predict_proba", (graph(),)), Call("score", (graph(),)),
             Call("embed", (graph(),))]
    fixed = [Case(name, _maker(name, params), _graph_args, calls, bad_params=bad, huge=HUGE[name])
             for name, (params, bad) in SMALL.items()]
    return fixed + [Case("classify-auto", _auto, _graph_args, calls[:3], bad_params={"time_budget": 0},
                         huge=_wide_graph_args)]


def _auto():
    from learnless.classify import make

    return make("auto", time_budget=3, n_trials=2, epochs=5)


def _wide_graph_args():
    """The graph with 10**11 zero-stride feature columns: a shape no machine holds, allocating nothing."""
    import copy

    import numpy as np

    wide = copy.copy(_graph())
    wide.x = np.broadcast_to(np.float32(0), (wide.x.shape[0], 10**11))
    return (wide,)


# a setting whose memory (weights and their optimiser state, or the propagated hops) no machine holds
HUGE = {name: {"prop_depth": 10**13} if name in ("sgc", "s2gc") else {"hidden": 10**12} for name in SMALL}
