"""Reference implementations written the way the official HKUDS/GTE code computes, for tests only."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.recommend.official import official_batch_means


def official_dense_scores(R, k):
    """The official layer recurrence, dense: U <- R I + U, I <- R^T U + I from the old values."""
    Rd = sp.csr_matrix(R).toarray().astype(np.float64)
    U = np.zeros(Rd.shape)
    I = np.eye(Rd.shape[1])
    for _ in range(k):
        U, I = Rd @ I + U, Rd.T @ U + I
    return U


def official_metrics(pred, train, test, ks=(20, 40)):
    """main.py + utils.metrics of HKUDS/GTE: float32 preds, 0-masking, 256-user batches, batch means."""
    pred = pred.astype(np.float32)
    train = sp.csr_matrix(train)
    test = sp.coo_matrix(test)
    labels = [[] for _ in range(test.shape[0])]
    for r, c in zip(test.row, test.col):
        labels[r].append(c)
    n_u = pred.shape[0]
    n_batches = int(np.ceil(n_u / 256))
    out = {}
    for k in ks:
        rec_sum = ndcg_sum = 0.0
        for b in range(n_batches):
            lo, hi = b * 256, min((b + 1) * 256, n_u)
            preds = pred[lo:hi] * (1 - (train[lo:hi] != 0).astype(np.float32).toarray())
            order = (-preds).argsort()
            rec, ndcg = official_batch_means(order, labels[lo:hi], k)
            rec_sum += rec
            ndcg_sum += ndcg
        out[f"recall@{k}"] = rec_sum / n_batches
        out[f"ndcg@{k}"] = ndcg_sum / n_batches
    return out
