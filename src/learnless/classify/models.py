"""The torch modules: DGMLP's residual MLP (and its weight-sharing elastic form), SIGN's per-hop heads,
and the end-to-end GNNs built from PyG layers. Every module maps its input to logits; `embed` returns the
last hidden layer."""

from __future__ import annotations

import itertools

import torch
from torch import nn
from torch.nn import functional as F


class ResidualMLP(nn.Module):
    """Dt linear layers. Dt = 1 is logistic regression (the released DGMLP). For Dt >= 2: in -> hidden,
    Dt-2 hidden -> hidden blocks h <- σ(dropout(h) W) + h (the skip connection; plain σ(dropout(h) W) without
    `residual`), hidden -> out. `input_dropout` before the first layer, `dropout` before every later one.

    Two details decide whether the deep residual stack trains at all (see docs, depth study):
    - dropout acts on the branch input only; the skip path carries the undropped h (as in the official
      ResGCN). Dropping h itself multiplies the stream by a fresh 1/(1-p) mask at every block, so its
      training-time variance doubles per block at p = 0.5.
    - σ(hW) >= 0 is positively correlated with h >= 0, so under PyTorch's default init every block adds
      ~27 % to the norm of the stream (measured on Cora): at Dt = 32 the last hidden layer starts ~900 times
      larger than at Dt = 4 and the first loss is in the thousands. The branch weights of a residual stack
      therefore start scaled by 1/sqrt(number of blocks) (the usual remedy for deep residual stacks, as in
      Fixup / GPT-2), which turns that geometric growth into a mild one (x12 from Dt = 4 to 32)."""

    def __init__(self, in_dim: int, hidden: int, out_dim: int, depth: int, residual: bool = True,
                 dropout: float = 0.5, input_dropout: float | None = None):
        super().__init__()
        self.residual = residual
        self.dropout = dropout
        self.input_dropout = dropout if input_dropout is None else input_dropout
        dims = [in_dim] + [hidden] * (depth - 1) + [out_dim]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in itertools.pairwise(dims))
        blocks = depth - 2
        if residual and blocks > 1:
            with torch.no_grad():
                for layer in self.layers[1:-1]:
                    layer.weight.mul_(blocks ** -0.5)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        h = F.dropout(x, self.input_dropout, self.training)
        if len(self.layers) == 1:  # Dt = 1: no hidden layer, the embedding is the input
            return h
        h = F.relu(self.layers[0](h))
        for layer in self.layers[1:-1]:
            z = F.relu(layer(F.dropout(h, self.dropout, self.training)))
            h = z + h if self.residual else z
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        if len(self.layers) > 1:
            h = F.dropout(h, self.dropout, self.training)
        return self.layers[-1](h)


