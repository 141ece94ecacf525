"""Word-embedding spaces compared absolute vs relative (the paper's first table), offline: Word2Vec and
FastText (gensim, skip-gram, 100-d, window 5, min_count 5; Word2Vec seed 1, FastText seed 2) on MR + SST-2 +
TREC, and GloVe 6B 50d, on their shared vocabulary; the paper's word list (skip the 400 most frequent words,
keep alphabetic words of >= 4 letters), 300 uniformly sampled anchor words (the same words in every space),
one anchor draw per seed; Jaccard@5, MRR@5 and cosine as lucmos/relreps computes them, plus the untruncated
MRR, each beside its shuffled-correspondence null. The headline table uses the first `--epochs` value (50:
both local spaces converged); then how the agreement depends on word frequency (the top-n search words,
anchors drawn among them), on training epochs (every value given), and on the number of anchors; and
`relate_words_targets`, each pair against the targets (relative MRR@5 >= 0.3, relative cosine >= 0.9,
absolute MRR@5 within 0.01 of its null).

    PYTHONPATH=src python benchmarks/relate_words.py [--seeds 5] [--anchors 300] [--epochs 50 15]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from learnless.relate.metrics import compare_spaces
from learnless.relate.plots import metric_curve
from learnless.relate.words import aligned_spaces, cached_keyed_vectors, corpus
from learnless.report import save_result

HERE = Path(__file__).parent
CACHE = Path("runs/relate/words")
PAIRS = (("word2vec", "fasttext"), ("fasttext", "word2vec"), ("word2vec", "glove"), ("glove", "word2vec"),
         ("fasttext", "glove"), ("glove", "fasttext"))
EPOCH_PAIRS = PAIRS[:3] + PAIRS[4:5]  # both local directions, each local space -> GloVe
K = 5  # the paper's k (evaluate_retrieval's default in quantitative_analysis.ipynb)
KEYS = (f"jaccard@{K}", f"mrr@{K}", "mrr", "cosine")
NAMES = {"word2vec": "Word2Vec", "fasttext": "FastText", "glove": "GloVe"}


def _fmt(vals) -> str:
    vals = np.asarray(vals, dtype=float)
    return "n/a (dims differ)" if np.isnan(vals).all() else f"{vals.mean():.3f} ± {vals.std():.3f}"


def _table(spaces, pairs, seeds, anchors, label, spaces_kind=("absolute", "relative")) -> tuple[list, list]:
    rows, per_seed = [], []
    for a, b in pairs:
        ms = [compare_spaces(spaces[a], spaces[b], n_anchors=anchors, k=K, seed=s) for s in range(seeds)]
        per_seed += [{"words": label, "pair": f"{NAMES[a]} → {NAMES[b]}", "seed": s, **m}
                     for s, m in enumerate(ms)]
        for space in spaces_kind:
            if np.isnan(ms[0][f"{space}.mrr"]):
                continue  # absolute retrieval across 100-d and 50-d spaces does not exist
            row = {"words": label, "pair": f"{NAMES[a]} → {NAMES[b]}", "space": space}
            for k in KEYS:
                row[k] = _fmt([m[f"{space}.{k}"] for m in ms])
                row[f"{k} null"] = f"{np.mean([m[f'{space}.{k}.null'] for m in ms]):.3f}"
            rows.append(row)
    return rows, per_seed


def _targets(per_seed: list[dict], epochs: int) -> list[dict]:
    """Each pair of the paper-list table against the targets, from the per-seed means."""
    out = []
    for pair in dict.fromkeys(r["pair"] for r in per_seed if r["words"] == "paper list"):
        ms = [r for r in per_seed if r["words"] == "paper list" and r["pair"] == pair]
        mean = {key: float(np.mean([m[key] for m in ms])) for key in ms[0]
                if key.startswith(("absolute", "relative"))}
        mrr, cos = mean[f"relative.mrr@{K}"], mean["relative.cosine"]
        row = {"epochs": epochs, "pair": pair,
               f"relative mrr@{K}": mrr, f"relative mrr@{K} >= 0.3": bool(mrr >= 0.3),
               "relative cosine": cos, "relative cosine >= 0.9": bool(cos >= 0.9),
               "relative cosine null": mean["relative.cosine.null"]}
        if np.isnan(mean[f"absolute.mrr@{K}"]):
            row.update({f"absolute mrr@{K}": None, f"absolute mrr@{K} null": None, "absolute at null": None})
        else:
            gap = mean[f"absolute.mrr@{K}"] - mean[f"absolute.mrr@{K}.null"]
            row.update({f"absolute mrr@{K}": mean[f"absolute.mrr@{K}"],
                        f"absolute mrr@{K} null": mean[f"absolute.mrr@{K}.null"],
                        "absolute at null": bool(abs(gap) <= 0.01)})
        out.append(row)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--anchors", type=int, default=300)
    p.add_argument("--epochs", type=int, nargs="+", default=[50, 15],
                   help="the first is the main configuration; the others only enter the epochs table")
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    sents = corpus()
    start = time.perf_counter()
    keyed = {e: {kind: cached_keyed_vectors(kind, sents, seed=seed, epochs=e, cache_dir=CACHE)
                 for kind, seed in (("word2vec", 1), ("fasttext", 2))} for e in args.epochs}
    trained = time.perf_counter() - start
    main_epochs = args.epochs[0]
    spaces = aligned_spaces(keyed[main_epochs], sents)
    table, per_seed = _table(spaces, PAIRS, args.seeds, args.anchors, "paper list")
    # the same spaces on every shared word (stop words and short words included), the earlier protocol
    everything = aligned_spaces(keyed[main_epochs], sents, paper_filter=False)
    t2, s2 = _table(everything, PAIRS[::2], args.seeds, args.anchors, "all shared words")
    table += t2
    per_seed += s2
    # frequency: the top-n search words (anchors drawn among them)
    freq = []
    sizes = [n for n in (1000, 2000, 4000) if n < len(spaces["words"])] + [len(spaces["words"])]
    for n in sizes:
        top = {k: v[:n] for k, v in spaces.items() if k in NAMES}
        rows, _ = _table(top, PAIRS[::2], args.seeds, args.anchors, f"top {n}", ("relative",))
        for r in rows:
            r["min count"] = int(spaces["counts"][n - 1])
        freq += rows
    # epochs (same seeds, same word list restricted to words every configuration has)
    epochs_rows = []
    for e in args.epochs:
        sp = aligned_spaces(keyed[e], sents)
        for n in (1000, len(sp["words"])):
            top = {k: v[:n] for k, v in sp.items() if k in NAMES}
            rows, _ = _table(top, EPOCH_PAIRS, args.seeds, args.anchors, f"top {n}", ("relative",))
            epochs_rows += [{"epochs": e, **r} for r in rows]
    targets = _targets(per_seed, main_epochs)
    curve = []
    for n_anchors in (10, 30, 100, 300, 1000):
        for s in range(3):
            m = compare_spaces(spaces["word2vec"], spaces["fasttext"], n_anchors=n_anchors, k=K, seed=s,
                               null=False)
            rel = {f"relative.{k}": m[f"relative.{k}"] for k in KEYS}
            curve.append({"anchors": n_anchors, "seed": s, **rel})
    metric_curve(curve, "anchors", [f"relative.{k}" for k in KEYS],
                 HERE.parent / "docs" / "img" / "relate_words_anchors.png",
                 "Word2Vec → FastText: relative metrics vs number of anchors (3 draws)")
    info = {"search words": len(spaces["words"]), "all shared words": len(everything["words"]),
            "tokens": sum(len(s) for s in sents), "sentences": len(sents),
            "min count of a search word": int(spaces["counts"].min()),
            "train_seconds (cache misses only)": round(trained, 1)}
    params = {"seeds": args.seeds, "anchors": args.anchors, "dim": 100, "epochs": args.epochs, "k": K,
              "min_count": 5, "word2vec seed": 1, "fasttext seed": 2}
    save_result("relate_words", table, directory=HERE / "results", summary=info, params=params)
    save_result("relate_words_frequency", freq, directory=HERE / "results", params=params)
    save_result("relate_words_epochs", epochs_rows, directory=HERE / "results", params=params)
    save_result("relate_words_targets", targets, directory=HERE / "results", params=params)
    save_result("relate_words_per_seed", per_seed, directory=HERE / "results")
    save_result("relate_words_anchors", curve, directory=HERE / "results")
    for r in table + freq + epochs_rows:
        print(r)
    print(info)


if __name__ == "__main__":
    main()
