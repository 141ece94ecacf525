"""Incremental update vs refit: 1 % of a dataset's users get a new history (their train items plus their
test items, as if the test period had been observed), through `partial_fit_users`, and the result is
compared with a refit on the final matrix (scores of every updated user and of as many other users, and
their top-20 lists).

    python benchmarks/recommend_update.py [--dataset gowalla] [--models gte,itemknn] [--fraction 0.01]

Target: GTE on gowalla >= 20x faster than the refit, and equal to it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
from _common import HERE, save_rows

sys.path.insert(0, str(HERE.parent / "src"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="gowalla")
    p.add_argument("--models", default="gte,itemknn")
    p.add_argument("--fraction", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    from learnless.data import load_interactions
    from learnless.recommend.models import make_model

    warnings.simplefilter("ignore")
    data = load_interactions(a.dataset)
    train, test = sp.csr_matrix(data.train), sp.csr_matrix(data.test)
    rng = np.random.default_rng(a.seed)
    users = np.sort(rng.choice(train.shape[0], max(1, round(a.fraction * train.shape[0])),
                               replace=False))
    new_rows = sp.csr_matrix(train[users] + test[users])
    new_rows.data[:] = 1.0
    final = sp.lil_matrix(train)
    final[users] = new_rows
    final = sp.csr_matrix(final)
    others = np.setdiff1d(rng.choice(train.shape[0], min(train.shape[0], 2 * users.size), replace=False),
                          users)[: users.size]
    check = np.concatenate([users, others])
    rows = []
    for name in a.models.split(","):
        model = make_model(name).fit(train)
        t = time.perf_counter()
        model.partial_fit_users(users, new_rows)
        update_s = time.perf_counter() - t
        t = time.perf_counter()
        ref = make_model(name).fit(final)
        refit_s = time.perf_counter() - t
        a_scores, b_scores = model.score(check), ref.score(check)
        top_a, _ = model.recommend(check, final[check], N=20)
        top_b, _ = ref.recommend(check, final[check], N=20)
        row = {"model": name, "dataset": data.name, "users_updated": int(users.size),
               "of_users": int(train.shape[0]), "interactions_changed": int((new_rows - train[users]).nnz),
               "update_seconds": update_s, "refit_seconds": refit_s, "speedup": refit_s / update_s,
               "max_abs_score_diff": float(np.abs(a_scores.astype(np.float64) - b_scores).max()),
               "top20_equal": bool((top_a == top_b).all()), "how": str(getattr(model, "last_update_", "")),
               "load_before": os.getloadavg()[0]}
        print(row, flush=True)
        rows.append(row)
    md = [("| model | dataset | users updated | interactions added | update | refit | speed-up "
           "| max score diff | top-20 equal | how |"),
          "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| {r['model']} | {r['dataset']} | {r['users_updated']:,} of {r['of_users']:,} | "
                  f"{r['interactions_changed']:,} | {r['update_seconds']:.2f} s | "
                  f"{r['refit_seconds']:.2f} s | "
                  f"{r['speedup']:.1f}x | {r['max_abs_score_diff']:.1e} | {r['top20_equal']} | {r['how']} |")
    save_rows(f"recommend_update_{a.dataset}", rows, params=vars(a), markdown="\n".join(md))


if __name__ == "__main__":
    main()
