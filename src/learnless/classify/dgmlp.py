"""DGMLP — Deep Graph Multi-Layer Perceptron (Zhang et al., "Evaluating Deep Graph Neural Networks", 2021).

Decoupled: propagate the features Dp times with Â = D̃^-1/2 (A+I) D̃^-1/2 once, without parameters; combine
the hops per node with weights softmax_k(NSL_v(k)/T) (node-adaptive: a node that is already smooth at a small
k gives the large-k hops little weight); then train only an MLP of depth Dt with residual connections.

variant="paper" is the model of the paper. variant="released" is what the official code (zwt233/DGMLP,
last DGMLP commit 88e05b4) trains: Dt = 1 (input dropout + one linear layer), T = 1 and r = 0 in the
stationary state.
"""

from __future__ import annotations

from typing import ClassVar

from learnless.base import Interval, Real, StrOptions, positive, positive_int
from learnless.classify.base import NodeClassifier, depth
from learnless.classify.hops import hops_nbytes
from learnless.classify.models import ResidualMLP
from learnless.classify.propagation import adaptive_features, adaptive_features_streaming
from learnless.errors import ConfigError

VARIANTS = {
    "paper": {"trans_depth": 3, "temperature": 1.0, "r": 0.5},
    "released": {"trans_depth": 1, "temperature": 1.0, "r": 0.0},
}
PROPAGATION_MODES = ("auto", "memory", "streaming")


class DGMLP(NodeClassifier):
    """DGMLP as a scikit-learn style estimator.

    prop_depth (Dp): hops of parameter-free propagation. trans_depth (Dt): linear layers of the MLP
    (None: 3 for the paper variant; the released variant is fixed to 1). temperature (T) of the hop softmax.
    residual: skip connections h <- σ(hW) + h in the MLP. batch_size: None trains full-batch, else mini-
    batches of rows of the precomputed features (large graphs). propagation: "memory" keeps every hop (fast,
    cached per (graph, Dp)), "streaming" combines hops over column chunks with memory independent of Dp,
    "auto" streams when all hops would exceed `memory_budget_gb`.
    """

    _parameter_constraints: ClassVar[dict] = {
        "prop_depth": [depth],
        "trans_depth": [positive_int, None],
        "temperature": [positive, None],
        "residual": ["boolean"],
        "variant": [StrOptions(set(VARIANTS))],
        "r": [Interval(Real, 0, 1, closed="both"), None],
        "propagation": [StrOptions(set(PROPAGATION_MODES))],
        "memory_budget_gb": [positive],
    }

    def __init__(
        self,
        prop_depth: int = 10,
        trans_depth: int | None = None,
        hidden: int = 64,
        temperature: float | None = None,
        residual: bool = True,
        dropout: float = 0.5,
        input_dropout: float | None = None,
        variant: str = "paper",
        r: float | None = None,
        lr: float = 0.01,
        weight_decay: float = 5e-4,
        epochs: int = 200,
        batch_size: int | None = None,
        propagation: str = "auto",
        memory_budget_gb: float = 2.0,
        seed: int = 0,
    ):
        self.prop_depth = prop_depth
        self.trans_depth = trans_depth
        self.hidden = hidden
        self.temperature = temperature
        self.residual = residual
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.variant = variant
        self.r = r
        self.lr = lr
        self.weight_decay = weight_decay
        self.epochs = epochs
        self.batch_size = batch_size
        self.propagation = propagation
        self.memory_budget_gb = memory_budget_gb
        self.seed = seed

    def resolved(self) -> dict:
        """The structural hyper-parameters in effect (variant defaults filled in)."""
        if self.variant not in VARIANTS:
            raise ConfigError(f"variant must be one of {', '.join(VARIANTS)}, got {self.variant!r}")
        out = dict(VARIANTS[self.variant])
        for name, default in VARIANTS[self.variant].items():
            given = getattr(self, name)
            if given is None:
                continue
            if self.variant == "released" and given != default:
                raise ConfigError(
                    f"{name}={given!r} conflicts with variant='released' (fixed to {default}); "
                    "use variant='paper' to choose it"
                )
            out[name] = given
        return out

    def _validate_extra(self) -> None:
        import inspect
        import warnings

        p = self.resolved()  # a released-variant conflict
        default_hidden = inspect.signature(type(self).__init__).parameters["hidden"].default
        if p["trans_depth"] == 1 and self.hidden != default_hidden:
            warnings.warn(f"DGMLP: hidden={self.hidden} is ignored: trans_depth=1 is one linear layer, "
                          "with no hidden layer", stacklevel=3)

    def _depth(self) -> int:
        return int(self.resolved()["trans_depth"])

    def _streams(self, n_nodes: int, n_features: int) -> bool:
        all_hops_gb = hops_nbytes(n_nodes, n_features, self.prop_depth) / 2**30
        return self.propagation == "streaming" or (
            self.propagation == "auto" and all_hops_gb > self.memory_budget_gb
        )

    def input_bytes(self, n_nodes: int, n_features: int) -> int:
        if self._streams(n_nodes, n_features):
            # x, x̂, x⁽∞⁾ and two n x chunk buffers, whatever the depth; plus the smoothness accumulator's
            # three (Dp+1) x n float64 records (learnless.classify.smoothness.SmoothnessAccumulator)
            return 5 * 4 * int(n_nodes) * int(n_features) + 3 * 8 * (int(self.prop_depth) + 1) * int(n_nodes)
        return hops_nbytes(n_nodes, n_features, self.prop_depth)

    def _combine(self, graph):
        """(x̂, hop weights) of `graph`: a pure function of the graph and the hyper-parameters."""
        p = self.resolved()
        n, f = graph.x.shape
        combine = adaptive_features_streaming if self._streams(n, f) else adaptive_features
        return combine(graph.adj, graph.x, int(self.prop_depth), float(p["temperature"]), float(p["r"]))

    def _inputs(self, graph):
        return self._combine(graph)[0]

    def _fit_inputs(self, graph):
        x_hat, self.hop_weights_ = self._combine(graph)
        return x_hat

    def _build(self, in_dim, n_classes):
        p = self.resolved()
        input_dropout = self.input_dropout
        if p["trans_depth"] == 1 and input_dropout is None:
            input_dropout = self.dropout
        return ResidualMLP(
            in_dim, self.hidden, n_classes, int(p["trans_depth"]), self.residual, self.dropout, input_dropout
        )
