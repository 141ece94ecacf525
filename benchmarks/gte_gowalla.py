"""GTE on LightGCN's gowalla, beside the LightGCN paper's figures and learnless's own LightGCN trained for a
stated time budget (paper settings: 64 dims, 3 layers, Adam, L2 1e-4 on the batch's layer-0 embeddings, BPR;
CPU deviation: batches of 8192 with lr 4e-3 instead of 2048 / 1e-3; early stopping on a validation split
carved out of train).

    LEARNLESS_DATA=../shared/data python benchmarks/gte_gowalla.py [--lightgcn-budget 1200]

Same evaluation for both (exact protocol: all items ranked, train items removed, Recall@20 = hits/|test|,
NDCG@20), which is also how the LightGCN code evaluates. Each model runs in its own process.
"""

from __future__ import annotations

import argparse
import json
import sys

from _common import HERE, run_cell, save_rows

sys.path.insert(0, str(HERE.parent / "src"))

PAPER = {"recall@20": 0.1830, "ndcg@20": 0.1554}  # LightGCN paper (He et al., SIGIR 2020), Table 3, gowalla


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lightgcn-budget", type=float, default=1200)
    a = p.parse_args()
    gte = run_cell("gte", "gowalla")
    print("gte", json.dumps(gte), flush=True)  # each cell as soon as it is done
    lgc = run_cell("lightgcn", "gowalla", "--time-budget", str(a.lightgcn_budget))
    print("lightgcn", json.dumps(lgc), flush=True)
    rows = {"gte": gte, "lightgcn": lgc}
    md = [
        "| model on gowalla | Recall@20 | NDCG@20 | training | wall (load+fit+eval) | peak RSS |",
        "|---|---|---|---|---|---|",
        (
            f"| LightGCN, paper (He et al. 2020) | {PAPER['recall@20']:.4f} | {PAPER['ndcg@20']:.4f} | "
            "to convergence (GPU, ~1000 epochs) | — | — |"
        ),
    ]
    for name, c in (
        ("GTE k=3 (learnless, no training)", gte),
        (f"LightGCN (learnless, {a.lightgcn_budget:.0f} s budget)", lgc),
    ):
        if "error" in c:
            md.append(f"| {name} | error: {c['error']} | | | | |")
            continue
        train = (
            f"{c['epochs']} epochs in {c['train_seconds']:.0f} s (best validation at epoch "
            f"{c['best_epoch']}), "
            f"stopped by {c['stopped_by']}"
            if "epochs" in c
            else "none"
        )
        md.append(
            f"| {name} | {c['recall@20']:.4f} | {c['ndcg@20']:.4f} | {train} | {c['wall_seconds']:.0f} s | "
            f"{c['peak_rss_mb'] / 1024:.2f} GB |"
        )
    save_rows("gte_gowalla", list(rows.values()), params={"lightgcn_budget": a.lightgcn_budget},
              summary={"paper_lightgcn": PAPER}, markdown="\n".join(md))


if __name__ == "__main__":
    main()
