"""DGMLP — Deep Graph Multi-Layer Perceptron (Zhang et al., "Evaluating Deep Graph Neural Networks", 2021).

Decoupled: propagate the features Dp times with Â = D̃^-1/2 (A+I) D̃^-1/2 once, without parameters; combine
the hops per node with weights softmax_k(NSL_v(k)/T) (node-adaptive: a node that is already smooth at a small
k gives the large-k hops little weight); then train only an MLP of depth Dt with residual connections.

variant="paper" is the model of the paper. variant="released" is what the official code (zwt233/DGMLP,
last DGMLP commit 88e05b4) trains: Dt = 1 (input dropout + one linear layer), T = 1 and r = 0 in the
stationary state.

variant="robust" (the default) is the paper's model with two choices made on the graph at hand, by
validation accuracy of a closed-form linear probe (`learnless.classify.probe`) before the MLP is trained:
the feature scaling (none / standardised columns) and a signed temperature. Why: NSL_v(k) falls with k, so
softmax(NSL/T) with T > 0 always favours the early, least smoothed hops. That suits Cora's sparse, already
informative bag-of-words; on raw noisy features (a user's graph) the classes only separate after many hops,
and a positive T keeps most weight on the noisy X itself. A negative T favours the smoothed hops (T → 0⁻:
Â^K X alone, SGC's input; T = ±∞: the uniform mean, S²GC's), so the grid spans the paper's weighting and the
propagation such graphs need. Raw columns with large offsets also make every row nearly parallel to the
stationary state, so NSL ≈ 0 at every hop and the weighting carries no information; standardising first
restores it.
"""

from __future__ import annotations

import math
from typing import ClassVar

from learnless.base import Interval, Real, StrOptions, positive, positive_int
from learnless.classify.base import NodeClassifier, depth, split_indices
from learnless.classify.hops import hops_nbytes
from learnless.classify.models import ResidualMLP
from learnless.classify.propagation import adaptive_features, adaptive_features_streaming
from learnless.classify.transforms import SCALINGS, scale_features
from learnless.errors import ConfigError, NotFittedError

VARIANTS = {
    "robust": {"trans_depth": 3, "temperature": "auto", "r": 0.5, "feature_scaling": "auto"},
    "paper": {"trans_depth": 3, "temperature": 1.0, "r": 0.5, "feature_scaling": "none"},
    "released": {"trans_depth": 1, "temperature": 1.0, "r": 0.0, "feature_scaling": "none"},
}
# candidates of the robust variant, ranked by the probe's validation accuracy (ties: the earlier one)
TEMPERATURE_GRID = (1.0, 2.0, 0.5, math.inf, -2.0, -1.0, -0.5, -0.1, -0.03)
SCALING_GRID = ("none", "standardize")
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
        # signed: T < 0 favours the smoothed hops (robust variant); 0 is refused in _validate_extra
        "temperature": [Interval(Real, None, None, closed="neither"), StrOptions({"auto"}), None],
        "feature_scaling": [StrOptions({*SCALINGS, "auto"}), None],
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
        temperature: float | str | None = None,
        feature_scaling: str | None = None,
        residual: bool = True,
        dropout: float = 0.5,
        input_dropout: float | None = None,
        variant: str = "robust",
        r: float | None = None,
        lr: float = 0.01,
        weight_decay: float = 5e-4,
        epochs: int = 200,
        batch_size: int | None = None,
        propagation: str = "auto",
        memory_budget_gb: float = 2.0,
        seed: int = 0,
        post: str | None = None,
    ):
        self.post = post
        self.prop_depth = prop_depth
        self.trans_depth = trans_depth
        self.hidden = hidden
        self.temperature = temperature
        self.feature_scaling = feature_scaling
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

        if isinstance(self.temperature, (int, float)) and self.temperature == 0:
            raise ConfigError("temperature: must be non-zero (T > 0 favours the early hops, T < 0 the late)")
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

    def _combine(self, graph, temperature=None, scaling=None, x=None):
        """(x̂, hop weights) of `graph`: a pure function of the graph and the (fitted) hyper-parameters.
        `x`: the already scaled features (the same array again hits the propagation cache)."""
        p = self.resolved()
        temperature = p["temperature"] if temperature is None else temperature
        scaling = p["feature_scaling"] if scaling is None else scaling
        if temperature == "auto" or scaling == "auto":
            if not hasattr(self, "temperature_"):
                raise NotFittedError("DGMLP: the robust variant chooses its temperature and scaling in fit")
            temperature = self.temperature_ if temperature == "auto" else temperature
            scaling = self.feature_scaling_ if scaling == "auto" else scaling
        x = scale_features(graph.x, scaling) if x is None else x
        n, f = x.shape
        combine = adaptive_features_streaming if self._streams(n, f) else adaptive_features
        return combine(graph.adj, x, int(self.prop_depth), float(temperature), float(p["r"]))

    def _choose(self, graph) -> None:
        """temperature_ and feature_scaling_: the given ones, or for "auto" the candidate whose combined
        features give the best validation accuracy of a ridge probe fitted on the training nodes."""
        from learnless.classify.probe import probe_accuracy

        p = self.resolved()
        temps = TEMPERATURE_GRID if p["temperature"] == "auto" else (float(p["temperature"]),)
        scalings = SCALING_GRID if p["feature_scaling"] == "auto" else (p["feature_scaling"],)
        if len(temps) * len(scalings) == 1:
            self.temperature_, self.feature_scaling_, self.selection_ = temps[0], scalings[0], []
            return
        train_idx, val_idx, _, _ = split_indices(graph)
        scores = []
        for scaling in scalings:
            x = scale_features(graph.x, scaling)
            for t in temps:
                x_hat, _ = self._combine(graph, t, scaling, x)
                scores.append((probe_accuracy(x_hat, graph.y, train_idx, val_idx), t, scaling))
        best = max(scores, key=lambda s: s[0])  # max keeps the first of equals
        self.temperature_, self.feature_scaling_ = best[1], best[2]
        self.selection_ = [{"val_acc": a, "temperature": t, "feature_scaling": sc} for a, t, sc in scores]

    def _mlp_input(self, x_hat):
        # robust: the MLP sees standardised columns — raw offsets and scales in the tens stall Adam at lr 0.01
        return scale_features(x_hat, "standardize") if self.variant == "robust" else x_hat

    def _inputs(self, graph):
        return self._mlp_input(self._combine(graph)[0])

    def _fit_inputs(self, graph):
        self._choose(graph)
        x_hat, self.hop_weights_ = self._combine(graph, self.temperature_, self.feature_scaling_)
        return self._mlp_input(x_hat)

    def _build(self, in_dim, n_classes):
        p = self.resolved()
        input_dropout = self.input_dropout
        if p["trans_depth"] == 1 and input_dropout is None:
            input_dropout = self.dropout
        return ResidualMLP(
            in_dim, self.hidden, n_classes, int(p["trans_depth"]), self.residual, self.dropout, input_dropout
        )
