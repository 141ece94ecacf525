"""LightGCN (He et al., SIGIR 2020) from PyG's `torch_geometric.nn.LightGCN`, trained with the BPR loss.
Defaults from the paper: 64 dimensions, 3 layers, Adam lr 1e-3, L2 1e-4 on the layer-0 embeddings, batches
of 2048. The symmetric-normalised bipartite adjacency is built once (PyG would re-normalise every batch)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch
from torch_geometric.nn import LightGCN

from learnless.recommend.baselines.bpr import BPRRecommender


class LightGCNRecommender(BPRRecommender):
    name = "lightgcn"

    def __init__(self, dim: int = 64, layers: int = 3, lr: float = 1e-3, reg: float = 1e-4,
                 batch_size: int = 2048, max_epochs: int = 1000, patience: int = 10, eval_every: int = 1,
                 val_fraction: float = 0.1, val_users: int = 5000, time_budget: float | None = None,
                 seed: int = 0, threads: int | None = 1):
        super().__init__(dim=dim, lr=lr, reg=reg, batch_size=batch_size, max_epochs=max_epochs,
                         patience=patience, eval_every=eval_every, val_fraction=val_fraction,
                         val_users=val_users, time_budget=time_budget, seed=seed, threads=threads)
        self.layers = layers

    def _build(self, R):
        n_u, n_i = R.shape
        self.n_users_fit_ = n_u
        self.net_ = LightGCN(n_u + n_i, int(self.dim), int(self.layers), normalize=False)
        a = sp.bmat([[None, R], [R.T, None]], format="csr")
        deg = np.asarray(a.sum(axis=1)).ravel()
        inv = np.where(deg > 0, deg, 1.0) ** -0.5
        a = sp.diags(inv) @ a @ sp.diags(inv)
        a = a.tocsr().astype(np.float32)
        self.adj_ = torch.sparse_csr_tensor(torch.from_numpy(a.indptr.astype(np.int64)),
                                            torch.from_numpy(a.indices.astype(np.int64)),
                                            torch.from_numpy(a.data), size=a.shape)

    def _embeddings(self):
        emb = self.net_.get_embedding(self.adj_)
        return emb[: self.n_users_fit_], emb[self.n_users_fit_:]

    def _bpr_loss(self, users, pos, neg):
        emb = self.net_.get_embedding(self.adj_)
        n_u = self.n_users_fit_
        u, p, n = emb[users], emb[n_u + pos], emb[n_u + neg]
        pos_rank, neg_rank = (u * p).sum(-1), (u * n).sum(-1)
        node_id = torch.cat([users, n_u + pos, n_u + neg]).unique()
        return self.net_.recommendation_loss(pos_rank, neg_rank, node_id=node_id, lambda_reg=self.reg)

    def __getstate__(self):
        # the torch CSR adjacency is only needed for training; executors pickle the fitted model
        state = dict(self.__dict__)
        state.pop("adj_", None)
        return state
