"""classify — DGMLP ("Evaluating Deep Graph Neural Networks", Zhang et al., 2021): decoupled deep GNN node
classification that propagates once without parameters and trains only an MLP; smoothness diagnostics
(NSL / GSL), the baselines of the paper's Table 1, and the depth study.

Importing this package is cheap: the models (torch, and PyG for the end-to-end GNNs) are imported when first
used — `MODELS.make("dgmlp", ...)` or `from learnless.classify import DGMLP`.
"""

from __future__ import annotations

import importlib

from learnless.registry import Registry

MODELS = Registry(
    "model",
    {
        "dgmlp": "learnless.classify.dgmlp:DGMLP",
        "gcn": "learnless.classify.baselines:GCN",
        "appnp": "learnless.classify.baselines:APPNPModel",
        "gcnii": "learnless.classify.baselines:GCNII",
        "sgc": "learnless.classify.baselines:SGC",
        "sign": "learnless.classify.baselines:SIGN",
        "s2gc": "learnless.classify.baselines:S2GC",
        "mlp": "learnless.classify.baselines:MLP",
        "resmlp": "learnless.classify.baselines:ResMLP",
        "auto": "learnless.classify.auto:AutoClassifier",
    },
    capability="classify",
)


def make(name: str, **params):
    """A validated, unfitted model: `make("dgmlp", prop_depth=20)` (unknown parameters are refused)."""
    return MODELS.make(name, **params)


# public name -> "module:attribute", imported on first access (PEP 562)
_LAZY = {
    "DGMLP": "learnless.classify.dgmlp:DGMLP",
    "GCN": "learnless.classify.baselines:GCN",
    "GCNII": "learnless.classify.baselines:GCNII",
    "MLP": "learnless.classify.baselines:MLP",
    "S2GC": "learnless.classify.baselines:S2GC",
    "SGC": "learnless.classify.baselines:SGC",
    "SIGN": "learnless.classify.baselines:SIGN",
    "ResMLP": "learnless.classify.baselines:ResMLP",
    "APPNPModel": "learnless.classify.baselines:APPNPModel",
    "AutoClassifier": "learnless.classify.auto:AutoClassifier",
    "advise": "learnless.classify.advise:advise",
    "APPNP": "learnless.classify.baselines:APPNPModel",
    "NodeClassifier": "learnless.classify.base:NodeClassifier",
    "gsl": "learnless.classify.smoothness:gsl",
    "nsl": "learnless.classify.smoothness:nsl",
    "stationary_state": "learnless.classify.smoothness:stationary_state",
    "row_normalize": "learnless.classify.transforms:row_normalize",
    "random_split": "learnless.data.splits:random_split",  # Planetoid protocol: n_val=500, n_test=1000
    "run_model": "learnless.classify.runs:run_model",
    # the pieces a weight-sharing DGMLP is built from (learnless.search's dgmlp-elastic)
    "ResidualMLP": "learnless.classify.models:ResidualMLP",
    "ElasticResidualMLP": "learnless.classify.models:ElasticResidualMLP",
    "adaptive_features": "learnless.classify.propagation:adaptive_features",
    "split_indices": "learnless.classify.base:split_indices",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, attr = _LAZY[name].partition(":")
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_LAZY])


__all__ = [
    "APPNP",
    "DGMLP",
    "GCN",
    "GCNII",
    "MLP",
    "MODELS",
    "S2GC",
    "SGC",
    "SIGN",
    "APPNPModel",
    "AutoClassifier",
    "NodeClassifier",
    "ResMLP",
    "advise",
    "gsl",
    "make",
    "nsl",
    "random_split",
    "row_normalize",
    "run_model",
    "stationary_state",
]
