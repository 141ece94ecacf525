"""classify — DGMLP ("Evaluating Deep Graph Neural Networks", Zhang et al., 2021): decoupled deep GNN node
classification that propagates once without parameters and trains only an MLP; smoothness diagnostics
(NSL / GSL), the baselines of the paper's Table 1, and the depth study."""

from learnless.classify.baselines import GCN, GCNII, MLP, S2GC, SGC, SIGN, APPNPModel, ResMLP
from learnless.classify.dgmlp import DGMLP
from learnless.classify.smoothness import gsl, nsl, stationary_state
from learnless.classify.transforms import row_normalize
from learnless.data.splits import random_split  # re-export; Planetoid protocol: n_val=500, n_test=1000

APPNP = APPNPModel
MODELS = {"dgmlp": DGMLP, "gcn": GCN, "appnp": APPNPModel, "gcnii": GCNII, "sgc": SGC, "sign": SIGN,
          "s2gc": S2GC, "mlp": MLP, "resmlp": ResMLP}

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
          "ResMLP",
          "gsl",
          "nsl",
          "random_split",
          "row_normalize",
          "stationary_state",
]
