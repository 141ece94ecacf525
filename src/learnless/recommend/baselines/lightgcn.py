"""LightGCN (He et al., SIGIR 2020) on PyG's `torch_geometric.nn.LightGCN` module, trained with the BPR loss.

Paper settings: 64 dimensions, 3 layers, layer weights 1/(L+1), embeddings initialised N(0, 0.1²) (the
official code's init), Adam, L2 1e-4 on the batch's layer-0 embeddings (PyG's `recommendation_loss`). CPU
deviation: batches of 8192 with lr 4e-3 instead of 2048 / 1e-3 (see learnless.recommend.baselines.bpr).

Propagation: the symmetric-normalised bipartite adjacency Â is built once as a torch CSR matrix, and each
layer is `Â @ x` through `_SymmetricSpMM`, whose backward is again `Â @ grad` (Â is symmetric). The same
product through PyG's `LGConv` back-propagates with a transposed CSR product that took ~3x the forward
time (benchmarks/baseline_epochs.py); the values and gradients are the same (tested).
Validation every 2 epochs.
"""

from __future__ import annotations

import warnings
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
import torch
from torch_geometric.nn import LightGCN as PyGLightGCN

from learnless.base import positive_int
from learnless.recommend.baselines.bpr import BPRRecommender


class _SymmetricSpMM(torch.autograd.Function):
    """y = A @ x for a symmetric sparse A; dL/dx = Aᵀ @ dL/dy = A @ dL/dy."""

    @staticmethod
    def forward(ctx, adj, x):
        ctx.adj = adj
        return adj @ x

    @staticmethod
    def backward(ctx, grad):
        return None, ctx.adj @ grad


def normalized_bipartite_adjacency(R: sp.csr_matrix) -> torch.Tensor:
    """D^-1/2 A D^-1/2 of the (users + items) bipartite graph of R, as a float32 torch CSR tensor."""
    a = sp.bmat([[None, R], [R.T, None]], format="csr")
    deg = np.asarray(a.sum(axis=1)).ravel()
    inv = np.where(deg > 0, deg, 1.0) ** -0.5
    a = (sp.diags(inv) @ a @ sp.diags(inv)).tocsr().astype(np.float32)
    a.sort_indices()
    with warnings.catch_warnings():  # "sparse CSR support is in beta": the product used here is stable
        warnings.simplefilter("ignore", UserWarning)
        return torch.sparse_csr_tensor(torch.from_numpy(a.indptr.astype(np.int64)),
                                       torch.from_numpy(a.indices.astype(np.int64)),
                                       torch.from_numpy(a.data), size=a.shape, check_invariants=False)


class LightGCN(BPRRecommender):
    name = "lightgcn"
    _parameter_constraints: ClassVar[dict] = {"layers": [positive_int]}

    def __init__(self, dim: int = 64, layers: int = 3, lr: float = 4e-3, reg: float = 1e-4,
                 batch_size: int = 8192, max_epochs: int = 1000, patience: int = 10, eval_every: int = 2,
                 val_fraction: float = 0.1, val_users: int = 2000, time_budget: float | None = None,
                 seed: int = 0, threads: int | None = 1, device: str = "cpu"):
        super().__init__(dim=dim, lr=lr, reg=reg, batch_size=batch_size, max_epochs=max_epochs,
                         patience=patience, eval_every=eval_every, val_fraction=val_fraction,
                         val_users=val_users, time_budget=time_budget, seed=seed, threads=threads,
                         device=device)
        self.layers = layers

    def _build(self, R):
        n_u, n_i = R.shape
        self.n_users_fit_ = n_u
        self.net_ = PyGLightGCN(n_u + n_i, int(self.dim), int(self.layers), normalize=False)
        torch.nn.init.normal_(self.net_.embedding.weight, std=0.1)
        self.adj_ = normalized_bipartite_adjacency(R).to(torch.device(self.device))

    def _propagate(self):
        """PyG LightGCN.get_embedding's sum, with the symmetric product for each layer."""
        x = self.net_.embedding.weight
        out = x * self.net_.alpha[0]
        for layer in range(int(self.layers)):
            x = _SymmetricSpMM.apply(self.adj_, x)
            out = out + x * self.net_.alpha[layer + 1]
        return out

    def _embeddings(self):
        emb = self._propagate()
        return emb[: self.n_users_fit_], emb[self.n_users_fit_:]

    def _bpr_loss(self, users, pos, neg):
        emb = self._propagate()
        n_u = self.n_users_fit_
        u, p, n = emb[users], emb[n_u + pos], emb[n_u + neg]
        pos_rank, neg_rank = (u * p).sum(-1), (u * n).sum(-1)
        node_id = torch.cat([users, n_u + pos, n_u + neg]).unique()
        return self.net_.recommendation_loss(pos_rank, neg_rank, node_id=node_id, lambda_reg=self.reg)

    def _fit(self, R, val):
        super()._fit(R, val)
        # the torch CSR adjacency is only needed for training (the final embeddings are cached): dropping it
        # keeps the fitted model picklable and copyable (torch cannot deep-copy a sparse CSR tensor)
        del self.adj_


LightGCNRecommender = LightGCN  # the earlier name, kept for existing scripts
