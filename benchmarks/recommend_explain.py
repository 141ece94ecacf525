"""explain() latency and exactness: random (user, item) pairs of amazon_beauty (each user's top-1
recommendation and one random unseen item), for GTE, ItemKNN and EASE.

    python benchmarks/recommend_explain.py [--dataset amazon_beauty] [--pairs 200] [--models gte,itemknn,ease]

Target: <= 50 ms per pair. Exactness: |direct + sum of contributions - score| over every pair.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

import numpy as np
from _common import HERE, save_rows

sys.path.insert(0, str(HERE.parent / "src"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="amazon_beauty")
    p.add_argument("--pairs", type=int, default=200)
    p.add_argument("--models", default="gte,itemknn,ease")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    from learnless.data import load_interactions
    from learnless.recommend.models import make_model

    warnings.simplefilter("ignore")
    data = load_interactions(a.dataset)
    rng = np.random.default_rng(a.seed)
    users = rng.choice(np.flatnonzero(np.diff(data.train.indptr) > 0), a.pairs // 2, replace=False)
    rows = []
    for name in a.models.split(","):
        model = make_model(name).fit(data)
        top = model.recommend(users, N=1)[0][:, 0]
        pairs = list(zip(users, top)) + [(u, int(rng.integers(data.n_items))) for u in users]
        model.explain(int(users[0]), int(top[0]))  # first call outside the timing (imports)
        times, errors, user_errors = [], [], []
        for u, i in pairs:
            t = time.perf_counter()
            e = model.explain(int(u), int(i), N=10)
            times.append(time.perf_counter() - t)
            errors.append(abs(e.items_total - e.score))
            if e.users_total is not None:
                user_errors.append(abs(e.users_total - e.score))
        ms = 1000 * np.array(times)
        row = {"model": name, "dataset": data.name, "pairs": len(pairs), "median_ms": float(np.median(ms)),
               "p95_ms": float(np.percentile(ms, 95)), "max_ms": float(ms.max()), "mean_ms": float(ms.mean()),
               "max_items_sum_error": float(max(errors)),
               "max_users_sum_error": float(max(user_errors)) if user_errors else None,
               "load_before": os.getloadavg()[0]}
        print(row, flush=True)
        rows.append(row)
    md = ["| model | dataset | pairs | median | p95 | max | max abs(sum - score): co-items / co-users |",
          "|---|---|---|---|---|---|---|"]
    for r in rows:
        users_err = "—" if r["max_users_sum_error"] is None else f"{r['max_users_sum_error']:.1e}"
        md.append(f"| {r['model']} | {r['dataset']} | {r['pairs']} | {r['median_ms']:.1f} ms | "
                  f"{r['p95_ms']:.1f} ms | {r['max_ms']:.1f} ms | "
                  f"{r['max_items_sum_error']:.1e} / {users_err} |")
    save_rows("recommend_explain", rows, params=vars(a), markdown="\n".join(md))


if __name__ == "__main__":
    main()
