import numpy as np
import pytest
import torch

from learnless.errors import NotFittedError
from learnless.grok.energy import (
    EnergyAscent,
    centred_labels,
    closed_form_energy,
    node_energy,
    riemannian_hessian,
    training_tensors,
)
from learnless.grok.groups import Split, parse_group, split_pairs
from learnless.grok.landscape import full_table_maxima
from learnless.grok.model import GrokNet, loss_fn, ridge_top_layer


def full_table(g):
    return Split(train=np.arange(g.order ** 2), test=np.arange(0))


def test_ridge_gradient_is_energy_gradient_for_large_eta():
    """With V solved by ridge and eta large, -dL/dw_j (times eta) equals grad E(w_j): the Li2 stage-II claim,
    for both centrings, with the raw one-hot inputs the network sees."""
    g = parse_group("Z7")
    split = split_pairs(g, 0.6, seed=0)
    for centring in ("sample", "label"):
        a, b, yt = training_tensors(g, split, centring)
        net = GrokNet(7, 5, generator=torch.Generator().manual_seed(0))
        eta = 1e6
        F = net.hidden_features(a, b)
        with torch.no_grad():
            net.V.copy_(ridge_top_layer(F.detach(), yt, eta))
        loss = 0.5 * ((F @ net.V.t() - yt) ** 2).sum()
        loss.backward()
        grad_loss = -net.Wt.grad.t() * eta  # K x 2n
        W = net.W.detach().clone().requires_grad_(True)
        Fw = (W[:, a] + W[:, 7 + b]) ** 2
        (0.5 * (Fw @ yt).pow(2).sum()).backward()
        assert torch.allclose(grad_loss, W.grad, rtol=1e-3, atol=1e-5 * W.grad.abs().max())


def test_sample_centring_is_the_paper_projection_and_differs_from_label_centring_on_a_subset():
    g = parse_group("Z7")
    c = torch.as_tensor(g.pairs()[2])
    # the full table has n/M samples per class: both centrings agree
    assert torch.allclose(centred_labels(c, 7, "sample"), centred_labels(c, 7, "label"), atol=1e-6)
    sub = c[torch.as_tensor(split_pairs(g, 0.4, seed=0).train)]
    ys = centred_labels(sub, 7, "sample")
    y = torch.nn.functional.one_hot(sub, 7).float()
    P = torch.eye(len(sub)) - torch.ones(len(sub), len(sub)) / len(sub)
    assert torch.allclose(ys, P @ y, atol=1e-6)  # P = I - 11^T/N along the samples
    assert ys.sum(0).abs().max() < 1e-5
    assert not torch.allclose(ys, centred_labels(sub, 7, "label"), atol=1e-3)


def test_energy_matches_formula_and_mse_losses():
    g = parse_group("Z5")
    split = split_pairs(g, 0.5, seed=1)
    W = np.random.default_rng(0).standard_normal((3, 10))
    a, b, c = (x[split.train] for x in g.pairs())
    y = np.eye(5)[c]
    y = y - y.mean(0)
    for i in range(3):
        f = ((W[i, a] + W[i, 5 + b]) / np.sqrt(2)) ** 2
        assert node_energy(g, split, W)[i] == pytest.approx(0.5 * np.sum((y.T @ f) ** 2), rel=1e-4)
    assert node_energy(g, split, W, input_norm="raw") == pytest.approx(4 * node_energy(g, split, W), rel=1e-4)
    out = torch.randn(4, 5)
    cc = torch.tensor([0, 1, 2, 2])
    ref = ((out - out.mean(1, keepdim=True) - (torch.eye(5)[cc] - 0.2)) ** 2).sum(1).mean()
    assert torch.allclose(loss_fn(out, cc, "mse", "label"), ref)
    assert torch.allclose(loss_fn(out + 3.0, cc, "mse", "label"), ref)  # invariant to a constant shift
    yy = torch.eye(5)[cc]
    ref_s = ((out - out.mean(0) - (yy - yy.mean(0))) ** 2).sum(1).mean()
    assert torch.allclose(loss_fn(out, cc, "mse", "sample"), ref_s)
    shift = torch.randn(5)  # a per-class offset is free under sample centring
    assert torch.allclose(loss_fn(out + shift, cc, "mse", "sample"), ref_s, atol=1e-5)


@pytest.mark.parametrize("spec", ["Z7", "Z8", "Z2xZ3", "Z3xZ3"])
def test_abelian_closed_form_maxima(spec):
    """Thm 2 / Cor. 2, sigma = x^2: w* = [u; +-P u], u in one component, P the inverse operator
    ((Pu)(g) = u(g^-1)), has E* = M/16 for a complex pair (every frequency of Z_M, M odd) and M/8 for a real
    one (k = M/2 of Z_M, M even), in the unit-input normalisation."""
    g = parse_group(spec)
    rng = np.random.default_rng(0)
    for i, comp in enumerate(g.components):
        u = comp.basis @ rng.standard_normal(comp.rank)
        u /= np.linalg.norm(u) * np.sqrt(2)
        W = np.stack([np.r_[u, u[g.inverse]], np.r_[u, -u[g.inverse]]])
        expected = closed_form_energy(g, i)
        if i:
            assert expected == g.order / (16 if comp.complex_pair else 8)
        assert node_energy(g, full_table(g), W) == pytest.approx([expected] * 2, abs=1e-5)
    if spec == "Z8":
        assert [closed_form_energy(g, i) for i in range(5)] == [0, 0.5, 0.5, 0.5, 1.0]


@pytest.mark.parametrize("spec", ["Z7", "Z8", "Z2xZ3", "S3", "D4", "D5", "S4"])
def test_maxima_on_the_full_table_match_the_closed_form_and_are_local_maxima(spec):
    """Climbing inside each component on the full table reaches Thm 2's E* = M/(8d) or M/(16d) (non-abelian
    groups included); the point is a local maximum on the whole sphere (every tangent Hessian eigenvalue
    <= 0), and, Cor. 1, flat — a zero eigenvalue — whenever the maxima form a continuum (a complex pair, or
    an irrep of dimension >= 2); the real 1-dimensional ones are strict."""
    g = parse_group(spec)
    full = full_table(g)
    a, b, yt = training_tensors(g, full)
    for i, w in full_table_maxima(g).items():
        comp = g.components[i]
        assert node_energy(g, full, w[None].numpy())[0] == pytest.approx(closed_form_energy(g, i), rel=1e-4)
        ev = riemannian_hessian(w, a, b, yt, g.order)
        assert ev.max() < 1e-4 * abs(ev.min())
        if comp.complex_pair or comp.dim >= 2:
            assert abs(ev.max()) < 1e-4 * abs(ev.min())
        else:
            assert ev.max() < -0.1 * abs(ev.min())


def test_random_starts_end_on_single_components_on_the_full_table():
    g = parse_group("Z11")
    asc = EnergyAscent(starts=6, max_steps=3000, starts_per_component=1).fit(g, full_table(g))
    assert asc.converged_.all()
    assert asc.analysis_["concentrated_frac"] == 1.0
    assert "k=0" not in asc.analysis_["emerged"]
    assert np.allclose(asc.energy_, 11 / 16, rtol=1e-3)
    assert (asc.component_stability_[1:] >= 0.99).all()
    rnd = np.random.default_rng(1).standard_normal((6, 22))
    assert np.median(asc.energy_) > 5 * np.median(asc.score(rnd))


def test_score_needs_fit():
    with pytest.raises(NotFittedError):
        EnergyAscent().score(np.ones((1, 4)))
