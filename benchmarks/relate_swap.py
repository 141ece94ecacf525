"""Swap an encoder, keep the index: an index embedded by encoder A searched with queries embedded by encoder
B through anchors (relative projection, or a translator fitted on the anchors), against the oracle that
re-embeds the index with B. Each query is a perturbed copy of one index item (its ground truth): an MNIST
image shifted by up to 2 pixels with Gaussian noise (sigma 0.1), or a sentence with a quarter of its tokens
dropped. recall@10 / MRR@10.

  mnist: the 2,000 held-out images; encoders: fc1 (128-d) of two seeds of mnist_cnn (see
         relate_layer_map.py); anchors: training images.
  text:  the 5,452 TREC training questions; MiniLM (all-MiniLM-L6-v2) vs mean GloVe 6B 50d, and mean
         Word2Vec vs mean FastText (skip-gram, 100-d, trained on MR + SST-2 + TREC with seeds 1 and 2);
         anchors: index items re-embedded by B.

    PYTHONPATH=src LEARNLESS_DATA=... nice -n 5 python benchmarks/relate_swap.py [--parts mnist,text]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from learnless.relate.swap import retrieval_scores, search, swap_search
from learnless.report import save_result

HERE = Path(__file__).parent
VIAS = ("relative", "orthogonal", "affine", "linear")


def score_pair(name: str, index_a, queries_b, index_b, anchors_a, anchors_b, k: int = 10) -> list[dict]:
    truth = np.arange(len(index_a))
    rows = []
    oracle = retrieval_scores(search(index_b, queries_b, k)[0], truth, k)
    if index_a.shape[1] == queries_b.shape[1]:
        none = retrieval_scores(search(index_a, queries_b, k)[0], truth, k)
        rows.append({"pair": name, "anchors": len(anchors_a), "via": "none (B queries on A's index)",
                     f"recall@{k}": none[f"recall@{k}"], f"MRR@{k}": none[f"mrr@{k}"],
                     "recall / oracle": none[f"recall@{k}"] / oracle[f"recall@{k}"]})
    for via in VIAS:
        top = swap_search(index_a, queries_b, anchors_a, anchors_b, via=via, top_n=k)[0]
        s = retrieval_scores(top, truth, k)
        rows.append({"pair": name, "anchors": len(anchors_a), "via": via, f"recall@{k}": s[f"recall@{k}"],
                     f"MRR@{k}": s[f"mrr@{k}"], "recall / oracle": s[f"recall@{k}"] / oracle[f"recall@{k}"]})
    rows.append({"pair": name, "anchors": len(anchors_a), "via": "oracle (index re-embedded by B)",
                 f"recall@{k}": oracle[f"recall@{k}"], f"MRR@{k}": oracle[f"mrr@{k}"],
                 "recall / oracle": 1.0})
    for r in rows:
        print(r, flush=True)
    return rows


def mnist_rows(anchor_counts, epochs: int) -> list[dict]:
    import torch
    from relate_layer_map import trained_weights

    from learnless.relate.models import mnist_cnn
    from learnless.relate.stitching import load_images

    xtr, _, xte, _ = load_images("mnist")
    rng = np.random.default_rng(0)
    shifted = np.stack([np.roll(im, tuple(rng.integers(-2, 3, 2)), axis=(1, 2)) for im in xte])
    queries = np.clip(shifted + 0.1 * rng.standard_normal(shifted.shape), 0, 1).astype(np.float32)
    order = rng.permutation(len(xtr))

    def encode(seed, x):
        m = mnist_cnn()
        m.load_state_dict(torch.load(trained_weights(seed, epochs), weights_only=True))
        m.eval()
        with torch.no_grad():
            return m[:4](torch.from_numpy(x)).numpy().astype(np.float64)  # conv1, conv2, flatten, fc1

    za = {"index": encode(0, xte), "anchors": encode(0, xtr[order])}
    zb = {"index": encode(1, xte), "queries": encode(1, queries), "anchors": encode(1, xtr[order])}
    rows = []
    for n in anchor_counts:
        rows += score_pair("MNIST CNN seed 0 -> seed 1 (fc1)", za["index"], zb["queries"], zb["index"],
                           za["anchors"][:n], zb["anchors"][:n])
    return rows


def drop_tokens(texts, known, rng, frac: float = 0.25) -> list[str]:
    """Each text with `frac` of its tokens dropped at random, keeping at least one token in `known`."""
    from learnless.relate.words import tokenize

    out = []
    for t in texts:
        toks = tokenize(t)
        keep = rng.random(len(toks)) >= frac
        if not any(k and w in known for k, w in zip(keep, toks)):
            keep = np.ones(len(toks), dtype=bool)
        out.append(" ".join(w for k, w in zip(keep, toks) if k))
    return out


def mean_vectors(texts, kv) -> np.ndarray:
    from learnless.relate.words import tokenize

    out = np.zeros((len(texts), kv.vector_size))
    for i, t in enumerate(texts):
        rows = [kv[w] for w in tokenize(t) if w in kv.key_to_index]
        if rows:
            out[i] = np.mean(rows, axis=0)
    return out


def text_rows(anchor_counts) -> list[dict]:
    from learnless.relate.sentences import encode_minilm, load_sentences, mean_glove
    from learnless.relate.words import corpus, glove, train_keyed_vectors

    texts = load_sentences("trec")[0]
    words, _ = glove()
    known = set(words)
    rng = np.random.default_rng(0)
    dropped = drop_tokens(texts, known, rng)
    order = rng.permutation(len(texts))
    rows = []
    minilm = {"index": encode_minilm(texts).astype(np.float64), "queries": encode_minilm(dropped)}
    glv = {"index": mean_glove(texts)[0].astype(np.float64), "queries": mean_glove(dropped)[0]}
    for n in anchor_counts:
        a = order[:n]
        rows += score_pair("text: MiniLM index, mean-GloVe queries", minilm["index"], glv["queries"],
                           glv["index"], minilm["index"][a], glv["index"][a])
        rows += score_pair("text: mean-GloVe index, MiniLM queries", glv["index"], minilm["queries"],
                           minilm["index"], glv["index"][a], minilm["index"][a])
    sents = corpus()
    w2v = train_keyed_vectors("word2vec", sents, seed=1)
    ft = train_keyed_vectors("fasttext", sents, seed=2)
    spaces = {}
    for name, kv in (("word2vec", w2v), ("fasttext", ft)):
        spaces[name] = {"index": mean_vectors(texts, kv), "queries": mean_vectors(dropped, kv)}
    ok = np.flatnonzero((np.linalg.norm(spaces["word2vec"]["index"], axis=1) > 0)
                        & (np.linalg.norm(spaces["fasttext"]["index"], axis=1) > 0)
                        & (np.linalg.norm(spaces["word2vec"]["queries"], axis=1) > 0)
                        & (np.linalg.norm(spaces["fasttext"]["queries"], axis=1) > 0))
    sub = {k: {kk: vv[ok] for kk, vv in v.items()} for k, v in spaces.items()}  # sentences with a vector
    order_ok = rng.permutation(len(ok))
    for n in anchor_counts:
        a = order_ok[:n]
        rows += score_pair("text: Word2Vec index, FastText queries", sub["word2vec"]["index"],
                           sub["fasttext"]["queries"], sub["fasttext"]["index"], sub["word2vec"]["index"][a],
                           sub["fasttext"]["index"][a])
    return rows


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--parts", default="mnist,text")
    p.add_argument("--anchors", type=int, nargs="+", default=[500, 1000])
    p.add_argument("--epochs", type=int, default=2)
    args = p.parse_args()
    summary = {"load average at start": [round(v, 2) for v in os.getloadavg()]}
    rows = []
    parts = args.parts.split(",")
    name = "relate_swap_" + "_".join(parts)
    if "mnist" in parts:
        rows += mnist_rows(args.anchors, args.epochs)
        save_result(name, rows, directory=HERE / "results", summary={**summary, "partial": True},
                    params=vars(args))
    if "text" in parts:
        rows += text_rows(args.anchors)
    for r in rows:
        if r["via"] in VIAS:
            key = f"{r['pair']}, {r['anchors']} anchors: best recall / oracle"
            summary[key] = max(summary.get(key, 0.0), round(r["recall / oracle"], 4))
    summary["load average at end"] = [round(v, 2) for v in os.getloadavg()]
    save_result(name, rows, directory=HERE / "results", summary=summary, params=vars(args))
    print(summary)


if __name__ == "__main__":
    main()
