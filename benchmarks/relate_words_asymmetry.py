"""Why Word2Vec -> FastText and FastText -> Word2Vec retrieve differently in the relative space: anisotropy
and hubness, measured, and the two remedies that act on them.

The cached word spaces of `relate_words.py` (paper word list, 300 uniform anchors, one draw per seed). Per
epochs and direction: relative MRR@5 as the paper computes it (cosine), with the relative spaces centred on
the anchors' mean (`center=True`), and with CSLS retrieval (which discounts hubs); the anisotropy (mean
pairwise cosine) of the source and target spaces, absolute and relative; the hubness of the target relative
space under the source queries (skewness of the 5-occurrence, share of all hits taken by the top 1 % of
targets, fraction of targets never retrieved), plain and centred; and the median corpus count of the
hub words against that of all search words.

    PYTHONPATH=src python benchmarks/relate_words_asymmetry.py [--seeds 5] [--epochs 15 50]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from learnless.relate.anchors import sample_anchors
from learnless.relate.hubness import anisotropy, csls_retrieval, hub_summary, hubness, k_occurrence
from learnless.relate.metrics import cross_space_retrieval
from learnless.relate.projection import RelativeProjection
from learnless.relate.words import aligned_spaces, cached_keyed_vectors, corpus
from learnless.report import save_result

HERE = Path(__file__).parent
CACHE = Path("runs/relate/words")
NAMES = {"word2vec": "Word2Vec", "fasttext": "FastText"}
K = 5


def _one(spaces: dict, a: str, b: str, seed: int, anchors: int) -> dict:
    idx = sample_anchors(spaces[a], anchors, seed=seed)
    rel = {c: {s: RelativeProjection(center=c).fit(spaces[s][idx]).transform(spaces[s]) for s in (a, b)}
           for c in (False, True)}
    plain, centred = rel[False], rel[True]
    counts = k_occurrence(plain[a], plain[b], K)
    hub = hub_summary(counts)
    hubs = np.argsort(-counts)[: max(1, len(counts) // 100)]
    return {
        f"mrr@{K}": cross_space_retrieval(plain[a], plain[b], K)[f"mrr@{K}"],
        f"mrr@{K} centred": cross_space_retrieval(centred[a], centred[b], K)[f"mrr@{K}"],
        f"mrr@{K} CSLS": csls_retrieval(plain[a], plain[b], K)[f"mrr@{K}"],
        "source anisotropy, absolute": anisotropy(spaces[a]),
        "target anisotropy, absolute": anisotropy(spaces[b]),
        "source anisotropy, relative": anisotropy(plain[a]),
        "target anisotropy, relative": anisotropy(plain[b]),
        "hub skewness": hub["skewness"],
        "top 1% hits share": hub["top1%_share"],
        "never retrieved": hub["anti_hubs"],
        "top 1% hits share, centred": hubness(centred[a], centred[b], K)["top1%_share"],
        "hub words median count": float(np.median(spaces["counts"][hubs])),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--anchors", type=int, default=300)
    p.add_argument("--epochs", type=int, nargs="+", default=[15, 50])
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    sents = corpus()
    rows = []
    for e in args.epochs:
        keyed = {kind: cached_keyed_vectors(kind, sents, seed=seed, epochs=e, cache_dir=CACHE)
                 for kind, seed in (("word2vec", 1), ("fasttext", 2))}
        spaces = aligned_spaces(keyed, sents)
        for a, b in (("word2vec", "fasttext"), ("fasttext", "word2vec")):
            ms = [_one(spaces, a, b, s, args.anchors) for s in range(args.seeds)]
            row = {"epochs": e, "pair": f"{NAMES[a]} → {NAMES[b]}"}
            for key in ms[0]:
                vals = [m[key] for m in ms]
                row[key] = f"{np.mean(vals):.3f} ± {np.std(vals):.3f}" if key.startswith("mrr") else \
                    round(float(np.mean(vals)), 3)
            row["search words median count"] = float(np.median(spaces["counts"]))
            rows.append(row)
            print(row, flush=True)
    params = {"seeds": args.seeds, "anchors": args.anchors, "k": K, "csls neighbours": 10,
              "word2vec seed": 1, "fasttext seed": 2}
    save_result("relate_words_asymmetry", rows, directory=HERE / "results", params=params)


if __name__ == "__main__":
    main()
