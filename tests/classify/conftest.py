import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data import sbm_graph
from learnless.graph import Graph


@pytest.fixture(scope="session")
def sbm():
    return sbm_graph(n_nodes=600, n_classes=3, n_features=32, p_in=0.03, p_out=0.002, feature_signal=0.8,
                     train_per_class=20, n_val=150, n_test=300, seed=1)


@pytest.fixture
def with_isolated(sbm):
    """The SBM graph plus 5 isolated nodes (one of them with all-zero features), all in the test set."""
    k = 5
    adj = sp.block_diag([sbm.adj, sp.csr_matrix((k, k))]).tocsr()
    x = np.vstack([sbm.x, np.random.default_rng(0).standard_normal((k, sbm.x.shape[1])).astype(np.float32)])
    x[-1] = 0
    y = np.concatenate([sbm.y, np.zeros(k, np.int64)])
    pad = np.zeros(k, bool)
    test = np.concatenate([sbm.test_mask, np.ones(k, bool)])
    return Graph(adj, x, y, np.concatenate([sbm.train_mask, pad]), np.concatenate([sbm.val_mask, pad]), test,
                 name="sbm+isolated")


def replace(graph, **kw):
    return dataclasses.replace(graph, **kw)