class ElasticResidualMLP(nn.Module):
    """ResidualMLP with weights shared across depths and widths (a weight-sharing super-network): the first
    layer in -> `max_hidden`, `max_depth` - 2 blocks, one output head per depth >= 2 and the depth-1 linear
    layer. A sub-network (depth Dt, width h) uses the first h units of the first layer and of its Dt - 2
    blocks, and the head of its depth; `sub_network` copies those slices into a standalone ResidualMLP that
    computes the same at eval time. The blocks start scaled like the deepest ResidualMLP's."""

    def __init__(self, in_dim: int, out_dim: int, max_hidden: int, max_depth: int):
        super().__init__()
        # creation order fixes the random initialisation (and the state-dict keys) of the shared weights
        self.first = nn.Linear(in_dim, max_hidden)
        self.blocks = nn.ModuleList(nn.Linear(max_hidden, max_hidden) for _ in range(max(max_depth - 2, 0)))
        self.heads = nn.ModuleList(nn.Linear(max_hidden, out_dim) for _ in range(max(max_depth - 1, 0)))
        self.linear = nn.Linear(in_dim, out_dim)
        if max_depth - 2 > 1:
            with torch.no_grad():
                for b in self.blocks:
                    b.weight.mul_((max_depth - 2) ** -0.5)

    def forward(self, x: torch.Tensor, depth: int, hidden: int, dropout: float = 0.0) -> torch.Tensor:
        h = F.dropout(x, dropout, self.training)
        if depth == 1:
            return self.linear(h)
        h = F.relu(F.linear(h, self.first.weight[:hidden], self.first.bias[:hidden]))
        for blk in self.blocks[: depth - 2]:
            z = F.relu(F.linear(F.dropout(h, dropout, self.training), blk.weight[:hidden, :hidden],
                                blk.bias[:hidden]))
            h = z + h
        head = self.heads[depth - 2]
        return F.linear(F.dropout(h, dropout, self.training), head.weight[:, :hidden], head.bias)

    def sub_network(self, depth: int, hidden: int) -> ResidualMLP:
        """The standalone ResidualMLP of (depth, hidden), in eval mode, its weights sliced from the shared."""
        in_dim, out_dim = self.linear.in_features, self.linear.out_features
        net = ResidualMLP(in_dim, hidden, out_dim, depth, dropout=0.0)
        if depth == 1:
            sources = [(self.linear.weight, self.linear.bias)]
        else:
            sources = [(self.first.weight[:hidden], self.first.bias[:hidden])]
            sources += [(b.weight[:hidden, :hidden], b.bias[:hidden]) for b in self.blocks[: depth - 2]]
            head = self.heads[depth - 2]
            sources.append((head.weight[:, :hidden], head.bias))
        with torch.no_grad():
            for layer, (w, b) in zip(net.layers, sources, strict=True):
                layer.weight.copy_(w)
                layer.bias.copy_(b)
        return net.eval()


class SIGNHead(nn.Module):
    """SIGN (Frasca et al., 2020): one linear map per hop of [X, ÂX, ..., Â^K X], concatenated, a PReLU
    (the paper's σ), dropout, then a linear classifier."""

    def __init__(self, in_dim: int, hops: int, hidden: int, out_dim: int, dropout: float = 0.5,
                 input_dropout: float = 0.0):
        super().__init__()
        self.in_dim, self.dropout, self.input_dropout = in_dim, dropout, input_dropout
        self.per_hop = nn.ModuleList(nn.Linear(in_dim, hidden) for _ in range(hops + 1))
        self.act = nn.PReLU()
        self.out = nn.Linear((hops + 1) * hidden, out_dim)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        x = F.dropout(x, self.input_dropout, self.training)
        parts = torch.split(x, self.in_dim, dim=1)
        return self.act(torch.cat([lin(p) for lin, p in zip(self.per_hop, parts)], dim=1))

    def forward(self, x):
        return self.out(F.dropout(self.embed(x), self.dropout, self.training))


