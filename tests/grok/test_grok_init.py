"""GrokTrainer's initial weights: the two seeded scales of W and starting from given weights."""

import math

import numpy as np
import pytest
import torch

from learnless.errors import ConfigError
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.model import GrokNet
from learnless.grok.trainer import GrokTrainer


@pytest.mark.parametrize("init_w,fan_in", [("uniform", 23), ("linear", 46)])
def test_w_starts_uniform_with_the_stated_bound(init_w, fan_in):
    net = GrokNet(23, 4000, generator=torch.Generator().manual_seed(0), init_w=init_w)
    w = net.W.detach()
    bound = 1 / math.sqrt(fan_in)
    assert w.abs().max() <= bound
    assert w.abs().max() > 0.999 * bound
    assert w.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.01)  # U(-b, b) has std b / sqrt 3


def test_linear_w_matches_nn_linear_default_scale():
    ref = torch.nn.Linear(2 * 23, 4000, bias=False).weight.detach()
    ours = GrokNet(23, 4000, generator=torch.Generator().manual_seed(0), init_w="linear").W.detach()
    assert ours.abs().max().item() == pytest.approx(ref.abs().max().item(), rel=1e-3)


def _one_hot_formulation(M, W0, V0, a, b, c, lr, wd, steps):
    """The same network written as nn.Linear layers on concatenated one-hot inputs, trained by Adam (L2
    decay) on the label-centred MSE in its expanded form ||o~||^2 - 2 o~_c + 1 - 1/M: its per-step losses."""
    W = torch.nn.Linear(2 * M, W0.shape[0], bias=False)
    V = torch.nn.Linear(W0.shape[0], M, bias=False)
    with torch.no_grad():
        W.weight.copy_(W0)
        V.weight.copy_(V0)
    x = torch.cat([torch.eye(M)[a], torch.eye(M)[b]], dim=1)
    opt = torch.optim.Adam([W.weight, V.weight], lr=lr, weight_decay=wd)
    losses = []
    for _ in range(steps):
        o = V(W(x).pow(2))
        oc = o - o.mean(dim=1, keepdim=True)
        loss = oc.pow(2).sum(1).mean() - 2 * oc.gather(1, c[:, None]).mean() + 1 - 1 / M
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return losses


def test_given_initial_weights_reproduce_the_one_hot_formulation_step_by_step():
    g = parse_group("Z13")
    split = split_pairs(g, 0.5, seed=1)
    gen = torch.Generator().manual_seed(5)
    W0 = (torch.rand(40, 26, generator=gen) * 2 - 1) / math.sqrt(26)
    V0 = (torch.rand(13, 40, generator=gen) * 2 - 1) / math.sqrt(40)
    tr = GrokTrainer(hidden=40, centring="label", lr=0.01, weight_decay=1e-3, epochs=60, eval_every=1)
    tr.fit(g, split, W_init=W0.numpy(), V_init=V0)
    a, b, c = (torch.as_tensor(x[split.train]) for x in g.pairs())
    ref = _one_hot_formulation(13, W0, V0, a, b, c, 0.01, 1e-3, 60)
    ours = tr.history_["train_loss"][:60]
    assert ours[0] == pytest.approx(ref[0], rel=1e-5)
    assert ours[-1] < 0.5 * ours[0]  # it trained
    np.testing.assert_allclose(ours, ref, rtol=1e-3)


def test_given_weights_override_the_seed():
    g = parse_group("Z7")
    split = split_pairs(g, 0.6, seed=0)
    W0 = np.full((8, 14), 0.1, dtype=np.float32)
    V0 = np.zeros((7, 8))
    runs = [GrokTrainer(hidden=8, epochs=3, seed=s, eval_every=1) for s in (0, 1)]
    for tr in runs:
        tr.fit(g, split, W_init=W0, V_init=V0)
    assert runs[0].history_["train_loss"] == runs[1].history_["train_loss"]


@pytest.mark.parametrize(
    "kw,needle",
    [
        ({"W_init": np.zeros((8, 7))}, "W_init: expected shape 8 x 14"),
        ({"V_init": np.zeros((8, 7))}, "V_init: expected shape 7 x 8"),
        ({"W_init": np.full((8, 14), np.nan)}, "W_init: holds non-finite"),
    ],
)
def test_bad_initial_weights_name_the_argument(kw, needle):
    g = parse_group("Z7")
    with pytest.raises(ConfigError, match=needle):
        GrokTrainer(hidden=8, epochs=2).fit(g, split_pairs(g, 0.5), **kw)


def test_unknown_w_init_is_a_config_error():
    with pytest.raises(ConfigError, match="init_w"):
        GrokTrainer(init_w="normal").validate()
