"""The BPR training loop shared by BPR-MF and LightGCN: uniform negative sampling, Adam, early stopping on
Recall@20 of a validation split carved out of train (never the test set), optional wall-time budget."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
import torch

from learnless.errors import ConfigError
from learnless.recommend.base import Recommender
from learnless.recommend.splits import carve_validation
from learnless.runtime.progress import make_progress
from learnless.runtime.seed import seed_everything


class BPRRecommender(Recommender):
    """Base of embedding models trained with BPR. Subclasses build `self.net_` and implement `_embeddings()`
    returning (user_emb, item_emb) tensors and `_bpr_loss(users, pos, neg)`."""

    def __init__(self, dim: int = 64, lr: float = 1e-3, reg: float = 1e-4, batch_size: int = 2048,
                 max_epochs: int = 1000, patience: int = 10, eval_every: int = 1, val_fraction: float = 0.1,
                 val_users: int = 5000, time_budget: float | None = None, seed: int = 0, threads: int | None = 1):
        self.threads = threads
        self.dim = dim
        self.lr = lr
        self.reg = reg
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.eval_every = eval_every
        self.val_fraction = val_fraction
        self.val_users = val_users
        self.time_budget = time_budget
        self.seed = seed

    def _validate_params(self):
        for name in ("dim", "batch_size", "max_epochs", "patience", "eval_every", "val_users"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"{name}: must be >= 1, got {getattr(self, name)}")
        if self.lr <= 0 or self.reg < 0:
            raise ConfigError(f"lr must be > 0 and reg >= 0, got lr={self.lr}, reg={self.reg}")
        if self.time_budget is not None and self.time_budget <= 0:
            raise ConfigError(f"time_budget: must be > 0 seconds, got {self.time_budget}")

    def _fit(self, R, val):
        # One torch thread by default: on a busy machine two intra-op threads spin against each other and
        # small BPR steps run ~100x slower (measured); threads=None keeps torch's own setting.
        previous = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(int(self.threads))
        try:
            self._train(R, val)
        finally:
            torch.set_num_threads(previous)

    def _train(self, R, val):
        from learnless.recommend.evaluate import evaluate

        seed_everything(self.seed)
        rng = np.random.default_rng(self.seed)
        if val is not None and sp.csr_matrix(val).nnz:
            fit_part, val_part = R, sp.csr_matrix(val)
        else:
            fit_part, val_part = carve_validation(R, self.val_fraction, self.seed)
        self.fit_train_ = fit_part
        self._build(fit_part)
        opt = torch.optim.Adam(self.net_.parameters(), lr=self.lr)
        coo = fit_part.tocoo()
        pos_users, pos_items = coo.row.astype(np.int64), coo.col.astype(np.int64)
        n_items = R.shape[1]
        val_users = np.flatnonzero(np.diff(val_part.indptr) > 0)
        if val_users.size > self.val_users:
            val_users = np.sort(rng.choice(val_users, self.val_users, replace=False))
        keep = np.zeros(R.shape[0])
        keep[val_users] = 1.0
        val_sub = sp.csr_matrix(sp.diags(keep) @ val_part)

        self.history_, best, best_state, bad, start = [], -1.0, None, 0, time.perf_counter()
        self.stopped_by_ = "max_epochs"
        with make_progress() as bar:
            task = bar.add_task(f"training {self.name}", total=self.max_epochs)
            for epoch in range(1, self.max_epochs + 1):
                perm = rng.permutation(pos_users.size)
                neg = _sample_negatives(fit_part, pos_users[perm], n_items, rng)
                total, out_of_time = 0.0, False
                self.net_.train()
                for b in range(0, perm.size, self.batch_size):
                    idx = perm[b:b + self.batch_size]
                    loss = self._bpr_loss(torch.from_numpy(pos_users[idx]), torch.from_numpy(pos_items[idx]),
                                          torch.from_numpy(neg[b:b + self.batch_size]))
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    total += float(loss) * idx.size
                    if self.time_budget and time.perf_counter() - start > self.time_budget:
                        out_of_time = True
                        break
                record = {"epoch": epoch, "loss": total / perm.size, "seconds": time.perf_counter() - start}
                if epoch % self.eval_every == 0 or out_of_time:
                    self._cache_embeddings()
                    self.train_ = fit_part  # rank validation items among everything but the fitted part
                    record["val_recall@20"] = evaluate(self, None, topk=(20,), test=val_sub)["recall@20"]
                    if record["val_recall@20"] > best:
                        best, bad, self.best_epoch_ = record["val_recall@20"], 0, epoch
                        best_state = {k: v.detach().clone() for k, v in self.net_.state_dict().items()}
                    else:
                        bad += 1
                self.history_.append(record)
                bar.update(task, advance=1, description=f"training {self.name} (val R@20 {max(best, 0):.4f})")
                if out_of_time:
                    self.stopped_by_ = "time_budget"
                    break
                if bad >= self.patience:
                    self.stopped_by_ = "early_stopping"
                    break
        if best_state is not None:
            self.net_.load_state_dict(best_state)
        self.train_seconds_ = time.perf_counter() - start
        self.epochs_ = len(self.history_)
        self.best_val_recall_ = best
        self.train_ = R
        self._cache_embeddings()

    @torch.no_grad()
    def _cache_embeddings(self):
        self.net_.eval()
        u, i = self._embeddings()
        self.user_emb_ = u.detach().double().numpy()
        self.item_emb_ = i.detach().double().numpy()

    def _score(self, users):
        return self.user_emb_[users] @ self.item_emb_.T


def _sample_negatives(R: sp.csr_matrix, users: np.ndarray, n_items: int, rng) -> np.ndarray:
    """One uniform item per positive that the user has not interacted with (rejection, vectorised)."""
    # CSR with sorted indices: row * n_items + col over all entries is one sorted key array
    keys = np.repeat(np.arange(R.shape[0], dtype=np.int64), np.diff(R.indptr)) * n_items + R.indices
    neg = rng.integers(0, n_items, users.size)
    for _ in range(20):
        q = users * n_items + neg
        pos = np.minimum(np.searchsorted(keys, q), keys.size - 1)
        clash = keys[pos] == q
        if not clash.any():
            break
        neg[clash] = rng.integers(0, n_items, int(clash.sum()))
    return neg
