"""A closed-form linear probe: ridge regression onto one-hot labels, fitted on some nodes and scored on
others. Cheap enough to rank many candidate inputs (hop weightings, depths, scalings) before any network is
trained — the quantity it ranks them by is validation accuracy."""

from __future__ import annotations

import numpy as np


def probe_accuracy(z: np.ndarray, y: np.ndarray, fit_idx: np.ndarray, score_idx: np.ndarray,
                   alpha: float = 1.0) -> float:
    """Accuracy on `score_idx` of ridge regression (one-hot targets, penalty `alpha`) fitted on `fit_idx`;
    the columns are standardised with the fitting nodes' statistics first."""
    a = np.asarray(z[fit_idx], dtype=np.float64)
    mu, sd = a.mean(0), a.std(0)
    sd[sd == 0] = 1.0
    a = (a - mu) / sd
    b = (np.asarray(z[score_idx], dtype=np.float64) - mu) / sd
    classes, yi = np.unique(y[fit_idx], return_inverse=True)
    t = np.eye(len(classes))[yi]
    t -= t.mean(0)
    n, f = a.shape
    if f <= n:  # primal (f x f) or dual (n x n) normal equations, whichever is smaller
        w = np.linalg.solve(a.T @ a + alpha * np.eye(f), a.T @ t)
    else:
        w = a.T @ np.linalg.solve(a @ a.T + alpha * np.eye(n), t)
    pred = classes[(b @ w).argmax(1)]
    return float((pred == y[score_idx]).mean())
