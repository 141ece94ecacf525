"""Word-embedding spaces compared absolute vs relative (the paper's first table), offline: Word2Vec and
FastText (gensim, skip-gram, 100-d, 15 epochs, min_count 5) on MR + SST-2 + TREC, and GloVe 6B 50d, on their
shared vocabulary; 300 uniformly sampled anchor words, one anchor draw per seed.

    PYTHONPATH=src python benchmarks/relate_words.py [--seeds 5] [--anchors 300]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from learnless.relate.metrics import compare_spaces
from learnless.relate.plots import metric_curve
from learnless.relate.words import train_spaces
from learnless.report import save_result

HERE = Path(__file__).parent
PAIRS = (("word2vec", "fasttext"), ("word2vec", "glove"), ("fasttext", "glove"))
KEYS = ("jaccard@10", "mrr", "cosine")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--anchors", type=int, default=300)
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    start = time.perf_counter()
    spaces = train_spaces()
    trained = time.perf_counter() - start
    rows, table = [], []
    for a, b in PAIRS:
        per_seed = [
            compare_spaces(spaces[a], spaces[b], n_anchors=args.anchors, seed=s) for s in range(args.seeds)
        ]
        rows += [{"pair": f"{a} ↔ {b}", "seed": s, **m} for s, m in enumerate(per_seed)]
        for space in ("absolute", "relative"):
            row = {"pair": f"{a} ↔ {b}", "space": space}
            for k in KEYS:
                vals = np.array([m[f"{space}.{k}"] for m in per_seed])
                nulls = np.array([m[f"{space}.{k}.null"] for m in per_seed])
                row[k] = (
                    "n/a (dims differ)" if np.isnan(vals).all() else f"{vals.mean():.3f} ± {vals.std():.3f}"
                )
                row[f"{k} null"] = "" if np.isnan(nulls).all() else f"{nulls.mean():.3f}"
            table.append(row)
    curve = []
    for n_anchors in (10, 30, 100, 300, 1000):
        for s in range(3):
            m = compare_spaces(
                spaces["word2vec"], spaces["fasttext"], n_anchors=n_anchors, seed=s, null=False
            )
            curve.append(
                {"anchors": n_anchors, "seed": s, **{f"relative.{k}": m[f"relative.{k}"] for k in KEYS}}
            )
    metric_curve(
        curve,
        "anchors",
        [f"relative.{k}" for k in KEYS],
        HERE.parent / "docs" / "img" / "relate_words_anchors.png",
        "Word2Vec ↔ FastText: relative metrics vs number of anchors (3 draws)",
    )
    info = {
        "words": len(spaces["words"]),
        "tokens": spaces["tokens"],
        "sentences": spaces["sentences"],
        "train_seconds": round(trained, 1),
    }
    save_result(
        "relate_words",
        table,
        directory=HERE / "results",
        summary=info,
        params={"seeds": args.seeds, "anchors": args.anchors, "dim": 100, "epochs": 15, "min_count": 5},
    )
    save_result("relate_words_per_seed", rows, directory=HERE / "results")
    save_result("relate_words_anchors", curve, directory=HERE / "results")
    for r in table:
        print(r)
    print(info)


if __name__ == "__main__":
    main()