def dropout_any(x: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    """Dropout that also takes a sparse COO input and then drops only its stored values (Kipf's sparse
    dropout): on bag-of-words features it is an order of magnitude cheaper than dropping a dense matrix."""
    if not x.is_sparse:
        return F.dropout(x, p, training)
    if not training or p == 0:
        return x
    keep = torch.rand(x._nnz()) >= p
    # the indices are those of a valid tensor, so the invariant check (and its per-call warning) is not needed
    return torch.sparse_coo_tensor(x._indices(), x._values() * keep / (1 - p), x.shape, is_coalesced=True,
                                   check_invariants=False)


class GraphModule(nn.Module):
    """End-to-end GNNs see the whole graph: forward(x, edge_index) -> logits for every node.
    `sparse_input`: the first layer accepts sparse COO features (the base class then passes them so)."""

    sparse_input = True


class MultiHopConv(nn.Module):
    """Â^K (x W) + b: the map of PyG's SGConv(K) (lin(Â^K x)), with the linear map applied first — it commutes
    with propagation — so the K sparse products act on `out` columns instead of every input feature (on Cora
    1433 -> 64 columns: ~20x less work per step). Â (self-loops, symmetric normalisation) is cached."""

    def __init__(self, in_dim: int, out_dim: int, hops: int):
        super().__init__()
        self.lin = nn.Linear(in_dim, out_dim, bias=False)
        self.bias = nn.Parameter(torch.zeros(out_dim))
        self.hops = hops
        self._adj = None

    def forward(self, x, edge_index):
        if self._adj is None:
            from torch_geometric.nn.conv.gcn_conv import gcn_norm

            n = x.shape[0]
            ei, w = gcn_norm(edge_index, None, n, add_self_loops=True)
            # message j -> i (edge_index[0] = j, edge_index[1] = i) is entry (i, j)
            self._adj = torch.sparse_coo_tensor(ei.flip(0), w, (n, n), check_invariants=True).coalesce()
        h = self.lin(x)
        for _ in range(self.hops):
            h = torch.sparse.mm(self._adj, h)
        return h + self.bias


class GCNNet(GraphModule):
    """GCN (Kipf & Welling, 2017), `layers` GCNConv layers; with `hops_per_layer` = K > 1 every layer is
    Â^K (h W) + b (SGConv's map), i.e. the "Dp = 2·Dt" GCN of the depth study for K = 2."""

    def __init__(self, in_dim, hidden, out_dim, layers=2, dropout=0.5, hops_per_layer=1):
        from torch_geometric.nn import (
            GCNConv,  # PyG only for the models that use it: DGMLP does not pay for it
        )

        super().__init__()
        self.dropout = dropout
        dims = [in_dim] + [hidden] * (layers - 1) + [out_dim]
        # GCNConv's cache holds only the normalised adjacency (the input changes every step: dropout)
        conv = (lambda a, b: GCNConv(a, b, cached=True)) if hops_per_layer == 1 else \
            (lambda a, b: MultiHopConv(a, b, hops_per_layer))
        self.convs = nn.ModuleList(conv(a, b) for a, b in itertools.pairwise(dims))
        self.sparse_input = hops_per_layer == 1  # MultiHopConv's dense Linear takes dense input only

    def embed(self, x, edge_index):
        for conv in self.convs[:-1]:
            x = F.relu(conv(dropout_any(x, self.dropout, self.training), edge_index))
        return x

    def forward(self, x, edge_index):
        h = self.embed(x, edge_index) if len(self.convs) > 1 else x
        return self.convs[-1](dropout_any(h, self.dropout, self.training), edge_index)


class APPNPNet(GraphModule):
    """APPNP (Klicpera et al., 2019): a 2-layer MLP, then K steps of personalized-PageRank propagation."""

    def __init__(self, in_dim, hidden, out_dim, K=10, alpha=0.1, dropout=0.5):
        from torch_geometric.nn import APPNP

        super().__init__()
        self.dropout = dropout
        self.lin1, self.lin2 = nn.Linear(in_dim, hidden), nn.Linear(hidden, out_dim)
        self.prop = APPNP(K, alpha, cached=True)

    def embed(self, x, edge_index):
        return F.relu(self.lin1(dropout_any(x, self.dropout, self.training)))

    def forward(self, x, edge_index):
        h = self.lin2(F.dropout(self.embed(x, edge_index), self.dropout, self.training))
        return self.prop(h, edge_index)


class GCNIINet(GraphModule):
    """GCNII (Chen et al., 2020): initial residual + identity mapping, `layers` GCN2Conv layers."""

    def __init__(self, in_dim, hidden, out_dim, layers=64, alpha=0.1, theta=0.5, dropout=0.6):
        from torch_geometric.nn import GCN2Conv

        super().__init__()
        self.dropout = dropout
        self.lin_in, self.lin_out = nn.Linear(in_dim, hidden), nn.Linear(hidden, out_dim)
        self.convs = nn.ModuleList(GCN2Conv(hidden, alpha, theta, layer=i + 1, cached=True)
                                   for i in range(layers))

    def param_groups(self, weight_decay: float, conv_weight_decay: float) -> list[dict]:
        dense = list(self.lin_in.parameters()) + list(self.lin_out.parameters())
        return [{"params": list(self.convs.parameters()), "weight_decay": conv_weight_decay},
                {"params": dense, "weight_decay": weight_decay}]

    def embed(self, x, edge_index):
        x = dropout_any(x, self.dropout, self.training)
        x0 = h = F.relu(self.lin_in(x))
        for conv in self.convs:
            h = F.relu(conv(F.dropout(h, self.dropout, self.training), x0, edge_index))
        return h

    def forward(self, x, edge_index):
        return self.lin_out(F.dropout(self.embed(x, edge_index), self.dropout, self.training))
