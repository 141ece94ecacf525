"""Conversion to and from PyTorch Geometric's `Data`, for users who already hold their graph in PyG.

    graph = from_pyg(data)        # or Graph.from_pyg(data)
    data = to_pyg(graph)          # or graph.to_pyg()

Edge weights (`edge_weight`, else a 1-D `edge_attr`) become the adjacency's values; without them every edge
weighs 1. Masks of shape n or n x splits are kept as they are. Imports torch / torch_geometric only when
called.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.errors import DataError


def from_pyg(data, name: str = "pyg") -> Graph:  # noqa: F821 - Graph imported lazily (no cycle)
    from learnless.graph.containers import Graph

    n = int(data.num_nodes)
    if getattr(data, "edge_index", None) is None:
        raise DataError(f"{name}: the PyG Data object has no edge_index")
    if getattr(data, "x", None) is None:
        raise DataError(f"{name}: the PyG Data object has no node features x")
    ei = data.edge_index.detach().cpu().numpy()
    weight = getattr(data, "edge_weight", None)
    if weight is None and getattr(data, "edge_attr", None) is not None and data.edge_attr.dim() == 1:
        weight = data.edge_attr
    values = (
        np.ones(ei.shape[1], np.float32)
        if weight is None
        else weight.detach().cpu().numpy().astype(np.float32)
    )
    # PyG's message j -> i is edge_index[:, k] = (j, i): entry (i, j) of the adjacency
    adj = sp.csr_matrix((values, (ei[1], ei[0])), shape=(n, n))
    y = getattr(data, "y", None)
    y = np.full(n, -1, np.int64) if y is None else y.detach().cpu().numpy().reshape(-1)
    masks = {}
    for key in ("train_mask", "val_mask", "test_mask"):
        m = getattr(data, key, None)
        masks[key] = None if m is None else m.detach().cpu().numpy().astype(bool)
    return Graph(adj=adj, x=data.x.detach().cpu().numpy(), y=y, name=name, **masks)


def to_pyg(graph) -> torch_geometric.data.Data:  # noqa: F821
    import torch
    from torch_geometric.data import Data

    coo = graph.adj.tocoo()
    out = Data(
        x=torch.from_numpy(graph.x),
        y=torch.from_numpy(graph.y),
        edge_index=torch.from_numpy(np.vstack([coo.col, coo.row]).astype(np.int64)),
        edge_weight=torch.from_numpy(coo.data.astype(np.float32)),
        num_nodes=graph.num_nodes,
    )
    for key in ("train_mask", "val_mask", "test_mask"):
        m = getattr(graph, key)
        if m is not None:
            out[key] = torch.from_numpy(m)
    return out
