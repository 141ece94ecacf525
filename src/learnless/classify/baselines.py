"""Baselines on DGMLP's trainer and splits. Decoupled ones (SGC, SIGN, S²GC, MLP, ResMLP) precompute their
input features once; end-to-end ones (GCN, APPNP, GCNII) are built from PyG layers and train full-batch.
Defaults are the hyper-parameters of each method's paper for the Planetoid datasets."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from learnless.base import Interval, Real, non_negative, positive_int
from learnless.classify.base import NodeClassifier, depth
from learnless.classify.hops import hops_nbytes, propagated_hops
from learnless.classify.models import APPNPNet, GCNIINet, GCNNet, ResidualMLP, SIGNHead

unit = Interval(Real, 0, 1, closed="both")  # a mixing weight (APPNP's teleport α, S²GC's α, GCNII's α/θ)


class _Propagated(NodeClassifier):
    """Decoupled baselines: their input holds all prop_depth + 1 hops while it is built."""

    _abstract = True

    def input_bytes(self, n_nodes, n_features):
        return hops_nbytes(n_nodes, n_features, self.prop_depth)


class SGC(_Propagated):
    """SGC (Wu et al., 2019): logistic regression on Â^K X."""

    _parameter_constraints: ClassVar[dict] = {"prop_depth": [depth]}

    def __init__(
        self, prop_depth=2, lr=0.2, weight_decay=5e-5, epochs=200, batch_size=None, seed=0, post=None
    ):
        self.prop_depth, self.lr, self.weight_decay = prop_depth, lr, weight_decay
        self.epochs, self.batch_size, self.seed, self.post = epochs, batch_size, seed, post

    def _inputs(self, graph):
        return propagated_hops(graph.adj, graph.x, int(self.prop_depth))[-1]

    def _build(self, in_dim, n_classes):
        return ResidualMLP(in_dim, 1, n_classes, 1, residual=False, dropout=0.0, input_dropout=0.0)


class S2GC(SGC):
    """S²GC (Zhu & Koniusz, 2021): logistic regression on (1/K) Σ_{k=1..K} ((1−α) Âᵏ X + α X)."""

    _parameter_constraints: ClassVar[dict] = {"prop_depth": [positive_int], "alpha": [unit]}

    def __init__(
        self,
        prop_depth=16,
        alpha=0.05,
        lr=0.2,
        weight_decay=5e-5,
        epochs=200,
        batch_size=None,
        seed=0,
        post=None,
    ):
        super().__init__(prop_depth, lr, weight_decay, epochs, batch_size, seed, post)
        self.alpha = alpha

    def _inputs(self, graph):
        h = propagated_hops(graph.adj, graph.x, int(self.prop_depth))
        return (1 - self.alpha) * h[1:].mean(axis=0) + self.alpha * h[0]


def high_pass_hops(h: np.ndarray) -> list[np.ndarray]:
    """(I − Â)ᵏ X for k = 1..K from the low-pass hops h[j] = Âʲ X, by the binomial expansion
    (I − Â)ᵏ = Σ_j C(k, j) (−Â)ʲ — no further propagation. High-pass hops keep what differs between a node
    and its neighbours: the signal of a heterophilous graph."""
    from math import comb

    return [sum(comb(k, j) * (-1) ** j * h[j] for j in range(k + 1)).astype(np.float32)
            for k in range(1, h.shape[0])]


class SIGN(_Propagated):
    """SIGN (Frasca et al., 2020): a linear map per hop of [X, ÂX, ..., Â^K X], concatenated, then a
    classifier. high_pass=True adds the hops (I − Â)X, ..., (I − Â)^K X side by side (heterophilous
    graphs)."""

    _parameter_constraints: ClassVar[dict] = {"prop_depth": [depth], "high_pass": ["boolean"]}

    def __init__(
        self,
        prop_depth=3,
        hidden=64,
        dropout=0.5,
        input_dropout=0.0,
        lr=0.01,
        weight_decay=5e-4,
        epochs=200,
        batch_size=None,
        seed=0,
        high_pass=False,
        post=None,
    ):
        self.high_pass, self.post = high_pass, post
        self.prop_depth, self.hidden, self.dropout, self.input_dropout = (
            prop_depth,
            hidden,
            dropout,
            input_dropout,
        )
        self.lr, self.weight_decay, self.epochs, self.batch_size, self.seed = (
            lr,
            weight_decay,
            epochs,
            batch_size,
            seed,
        )

    def _blocks(self) -> int:
        return (2 if self.high_pass else 1) * int(self.prop_depth) + 1

    def input_bytes(self, n_nodes, n_features):
        # the hops, plus their concatenation (with the high-pass hops when asked)
        concatenated = hops_nbytes(n_nodes, n_features, self._blocks() - 1)
        return concatenated + super().input_bytes(n_nodes, n_features)

    def _inputs(self, graph):
        h = propagated_hops(graph.adj, graph.x, int(self.prop_depth))
        blocks = list(h) + (high_pass_hops(h) if self.high_pass else [])
        return np.concatenate(blocks, axis=1)

    def _build(self, in_dim, n_classes):
        return SIGNHead(
            in_dim // self._blocks(),
            self._blocks() - 1,
            self.hidden,
            n_classes,
            self.dropout,
            self.input_dropout,
        )


class MLP(NodeClassifier):
    """A plain MLP on the raw features (no graph); `depth` linear layers."""

    residual = False
    _parameter_constraints: ClassVar[dict] = {"depth": [positive_int]}

    def __init__(
        self,
        depth=2,
        hidden=64,
        dropout=0.5,
        lr=0.01,
        weight_decay=5e-4,
        epochs=200,
        batch_size=None,
        seed=0,
        post=None,
    ):
        self.depth, self.hidden, self.dropout, self.post = depth, hidden, dropout, post
        self.lr, self.weight_decay, self.epochs, self.batch_size, self.seed = (
            lr,
            weight_decay,
            epochs,
            batch_size,
            seed,
        )

    def _inputs(self, graph):
        return graph.x

    def _build(self, in_dim, n_classes):
        return ResidualMLP(in_dim, self.hidden, n_classes, int(self.depth), self.residual, self.dropout)


class ResMLP(MLP):
    """The MLP with skip connections h <- σ(hW) + h between hidden layers."""

    residual = True

    def __init__(
        self,
        depth=4,
        hidden=64,
        dropout=0.5,
        lr=0.01,
        weight_decay=5e-4,
        epochs=200,
        batch_size=None,
        seed=0,
        post=None,
    ):
        super().__init__(depth, hidden, dropout, lr, weight_decay, epochs, batch_size, seed, post)


class GCN(NodeClassifier):
    """GCN (Kipf & Welling, 2017) from PyG's GCNConv. hops_per_layer=2 stacks SGConv(K=2) layers (Dp =
    2·Dt)."""

    _parameter_constraints: ClassVar[dict] = {"layers": [positive_int], "hops_per_layer": [positive_int]}

    def __init__(
        self,
        layers=2,
        hidden=16,
        dropout=0.5,
        hops_per_layer=1,
        lr=0.01,
        weight_decay=5e-4,
        epochs=200,
        seed=0,
    ):
        self.layers, self.hidden, self.dropout, self.hops_per_layer = layers, hidden, dropout, hops_per_layer
        self.lr, self.weight_decay, self.epochs, self.seed = lr, weight_decay, epochs, seed

    def _inputs(self, graph):
        return None

    def _build(self, in_dim, n_classes):
        return GCNNet(
            in_dim, self.hidden, n_classes, int(self.layers), self.dropout, int(self.hops_per_layer)
        )


class APPNPModel(NodeClassifier):
    """APPNP (Klicpera et al., 2019) from PyG's APPNP propagation."""

    _parameter_constraints: ClassVar[dict] = {"K": [depth], "alpha": [unit]}

    def __init__(
        self, K=10, alpha=0.1, hidden=64, dropout=0.5, lr=0.01, weight_decay=5e-3, epochs=200, seed=0
    ):
        self.K, self.alpha, self.hidden, self.dropout = K, alpha, hidden, dropout
        self.lr, self.weight_decay, self.epochs, self.seed = lr, weight_decay, epochs, seed

    def _inputs(self, graph):
        return None

    def _build(self, in_dim, n_classes):
        return APPNPNet(in_dim, self.hidden, n_classes, int(self.K), self.alpha, self.dropout)


class GCNII(NodeClassifier):
    """GCNII (Chen et al., 2020) from PyG's GCN2Conv; convolution weights get `conv_weight_decay`."""

    _parameter_constraints: ClassVar[dict] = {
        "layers": [positive_int],
        "alpha": [unit],
        "theta": [Interval(Real, 0, None, closed="neither")],
        "conv_weight_decay": [non_negative],
    }

    def __init__(
        self,
        layers=64,
        hidden=64,
        alpha=0.1,
        theta=0.5,
        dropout=0.6,
        lr=0.01,
        weight_decay=5e-4,
        conv_weight_decay=0.01,
        epochs=200,
        seed=0,
    ):
        self.layers, self.hidden, self.alpha, self.theta, self.dropout = layers, hidden, alpha, theta, dropout
        self.lr, self.weight_decay, self.conv_weight_decay = lr, weight_decay, conv_weight_decay
        self.epochs, self.seed = epochs, seed

    def _inputs(self, graph):
        return None

    def _build(self, in_dim, n_classes):
        return GCNIINet(
            in_dim, self.hidden, n_classes, int(self.layers), self.alpha, self.theta, self.dropout
        )

    def _param_groups(self, module):
        return module.param_groups(self.weight_decay, self.conv_weight_decay)
