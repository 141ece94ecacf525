"""The two data containers every capability consumes: a featured node graph and a user x item matrix."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from learnless.errors import DataError


def _as_csr(matrix, name: str, dtype=np.float32) -> sp.csr_matrix:
    if not sp.issparse(matrix):
        raise DataError(f"{name}: expected a scipy sparse matrix, got {type(matrix).__name__}")
    out = sp.csr_matrix(matrix, dtype=dtype)
    out.sum_duplicates()
    out.sort_indices()
    return out


@dataclass
class Graph:
    """A node-classification graph.

    adj: n x n CSR adjacency (float32, symmetric for undirected graphs, no normalisation applied).
    x: n x f float32 features (dense). y: n int64 labels, -1 where unknown.
    train_mask / val_mask / test_mask: n bool arrays; for datasets with several published splits
    they are n x s (one column per split) and `split(i)` selects one.
    """

    adj: sp.csr_matrix
    x: np.ndarray
    y: np.ndarray
    train_mask: np.ndarray | None = None
    val_mask: np.ndarray | None = None
    test_mask: np.ndarray | None = None
    name: str = "graph"
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.adj = _as_csr(self.adj, f"{self.name}: adjacency")
        n = self.adj.shape[0]
        if self.adj.shape[0] != self.adj.shape[1]:
            raise DataError(f"{self.name}: adjacency must be square, got {self.adj.shape}")
        if n == 0:
            raise DataError(f"{self.name}: the graph is empty (0 nodes)")
        if sp.issparse(self.x):
            self.x = self.x.toarray()
        self.x = np.ascontiguousarray(self.x, dtype=np.float32)
        if self.x.ndim != 2 or self.x.shape[0] != n:
            raise DataError(f"{self.name}: features have {self.x.shape[0]} rows but the graph has {n} nodes")
        if not np.isfinite(self.x).all():
            bad = int((~np.isfinite(self.x)).any(axis=1).sum())
            raise DataError(f"{self.name}: features contain NaN or inf ({bad} rows affected)")
        self.y = np.asarray(self.y, dtype=np.int64).reshape(-1)
        if self.y.shape[0] != n:
            raise DataError(f"{self.name}: labels have {self.y.shape[0]} entries but the graph has {n} nodes")
        for mname in ("train_mask", "val_mask", "test_mask"):
            m = getattr(self, mname)
            if m is not None:
                m = np.asarray(m, dtype=bool)
                if m.shape[0] != n:
                    raise DataError(f"{self.name}: {mname} has {m.shape[0]} rows but the graph has {n} nodes")
                setattr(self, mname, m)

    @property
    def num_nodes(self) -> int:
        return self.adj.shape[0]

    @property
    def num_edges(self) -> int:
        """Undirected edges (each stored twice in a symmetric adjacency), self-loops counted once."""
        a = self.adj
        loops = int((a.diagonal() != 0).sum())
        return (a.nnz - loops) // 2 + loops

    @property
    def num_features(self) -> int:
        return self.x.shape[1]

    @property
    def num_classes(self) -> int:
        known = self.y[self.y >= 0]
        return int(known.max()) + 1 if known.size else 0

    @property
    def num_splits(self) -> int:
        return 1 if self.train_mask is None or self.train_mask.ndim == 1 else self.train_mask.shape[1]

    @classmethod
    def from_pyg(cls, data, name: str = "pyg") -> Graph:
        """A Graph from a PyTorch Geometric `Data` (see learnless.graph.pyg)."""
        from learnless.graph.pyg import from_pyg

        return from_pyg(data, name=name)

    def to_pyg(self):
        """This graph as a PyTorch Geometric `Data` (see learnless.graph.pyg)."""
        from learnless.graph.pyg import to_pyg

        return to_pyg(self)

    def split(self, index: int = 0) -> Graph:
        """The same graph with one of several published splits selected (a no-op for single splits)."""
        if self.num_splits == 1:
            return self
        if not 0 <= index < self.num_splits:
            raise DataError(f"{self.name}: split {index} out of range (0..{self.num_splits - 1})")
        return Graph(self.adj, self.x, self.y, self.train_mask[:, index], self.val_mask[:, index],
                     self.test_mask[:, index], name=f"{self.name}[split {index}]", meta=dict(self.meta))

    def __repr__(self) -> str:
        return (f"Graph(name={self.name!r}, nodes={self.num_nodes}, edges={self.num_edges}, "
                f"features={self.num_features}, classes={self.num_classes}, splits={self.num_splits})")


@dataclass
class Interactions:
    """Implicit feedback: users x items CSR matrices (float32 0/1) for train, test and optional validation.

    user_ids / item_ids map row / column positions back to the ids of the source files (None: identity).
    """

    train: sp.csr_matrix
    test: sp.csr_matrix
    val: sp.csr_matrix | None = None
    user_ids: np.ndarray | None = None
    item_ids: np.ndarray | None = None
    name: str = "interactions"
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.train = _binarize(_as_csr(self.train, f"{self.name}: train matrix"))
        n_users, n_items = self.train.shape
        self.test = _fit_shape(_binarize(_as_csr(self.test, f"{self.name}: test matrix")), self.train.shape,
                               f"{self.name}: test matrix")
        if self.val is not None:
            self.val = _fit_shape(_binarize(_as_csr(self.val, f"{self.name}: validation matrix")),
                                  self.train.shape, f"{self.name}: validation matrix")
        if n_users == 0 or n_items == 0:
            raise DataError(f"{self.name}: the interaction matrix is empty ({n_users} users x {n_items} "
                            f"items)")

    @property
    def n_users(self) -> int:
        return self.train.shape[0]

    @property
    def n_items(self) -> int:
        return self.train.shape[1]

    def __repr__(self) -> str:
        val = f", val={self.val.nnz}" if self.val is not None else ""
        return (f"Interactions(name={self.name!r}, users={self.n_users}, items={self.n_items}, "
                f"train={self.train.nnz}, test={self.test.nnz}{val})")


def _binarize(m: sp.csr_matrix) -> sp.csr_matrix:
    m = m.copy()
    m.data[:] = 1.0
    m.eliminate_zeros()
    return m


def _fit_shape(m: sp.csr_matrix, shape: tuple[int, int], name: str) -> sp.csr_matrix:
    """Published test matrices are sometimes one column narrower than train (GTE's amazon_beauty): pad them.
    A test matrix that is larger than train refers to unknown users/items: refuse."""
    if m.shape == shape:
        return m
    if m.shape[0] > shape[0] or m.shape[1] > shape[1]:
        raise DataError(f"{name}: shape {m.shape} exceeds the train matrix {shape}")
    m = m.tocoo()
    return sp.csr_matrix((m.data, (m.row, m.col)), shape=shape, dtype=np.float32)
