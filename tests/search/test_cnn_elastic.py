"""cnn-elastic: the space's size, the sliced forward vs the built and exported module, the checksummed
weight cache (reused, rebuilt deterministically when corrupt), the metrics."""

import numpy as np
import pytest
import torch

from learnless.search import load_supernet, space_of
from learnless.search.export import load_subnetwork, save_subnetwork
from learnless.search.supernets import cnn_elastic as ce
from tests.conftest import require_shared


def test_space_has_over_a_million_distinct_subnetworks_and_masks_unused_blocks():
    net = load_supernet("cnn-elastic")
    sp = space_of(net)
    per_block = len(ce.KERNELS) * len(ce.EXPANDS)
    distinct = (len(ce.WIDTH_MULTS) * sum(per_block**d for d in ce.DEPTHS)) ** ce.STAGES
    assert distinct >= 1e6
    rng = np.random.default_rng(0)
    X = sp.sample(200, rng)
    generic = np.ones(X.shape, bool)
    for i, x in enumerate(X):
        for name in net.inactive(sp.to_config(x)):
            generic[i, sp.names.index(name)] = False
    assert (generic == ce.active_mask(X)).all()
    assert len({sp.key(x) for x in sp.sample(2000, rng)}) == 2000  # no collisions in a space this large


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_built_module_equals_the_sliced_shared_forward(seed):
    mods = ce._shared_modules(0).eval()
    with torch.no_grad():  # batch norms that are not the identity, so folding them is tested
        for name, m in mods.items():
            if name.startswith("n_"):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    config = ce.CNNElastic().random_config(np.random.default_rng(seed))
    stats = ce.calibrate(mods, torch.rand(64, 1, 28, 28), config)
    x = torch.rand(5, 1, 28, 28)
    with torch.no_grad():
        built = ce.build_module(mods, config, stats)(x)
        assert torch.allclose(built, ce.forward(mods, x, config, stats=stats), atol=1e-5, rtol=0)
        # calibrated statistics, not the batch's own: a batch of 5 normalises differently
        assert not torch.allclose(built, ce.forward(mods, x, config), atol=1e-3, rtol=0)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    require_shared("mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz")
    cache = tmp_path_factory.mktemp("weights")
    return ce.CNNElastic(epochs=1, train_rows=512, latency_repeats=3, cache_dir=cache).fit()


def test_weights_are_cached_with_a_checksum_and_rebuilt_identically(trained):
    path = trained.weights_path()
    assert trained.rebuilt and path.is_file() and path.with_suffix(".sha256").is_file()
    again = ce.CNNElastic(epochs=1, train_rows=512, cache_dir=trained.cache_dir).fit()
    assert not again.rebuilt
    first = {k: v.clone() for k, v in trained._state[0].state_dict().items()}
    path.write_bytes(path.read_bytes()[:-10] + b"corrupted!")  # checksum no longer holds
    rebuilt = ce.CNNElastic(epochs=1, train_rows=512, cache_dir=trained.cache_dir).fit()
    assert rebuilt.rebuilt
    for k, v in rebuilt._state[0].state_dict().items():
        assert torch.equal(v, first[k]), k  # seeded single-threaded training: the same weights


def test_export_and_metrics(trained, tmp_path):
    rng = np.random.default_rng(5)
    mods, X, y = trained._state
    for _ in range(2):
        config = trained.random_config(rng)
        module, meta = load_subnetwork(save_subnetwork(trained, config, tmp_path / "sub.pt2"))
        with torch.no_grad():
            shared = ce.forward(mods, X, config, stats=ce.calibrate(mods, trained._calibration, config))
        got = module(X)
        assert torch.allclose(got, shared, atol=1e-5, rtol=0)
        m = trained.evaluate(config, ["accuracy", "latency@cpu", "macs", "params"])
        assert float(100 * (got.argmax(1).numpy() == y).mean()) == pytest.approx(m["accuracy"], abs=1e-9)
        assert meta["input"]["shape"] == ["batch", 1, 28, 28]
        assert m["latency@cpu"] > 0 and m["macs"] > 0 and 0 < m["params"] < 0.1
    assert len(y) == ce.HELD_OUT
    from learnless.search.export import load_onnx

    session, _ = load_onnx(save_subnetwork(trained, config, tmp_path / "sub.onnx"))
    onnx_out = torch.from_numpy(session.run(None, {session.get_inputs()[0].name: X.numpy()})[0])
    assert torch.allclose(onnx_out, got, atol=1e-5, rtol=0)
    assert "macs" not in trained.evaluate(config, ["accuracy"])  # counted only when asked
