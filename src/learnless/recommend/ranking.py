"""Deterministic top-N selection: score descending, ties broken by the lower item index.

A full stable argsort of every row would cost n log n per user; instead we find the N-th best value with
a values-only sort and arg-sort only the rows' candidates, which gives exactly the stable-argsort prefix.
"""

from __future__ import annotations

import numpy as np


def top_n(scores: np.ndarray, n: int) -> np.ndarray:
    """(rows, n) int64 item indices. Items scored -inf (filtered) are never returned: their slots hold -1."""
    rows, n_items = scores.shape
    n = min(n, n_items)
    out = np.full((rows, n), -1, dtype=np.int64)
    if rows == 0 or n == 0:
        return out
    # The n-th largest value of each row. A values-only sort, not a partition: NumPy's sort is SIMD-vectorised
    # and indifferent to duplicates, while introselect crawls on rows that are almost all ties (GTE's rows
    # are >99% zeros): 0.026 s vs 0.20 s (partition) and 0.45 s (argpartition) on a 200 x 41k block.
    kth = np.sort(scores, axis=1)[:, n_items - n]
    for r in range(rows):
        s = scores[r]
        t = kth[r]
        above = np.flatnonzero(s > t)
        above = above[np.argsort(-s[above], kind="stable")]
        if t == -np.inf:
            chosen = above  # only filtered items remain: leave -1
        else:
            chosen = np.concatenate([above, np.flatnonzero(s == t)[: n - above.size]])
        out[r, : chosen.size] = chosen
    return out
