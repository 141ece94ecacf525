"""mlp-elastic on the MNIST test images: the explicit 8,000 / 2,000 split, training, latency."""

import numpy as np
import pytest

from learnless.errors import ConfigError
from learnless.search.supernets.mlp_elastic import MLPElastic
from tests.conftest import require_shared


def test_unknown_dataset_is_a_config_error():
    with pytest.raises(ConfigError, match="digits, mnist"):
        MLPElastic(dataset="cifar")


def test_mnist_split_training_and_latency():
    require_shared("mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz")
    net = MLPElastic(dataset="mnist", epochs=2, latency_repeats=5)
    Xtr, Xte, _, yte = net._data()
    assert Xtr.shape == (8000, 784) and Xte.shape == (2000, 784)
    assert np.bincount(yte, minlength=10).min() >= 150  # stratified: every digit held out
    assert not np.shares_memory(Xtr, Xte) and 0.0 <= Xtr.min() and Xtr.max() <= 1.0
    largest = {"depth": 3, "width_0": 64, "width_1": 64, "width_2": 64}
    m = net.evaluate(largest, ["accuracy", "latency@cpu"])
    assert m["accuracy"] > 80 and m["latency@cpu"] > 0 and m["latency_iqr"] >= 0
    assert m["params"] == 784 * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 10 + 10
    other = MLPElastic(dataset="mnist", seed=1)._data()[3]
    assert not np.array_equal(other, yte)  # the split is seeded
