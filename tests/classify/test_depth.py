"""Finding 2 of the paper on a small synthetic task: at a large transformation depth the plain MLP
collapses (model degradation: it cannot even fit its training nodes) while the residual one still trains."""

import numpy as np
import torch

from learnless.classify import DGMLP
from learnless.classify.models import ResidualMLP


def _fit(sbm, depth, residual, seed=0):
    return DGMLP(prop_depth=2, trans_depth=depth, residual=residual, hidden=32, epochs=100, seed=seed).fit(
        sbm
    )


def test_deep_residual_trains_where_the_plain_mlp_collapses(sbm):
    chance = 1 / 3
    shallow = _fit(sbm, 2, False).result_
    assert shallow.train_acc > 0.9  # the plain MLP itself is fine when shallow (test ~0.70)
    for seed in (0, 1):
        plain, res = _fit(sbm, 16, False, seed).result_, _fit(sbm, 16, True, seed).result_
        assert plain.train_acc < chance + 0.15, plain  # degraded: cannot even fit 60 training nodes
        assert plain.test_acc < chance + 0.1, plain
        assert res.train_acc > 0.9, res  # the residual stack of the same depth trains
        assert res.test_acc > shallow.test_acc - 0.05, (res, shallow)


def test_residual_stream_does_not_explode_at_initialisation():
    torch.manual_seed(0)
    x = torch.rand(200, 50)
    norms = []
    for depth in (4, 32):
        m = ResidualMLP(50, 64, 5, depth, residual=True).eval()
        with torch.no_grad():
            norms.append(float(m.embed(x).norm(dim=1).mean()))
    # unscaled branches grow the stream by ~25 % per block (x > 500 over 28 blocks); scaled: far less
    assert norms[1] / norms[0] < 30, norms


def test_dropout_leaves_the_skip_path_alone():
    """In training mode with dropout on the branch only, a block adds a non-negative σ(·) to h: no
    coordinate of the stream can be zeroed or rescaled by the mask."""
    torch.manual_seed(0)
    m = ResidualMLP(10, 16, 3, 6, residual=True, dropout=0.9, input_dropout=0.0).train()
    x = torch.rand(64, 10)
    h0 = torch.relu(m.layers[0](x))
    h = m.embed(x)
    assert torch.all(h >= h0 - 1e-6)
    assert np.isfinite(h.detach().numpy()).all()
