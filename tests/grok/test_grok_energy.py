import numpy as np
import torch

from learnless.grok.energy import EnergyAscent, energy
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.model import GrokNet, centred_targets, loss_fn, ridge_top_layer


def test_ridge_gradient_is_energy_gradient_for_large_eta():
    """With V solved by ridge and eta large, -dL/dw_j (times eta) equals grad E(w_j): the Li2 stage-II claim."""
    g = parse_group("Z7")
    split = split_pairs(g, 0.6, seed=0)
    a_all, b_all, c_all = (torch.as_tensor(x) for x in g.pairs())
    tr = torch.as_tensor(split.train)
    a, b, c = a_all[tr], b_all[tr], c_all[tr]
    yt = centred_targets(c, 7)
    net = GrokNet(7, 5, generator=torch.Generator().manual_seed(0))
    eta = 1e6
    F = net.hidden_features(a, b)
    with torch.no_grad():
        net.V.copy_(ridge_top_layer(F.detach(), yt, eta))
    # half the summed squared error is the loss whose F-gradient the derivation uses
    loss = 0.5 * ((F @ net.V.t() - yt) ** 2).sum()
    loss.backward()
    grad_loss = -net.Wt.grad.t() * eta  # K x 2n
    W = net.W.detach().clone().requires_grad_(True)
    Fw = (W[:, a] + W[:, 7 + b]) ** 2
    (0.5 * (Fw @ yt).pow(2).sum()).backward()
    assert torch.allclose(grad_loss, W.grad, rtol=1e-3, atol=1e-5 * W.grad.abs().max())


def test_energy_matches_formula_and_mse_loss_is_centred():
    g = parse_group("Z5")
    split = split_pairs(g, 0.5, seed=1)
    W = np.random.default_rng(0).standard_normal((3, 10))
    a, b, c = (x[split.train] for x in g.pairs())
    y = np.eye(5)[c] - 0.2
    for i in range(3):
        f = (W[i, a] + W[i, 5 + b]) ** 2
        assert energy(g, split, W)[i] == np.float32(0.5 * np.sum((y.T @ f) ** 2)) or \
            abs(energy(g, split, W)[i] - 0.5 * np.sum((y.T @ f) ** 2)) < 1e-3 * abs(0.5 * np.sum((y.T @ f) ** 2))
    out = torch.randn(4, 5)
    cc = torch.tensor([0, 1, 2, 3])
    ref = ((out - out.mean(1, keepdim=True) - (torch.eye(5)[cc] - 0.2)) ** 2).sum(1).mean()
    assert torch.allclose(loss_fn(out, cc, "mse"), ref)
    assert torch.allclose(loss_fn(out + 3.0, cc, "mse"), ref)  # invariant to a constant shift of the logits


def test_energy_maxima_are_single_frequencies_with_enough_data_only():
    g = parse_group("Z11")
    full = split_pairs(g, n_train=120, seed=0)  # 120 of 121 pairs
    asc = EnergyAscent(starts=6, steps=400, starts_per_component=1).fit(g, full)
    assert asc.analysis_["concentrated_frac"] == 1.0  # random starts end on pure frequencies
    assert "k=0" not in asc.analysis_["emerged"]  # the constant direction carries no label information
    assert (asc.component_stability_[1:] >= 0.9).all()  # every frequency is a local maximum
    assert asc.component_energy_[0] < 0.1 * asc.component_energy_[1:].min()
    rnd = np.random.default_rng(1).standard_normal((6, 22))
    rnd /= np.linalg.norm(rnd, axis=1, keepdims=True)
    assert np.median(asc.energy_) > 5 * np.median(energy(g, full, rnd))
    few = split_pairs(g, n_train=40, seed=0)  # too few pairs: the ascent leaves the frequencies
    asc = EnergyAscent(starts=6, steps=400, starts_per_component=1).fit(g, few)
    assert asc.analysis_["concentrated_frac"] < 0.5
    assert np.median(asc.component_stability_[1:]) < 0.9
