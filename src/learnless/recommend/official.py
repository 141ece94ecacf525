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


def official_batch_means(order, labels: list[list], k: int) -> tuple[float, float]:
    """Mean (recall, ndcg) over one 256-user batch's users that have test items, as main.py averages them;
    `order[r]` ranks the items of the batch's r-th user, `labels[r]` lists its test items."""
    per_user = [official_user_metrics(order[r], label, k) for r, label in enumerate(labels) if label]
    return (sum(u[0] for u in per_user) / len(per_user), sum(u[1] for u in per_user) / len(per_user))
