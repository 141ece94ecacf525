"""How GTE's depth k trades topological closeness against accuracy, with a figure.

    LEARNLESS_DATA=../shared/data python benchmarks/gte_depth.py [--dataset tmall] [--ks 1,2,3,4,5,6,7]

For each k: agreement of GTE's scores with topological closeness on sampled users / item pairs (unseen items,
all distances; and pairs within distance k only), and Recall@20 / NDCG@20 (exact protocol).
Writes results/gte_depth.{json,md,png}.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="tmall")
    p.add_argument("--ks", default="1,2,3,4,5,6,7")
    p.add_argument("--users", type=int, default=100)
    a = p.parse_args()
    warnings.simplefilter("ignore")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from _common import RESULTS, save_rows

    from learnless.data import load_interactions
    from learnless.recommend import GTE, evaluate
    from learnless.recommend.closeness import closeness_agreement

    data = load_interactions(a.dataset)
    rows = []
    for k in [int(x) for x in a.ks.split(",")]:
        start = time.perf_counter()
        model = GTE(k).fit(data)
        m = evaluate(model, data, topk=(20,))
        allpairs = closeness_agreement(model, n_users=a.users, pairs_per_user=5000, seed=0)
        within = closeness_agreement(
            model, n_users=a.users, pairs_per_user=5000, max_distance=max(k, 1), seed=0
        )
        rows.append(
            {
                "k": k,
                "recall@20": m["recall@20"],
                "ndcg@20": m["ndcg@20"],
                "closeness_agreement": allpairs["agreement"],
                "closeness_score_ties": allpairs["score_ties"],
                "agreement_within_k": within["agreement"],
                "pairs": allpairs["pairs"],
                "seconds": time.perf_counter() - start,
            }
        )
        print(rows[-1], flush=True)
    fig, ax = plt.subplots(1, 2, figsize=(10, 3.8))
    ks = [r["k"] for r in rows]
    ax[0].plot(ks, [r["closeness_agreement"] for r in rows], "o-", label="all unseen item pairs")
    ax[0].plot(ks, [r["agreement_within_k"] for r in rows], "s--", label="pairs within distance k")
    ax[0].plot(ks, [r["closeness_score_ties"] for r in rows], "x:", label="score ties (all pairs)")
    ax[0].set(
        xlabel="GTE layers k", ylabel="fraction of item pairs", title="agreement with topological closeness"
    )
    ax[0].legend(fontsize=8)
    ax[1].plot(ks, [r["recall@20"] for r in rows], "o-", label="Recall@20")
    ax[1].plot(ks, [r["ndcg@20"] for r in rows], "s-", label="NDCG@20")
    ax[1].set(xlabel="GTE layers k", title=f"accuracy on {a.dataset} (exact protocol)")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    RESULTS.mkdir(exist_ok=True)
    fig.savefig(RESULTS / "gte_depth.png", dpi=120)
    md = [
        ("| k | closeness agreement (all pairs) | score ties | agreement within distance k | Recall@20 | "
         "NDCG@20 |"),
        "|---|---|---|---|---|---|",
    ]
    md += [
        f"| {r['k']} | {r['closeness_agreement']:.4f} | {r['closeness_score_ties']:.4f} | "
        f"{r['agreement_within_k']:.4f} | {r['recall@20']:.4f} | {r['ndcg@20']:.4f} |"
        for r in rows
    ]
    save_rows("gte_depth", rows, params={"dataset": a.dataset, "users": a.users}, markdown="\n".join(md))


if __name__ == "__main__":
    main()
