"""Could any method align the corpus-local word spaces with GloVe? A supervised upper bound beside the
zero-shot relative comparison, on the same held-out words.

The word spaces of `relate_words.py` (its cache, the paper's word list; Word2Vec / FastText 100-d, GloVe 6B
50d). Per split seed, half of the words (random) are known pairs, the other half is searched: a linear map
fitted on the known half (`lstsq`: affine least squares 100 -> 50 or 50 -> 100; `procrustes`: orthogonal
Procrustes after centring and a PCA of the 100-d space to 50 dimensions, fitted on the known half;
`kernel_ridge`: RBF kernel ridge regression, a nonlinear map),
versus the zero-shot relative representation (300 anchors drawn from the known half; plain as in the
paper, and centred on the anchors' mean). MRR@5 and the full-rank MRR of the held-out counterpart among
the held-out words of the target space, each beside its null (the map fitted on shuffled pairs; the
relative spaces with shuffled correspondence). Word2Vec <-> FastText under the same protocol is the
positive control.

    PYTHONPATH=src python benchmarks/relate_words_glove_bound.py [--seeds 5] [--epochs 50]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from learnless.relate.alignment import split_rows, supervised_bound
from learnless.relate.metrics import cross_space_retrieval
from learnless.relate.projection import RelativeProjection
from learnless.relate.words import aligned_spaces, cached_keyed_vectors, corpus
from learnless.report import save_result

HERE = Path(__file__).parent
CACHE = Path("runs/relate/words")
NAMES = {"word2vec": "Word2Vec", "fasttext": "FastText", "glove": "GloVe"}
PAIRS = (("word2vec", "glove"), ("glove", "word2vec"), ("fasttext", "glove"), ("glove", "fasttext"),
         ("word2vec", "fasttext"), ("fasttext", "word2vec"))
K = 5
METHODS = ("relative (paper)", "relative, centred", "supervised lstsq", "supervised procrustes",
           "supervised kernel_ridge")


def _relative(a, b, seed: int, anchors: int, center: bool) -> dict:
    train, test = split_rows(len(a), 0.5, seed)  # the split supervised_bound uses for this seed
    rng = np.random.default_rng(seed + 100)
    idx = np.sort(rng.choice(train, size=anchors, replace=False))
    ra = RelativeProjection(center=center).fit(a[idx]).transform(a[test])
    rb = RelativeProjection(center=center).fit(b[idx]).transform(b[test])
    out = {}
    for key, yy in (("", rb), (".null", rb[rng.permutation(len(rb))])):
        r = cross_space_retrieval(ra, yy, k=K)
        out.update({f"{name}{key}": v for name, v in r.items()})
    return out


def _measure(a, b, method: str, seed: int, anchors: int) -> dict:
    if method.startswith("supervised"):
        return supervised_bound(a, b, method.split()[-1], k=K, seed=seed)
    return _relative(a, b, seed, anchors, center=method.endswith("centred"))


def _fmt(vals) -> str:
    return f"{np.mean(vals):.3f} ± {np.std(vals):.3f}"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--anchors", type=int, default=300)
    p.add_argument("--epochs", type=int, default=50)
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    sents = corpus()
    keyed = {kind: cached_keyed_vectors(kind, sents, seed=seed, epochs=args.epochs, cache_dir=CACHE)
             for kind, seed in (("word2vec", 1), ("fasttext", 2))}
    spaces = aligned_spaces(keyed, sents)
    n_all = len(spaces["words"])
    rows, per_seed = [], []
    for label, n in (("paper list", n_all), ("top 1000", 1000)):
        for a, b in PAIRS:
            # one row per word list and pair: MRR@5 of every method beside its null
            row = {"words": label, "pair": f"{NAMES[a]} → {NAMES[b]}",
                   "held-out words": len(split_rows(n, 0.5, 0)[1])}
            for method in METHODS:
                ms = [_measure(spaces[a][:n], spaces[b][:n], method, s, args.anchors)
                      for s in range(args.seeds)]
                row[f"{method} mrr@{K}"] = _fmt([m[f"mrr@{K}"] for m in ms])
                row[f"{method} null"] = f"{np.mean([m[f'mrr@{K}.null'] for m in ms]):.3f}"
                per_seed += [{"words": label, "pair": row["pair"], "method": method, "seed": s, **m}
                             for s, m in enumerate(ms)]
            rows.append(row)
            print(row, flush=True)
    params = {"seeds": args.seeds, "anchors": args.anchors, "epochs": args.epochs, "k": K,
              "known fraction": 0.5, "procrustes": "centred, the 100-d space reduced to 50 by PCA",
              "kernel_ridge": "RBF, alpha 0.1, gamma 1, unit rows"}
    save_result("relate_words_glove_bound", rows, directory=HERE / "results", params=params,
                summary={"search words": n_all})
    save_result("relate_words_glove_bound_per_seed", per_seed, directory=HERE / "results", params=params)


if __name__ == "__main__":
    main()
