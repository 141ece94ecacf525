import numpy as np
import pytest
import torch

from learnless.classify import APPNP, GCN, GCNII, MLP, S2GC, SGC, SIGN, ResMLP, random_split, row_normalize
from learnless.classify.models import ResidualMLP
from learnless.errors import ConfigError


@pytest.mark.parametrize("model, floor", [
    (SGC(epochs=60), 0.9), (S2GC(prop_depth=8, epochs=60), 0.9), (SIGN(prop_depth=2, epochs=60), 0.85),
    (GCN(epochs=60), 0.9), (APPNP(K=5, epochs=60), 0.9), (GCNII(layers=4, hidden=32, epochs=60), 0.85),
    (GCN(layers=3, hidden=32, hops_per_layer=2, epochs=60), 0.85),
    (MLP(epochs=60), 0.4), (ResMLP(epochs=60), 0.4),
])
def test_baselines_learn(sbm, model, floor):
    r = model.fit(sbm).result_
    assert r.test_acc > floor
    assert model.embed(sbm).shape[0] == sbm.num_nodes


def test_graph_models_beat_the_mlp(sbm):
    mlp = MLP(epochs=60).fit(sbm).result_.test_acc
    assert SGC(epochs=60).fit(sbm).result_.test_acc > mlp + 0.2


def test_residual_mlp_skip_connection():
    torch.manual_seed(0)
    m = ResidualMLP(4, 8, 2, depth=4, residual=True, dropout=0.0)
    for layer in m.layers[1:-1]:
        torch.nn.init.zeros_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    x = torch.randn(5, 4)
    first = torch.relu(m.layers[0](x))
    torch.testing.assert_close(m.eval().embed(x), first)  # zero hidden layers: identity through the skips
    m.residual = False
    assert torch.count_nonzero(m.embed(x)) == 0


def test_bad_baseline_arguments(sbm):
    with pytest.raises(ConfigError, match="prop_depth"):
        SGC(prop_depth=-1).fit(sbm)
    with pytest.raises(ConfigError, match="layers"):
        GCN(layers=0).fit(sbm)
    with pytest.raises(ConfigError, match="depth"):
        MLP(depth=0).fit(sbm)


def test_random_split_and_row_normalize(sbm):
    g = random_split(sbm, seed=3, train_per_class=5, n_val=50, n_test=100)
    assert g.train_mask.sum() == 15 and g.val_mask.sum() == 50 and g.test_mask.sum() == 100
    assert not (g.train_mask & g.val_mask).any() and not (g.val_mask & g.test_mask).any()
    assert np.array_equal(random_split(sbm, seed=3, train_per_class=5, n_val=50, n_test=100).train_mask,
                          g.train_mask)
    n = row_normalize(sbm)
    np.testing.assert_allclose(np.abs(n.x).sum(1), 1.0, rtol=1e-5)
