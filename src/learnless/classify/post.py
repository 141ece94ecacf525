"""Label post-processing of a fitted model's class probabilities, from the TRAINING labels only: label
propagation ("lp": the smoothing step alone) and Correct & Smooth ("cs", Huang et al., "Combining Label
Propagation and Simple Models Out-performs Graph Neural Networks", ICLR 2021).

Only the rows `train_idx` of the labels are ever read, so validation labels stay a fair measure of the
result (DGL's example read them: dmlc/dgl, "Correct and Smooth implementation uses validation labels").
Both steps iterate x ← (1 − α) x₀ + α Â x with the propagation's own Â = D̃^-1/2 (A+I) D̃^-1/2."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from learnless.graph import normalize_adjacency

POST = ("cs", "lp")
CORRECTION_ALPHA, SMOOTHING_ALPHA, ITERATIONS = 0.5, 0.8, 50


def _iterate(a_hat: sp.spmatrix, x0: np.ndarray, alpha: float, iterations: int) -> np.ndarray:
    x = x0
    for _ in range(iterations):
        x = (1 - alpha) * x0 + alpha * (a_hat @ x)
    return x


def _onehot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    return np.eye(n_classes)[labels]


def smooth(probs, a_hat, train_idx, train_labels, alpha=SMOOTHING_ALPHA, iterations=ITERATIONS):
    """Label propagation started from the predictions with the training rows set to their labels."""
    g0 = np.array(probs, dtype=np.float64)
    g0[train_idx] = _onehot(train_labels, g0.shape[1])
    return _iterate(a_hat, g0, alpha, iterations)


def correct(probs, a_hat, train_idx, train_labels, alpha=CORRECTION_ALPHA, iterations=ITERATIONS):
    """The training residuals spread over the graph, each node's share rescaled to the mean training
    residual size (the paper's autoscale)."""
    z = np.asarray(probs, dtype=np.float64)
    e0 = np.zeros_like(z)
    e0[train_idx] = _onehot(train_labels, z.shape[1]) - z[train_idx]
    e = _iterate(a_hat, e0, alpha, iterations)
    sigma = np.abs(e0[train_idx]).sum(1).mean()
    norm = np.abs(e).sum(1, keepdims=True)
    return z + np.divide(sigma * e, norm, out=np.zeros_like(e), where=norm > 0)


def post_process(kind: str, probs: np.ndarray, adj: sp.spmatrix, train_idx: np.ndarray,
                 train_labels: np.ndarray) -> np.ndarray:
    """Row-normalised class scores after `kind` ("lp" or "cs"); `train_labels[i]` is node train_idx[i]'s."""
    a_hat = normalize_adjacency(adj, "sym")
    train_idx, train_labels = np.asarray(train_idx), np.asarray(train_labels)
    if kind == "cs":
        probs = correct(probs, a_hat, train_idx, train_labels)
    elif kind != "lp":
        raise ValueError(f"post must be one of {', '.join(POST)}, got {kind!r}")
    out = np.clip(smooth(probs, a_hat, train_idx, train_labels), 0, None)
    s = out.sum(1, keepdims=True)
    return np.divide(out, s, out=np.full_like(out, 1 / out.shape[1]), where=s > 0).astype(np.float32)
