import numpy as np
import pytest
import scipy.sparse as sp

from learnless.errors import DataError
from learnless.graph import Graph, Interactions


def test_empty_graph_is_refused():
    with pytest.raises(DataError, match="the graph is empty"):
        Graph(sp.csr_matrix((0, 0)), np.zeros((0, 3)), np.zeros(0))


def test_nan_features_are_refused_with_row_count():
    x = np.ones((3, 2))
    x[1, 0] = np.nan
    x[2, 1] = np.inf
    with pytest.raises(DataError, match=r"NaN or inf \(2 rows affected\)"):
        Graph(sp.eye(3, format="csr"), x, np.zeros(3))


def test_feature_rows_must_match_nodes():
    with pytest.raises(DataError, match="features have 2 rows but the graph has 3 nodes"):
        Graph(sp.eye(3, format="csr"), np.ones((2, 2)), np.zeros(3))


def test_multi_split_selection():
    masks = np.zeros((4, 2), bool)
    masks[0, 0] = masks[1, 1] = True
    g = Graph(sp.eye(4, format="csr"), np.ones((4, 1)), np.arange(4), masks, masks, masks, name="g")
    assert g.num_splits == 2
    assert g.split(1).train_mask.tolist() == [False, True, False, False]
    with pytest.raises(DataError, match="split 2 out of range"):
        g.split(2)


def test_interactions_binarise_and_pad_narrow_test():
    train = sp.csr_matrix(np.array([[2.0, 0, 1], [0, 1, 0]]))
    test = sp.csr_matrix(np.array([[0, 1.0], [1, 0]]))  # one column narrower, as GTE's amazon_beauty
    inter = Interactions(train, test)
    assert inter.test.shape == (2, 3)
    assert set(inter.train.data.tolist()) == {1.0}


def test_interactions_test_larger_than_train_is_refused():
    with pytest.raises(DataError, match="exceeds the train matrix"):
        Interactions(sp.csr_matrix(np.ones((2, 2))), sp.csr_matrix(np.ones((3, 2))))
