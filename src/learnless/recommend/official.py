"""The official HKUDS/GTE per-user metric (utils.metrics), transcribed literally.

learnless's own evaluation (`learnless.recommend.evaluate`) is vectorised; this slow, literal form is the
independent reference that tests and `benchmarks/gte_vs_official.py` compare it with.
"""

from __future__ import annotations

import numpy as np


def official_user_metrics(order_row, label: list, k: int) -> tuple[float, float]:
    """(recall, ndcg) of one user: `order_row` ranks items best first, `label` is the user's test items."""
    top = list(order_row[:k])
    idcg = np.sum([1 / np.log2(p + 2) for p in range(min(k, len(label)))])
    hit, dcg = 0, 0.0
    for item in label:
        if item in top:
            hit += 1
            dcg += 1 / np.log2(top.index(item) + 2)
    return hit / len(label), dcg / idcg
