"""BPR-MF (Rendle et al., UAI 2009): dot products of user and item embeddings, trained with the BPR loss.

Settings of the LightGCN paper's MF baseline: 64 dimensions, embeddings initialised N(0, 0.1²), Adam, L2 1e-4
on the batch's embeddings. CPU deviation: batches of 8192 with lr 4e-3 instead of 2048 / 1e-3, and
validation every 5 epochs (an epoch takes less time than ranking the validation users; see
learnless.recommend.baselines.bpr and benchmarks/baseline_epochs.py)."""

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

    def __init__(
        self,
        dim: int = 64,
        lr: float = 4e-3,
        reg: float = 1e-4,
        batch_size: int = 8192,
        max_epochs: int = 1000,
        patience: int = 10,
        eval_every: int = 5,
        val_fraction: float = 0.1,
        val_users: int = 2000,
        time_budget: float | None = None,
        seed: int = 0,
        threads: int | None = 1,
        device: str = "cpu",
    ):
        super().__init__(
            dim=dim,
            lr=lr,
            reg=reg,
            batch_size=batch_size,
            max_epochs=max_epochs,
            patience=patience,
            eval_every=eval_every,
            val_fraction=val_fraction,
            val_users=val_users,
            time_budget=time_budget,
            seed=seed,
            threads=threads,
            device=device,
        )

    def _build(self, R):
        self.net_ = _MF(R.shape[0], R.shape[1], int(self.dim))

    def _embeddings(self):
        return self.net_.user.weight, self.net_.item.weight

    def _bpr_loss(self, users, pos, neg):
        u, p, n = self.net_.user(users), self.net_.item(pos), self.net_.item(neg)
        diff = (u * p).sum(-1) - (u * n).sum(-1)
        l2 = (u.pow(2).sum() + p.pow(2).sum() + n.pow(2).sum()) / (2 * users.numel())
        return torch.nn.functional.softplus(-diff).mean() + self.reg * l2
