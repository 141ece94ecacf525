"""BPR-MF (Rendle et al., UAI 2009): dot products of user and item embeddings, trained with the BPR loss.
Defaults follow the LightGCN paper's MF baseline: 64 dimensions, Adam lr 1e-3, L2 1e-4, batches of 2048."""

from __future__ import annotations

import torch

from learnless.recommend.baselines.bpr import BPRRecommender


class _MF(torch.nn.Module):
    def __init__(self, n_users, n_items, dim):
        super().__init__()
        self.user = torch.nn.Embedding(n_users, dim)
        self.item = torch.nn.Embedding(n_items, dim)
        torch.nn.init.normal_(self.user.weight, std=0.1)
        torch.nn.init.normal_(self.item.weight, std=0.1)


class BPRMF(BPRRecommender):
    name = "bprmf"

    def _build(self, R):
        self.net_ = _MF(R.shape[0], R.shape[1], int(self.dim))

    def _embeddings(self):
        return self.net_.user.weight, self.net_.item.weight

    def _bpr_loss(self, users, pos, neg):
        u, p, n = self.net_.user(users), self.net_.item(pos), self.net_.item(neg)
        diff = (u * p).sum(-1) - (u * n).sum(-1)
        l2 = (u.pow(2).sum() + p.pow(2).sum() + n.pow(2).sum()) / (2 * users.numel())
        return torch.nn.functional.softplus(-diff).mean() + self.reg * l2
