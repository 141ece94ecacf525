"""Graph <-> PyG Data round trip."""

import numpy as np
import scipy.sparse as sp

from learnless.graph import Graph
from learnless.graph.pyg import from_pyg, to_pyg


def _graph():
    rng = np.random.default_rng(0)
    a = sp.random(30, 30, density=0.1, random_state=0, format="csr")
    a = ((a + a.T) > 0).astype(np.float32)
    mask = np.zeros(30, bool)
    mask[:10] = True
    return Graph(adj=a, x=rng.normal(size=(30, 4)).astype(np.float32), y=rng.integers(0, 3, 30),
                 train_mask=mask, val_mask=~mask, test_mask=~mask, name="toy")


def test_round_trip_keeps_adjacency_features_labels_masks():
    g = _graph()
    data = to_pyg(g)
    assert data.num_nodes == 30 and data.edge_index.shape[1] == g.adj.nnz
    back = from_pyg(data, name="toy")
    assert (back.adj != g.adj).nnz == 0
    np.testing.assert_array_equal(back.x, g.x)
    np.testing.assert_array_equal(back.y, g.y)
    np.testing.assert_array_equal(back.train_mask, g.train_mask)


def test_directed_edge_orientation_follows_pyg_messages():
    import torch
    from torch_geometric.data import Data

    # one message 0 -> 1: row 1 (the receiver) of the adjacency has the entry
    data = Data(x=torch.zeros(2, 1), edge_index=torch.tensor([[0], [1]]), num_nodes=2)
    g = from_pyg(data)
    assert g.adj[1, 0] == 1 and g.adj[0, 1] == 0


def test_graph_methods_are_the_same_conversion():
    g = _graph()
    back = Graph.from_pyg(g.to_pyg(), name="toy")
    assert (back.adj != g.adj).nnz == 0 and back.name == "toy"
