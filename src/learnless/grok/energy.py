"""The Li2 energy of one hidden node, its closed-form maxima and gradient ascent on it.

With the top layer solved by ridge regression, V = (F^T F + eta I)^-1 F^T Y~, the loss's back-propagated
gradient is G_F = eta (F F^T + eta I)^-1 Y~ Y~^T F (F^T F + eta I)^-1 (envelope theorem on the ridge
objective).
For large eta (stage II: weight decay keeps V small) G_F ~ Y~ Y~^T F / eta, so the gradient of node j only
depends on its own activation f_j = sigma(X w_j):

    dw_j/dt  ~  X^T [sigma'(X w_j) o Y~ Y~^T sigma(X w_j)] / eta  =  grad E(w_j) / eta,
    E(w) = 1/2 || Y~^T sigma(X w) ||^2,  ||w|| = 1,

X the training inputs (N x 2M), Y~ = P Y the training labels centred along the *sample* dimension
(P = I - 11^T/N, the paper's Eq. 1; `centring="label"` is the reference code's onehot - 1/M instead, which
agrees with it only when every class has exactly N/M training pairs, i.e. on the full table).

Normalisation: the input rows are unit vectors, x = (e_a (+) e_b) / sqrt(2) (`input_norm="unit"`). With it the
closed forms of Thm 2 come out as the paper states them: for sigma = x^2, a real irrep of dimension d gives
E* = M / (8 d), a complex pair E* = M / (16 d) (M/16 for every frequency of Z_M with M odd). With raw one-hot
inputs (`input_norm="raw"`, what GrokNet sees) every energy is 4x larger for sigma = x^2.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import torch

from learnless.base import (
    Estimator,
    Integral,
    Interval,
    Real,
    StrOptions,
    positive,
    positive_int,
    seed_constraint,
)
from learnless.grok.features import analyse_features
from learnless.grok.groups import Group, Split
from learnless.grok.model import ACTIVATIONS

CENTRINGS = ("sample", "label")
INPUT_NORMS = ("unit", "raw")


def centred_labels(c: torch.Tensor, n: int, centring: str = "sample") -> torch.Tensor:
    """Y~ for labels c (N,): one-hot minus the per-class mean over the samples (paper), or minus 1/n
    (label)."""
    y = torch.nn.functional.one_hot(c, n).to(torch.float32)
    return y - (y.mean(0, keepdim=True) if centring == "sample" else 1.0 / n)


def training_tensors(group: Group, split: Split, centring: str = "sample"):
    """(a, b, Y~) on the training pairs."""
    a_all, b_all, c_all = (torch.as_tensor(x) for x in group.pairs())
    tr = torch.as_tensor(split.train)
    return a_all[tr], b_all[tr], centred_labels(c_all[tr], group.order, centring)


def _scale(input_norm: str) -> float:
    return 1 / math.sqrt(2) if input_norm == "unit" else 1.0


def energy_of(W: torch.Tensor, a, b, yt, n: int, act: str = "sqr", input_norm: str = "unit") -> torch.Tensor:
    """E(w) for every row of W (S x 2n), on tensors from `training_tensors` (differentiable)."""
    F = ACTIVATIONS[act]((W[:, a] + W[:, n + b]) * _scale(input_norm))  # S x N
    return 0.5 * (F @ yt).pow(2).sum(1)


def node_energy(
    group: Group, split: Split, W, act: str = "sqr", centring: str = "sample", input_norm: str = "unit"
) -> np.ndarray:
    """E(w) = 1/2 ||Y~^T sigma(X w)||^2 for every row w of W (S x 2n) on the training pairs (not normalised:
    pass unit rows for the energy on the sphere)."""
    a, b, yt = training_tensors(group, split, centring)
    W = torch.as_tensor(np.asarray(W), dtype=torch.float32)
    return energy_of(W, a, b, yt, group.order, act, input_norm).detach().numpy()


def closed_form_energy(group: Group, component_index: int, input_norm: str = "unit") -> float:
    """Thm 2's E* of a component for sigma = x^2 on the full table: M/(8 d) (real irrep) or M/(16 d)
    (complex pair), times 4 with raw inputs; 0 for the trivial component (it carries no label information)."""
    comp = group.components[component_index]
    if comp.rank == 1 and np.allclose(comp.character, comp.character[0]):
        return 0.0
    e = group.order / ((16 if comp.complex_pair else 8) * comp.dim)
    return e * (4.0 if input_norm == "raw" else 1.0)


def component_projector(group: Group, index: int) -> torch.Tensor:
    """Projector of R^{2M} on a component, on the a-half and on the b-half."""
    q = torch.as_tensor(group.components[index].basis, dtype=torch.float32)
    return torch.block_diag(q @ q.t(), q @ q.t())


def ascend(
    w: torch.Tensor,
    a,
    b,
    yt,
    n: int,
    act: str = "sqr",
    input_norm: str = "unit",
    lr: float = 0.02,
    max_steps: int = 5000,
    tol: float = 1e-5,
    proj: torch.Tensor | None = None,
):
    """Riemannian gradient ascent of E on the unit sphere from every row of w, each row until it converges.

    Step: w <- normalise(w + lr * g_t / E(w)), g_t the tangent gradient (dividing by E makes the step scale-
    free: E is homogeneous in w). Converged: ||g_t|| / E < tol (a critical point on the sphere, to tolerance).
    Returns (w, steps taken per row, converged per row). `proj` keeps the ascent inside a subspace. In float32
    ||g_t|| / E bottoms out near 2e-6, so tol should stay above that."""
    w = w / w.norm(dim=1, keepdim=True).clamp_min(1e-12)
    steps = torch.zeros(w.shape[0], dtype=torch.long)
    done = torch.zeros(w.shape[0], dtype=torch.bool)
    for _ in range(max_steps):
        live = ~done
        if not live.any():
            break
        wl = w[live].clone().requires_grad_(True)
        e = energy_of(wl, a, b, yt, n, act, input_norm)
        (g,) = torch.autograd.grad(e.sum(), wl)
        with torch.no_grad():
            g = g - (g * wl).sum(1, keepdim=True) * wl
            if proj is not None:
                g = g @ proj
            rel = g.norm(dim=1) / e.clamp_min(1e-12)
            conv = rel < tol
            new = wl + lr * g / e[:, None].clamp_min(1e-12)
            new = new / new.norm(dim=1, keepdim=True).clamp_min(1e-12)
            new[new.abs() < 1e-20] = 0.0  # denormal floats (left by the projection) slow CPU arithmetic 50x
            new[conv] = wl[conv]
            idx = live.nonzero().squeeze(1)
            w = w.clone()
            w[idx] = new
            steps[idx[~conv]] += 1
            done[idx[conv]] = True
    return w.detach(), steps, done


def riemannian_hessian(w: torch.Tensor, a, b, yt, n: int, act: str = "sqr", input_norm: str = "unit"):
    """Eigenvalues of the Hessian of E restricted to the sphere at a critical point w (one row), in the
    tangent space: P (H - (w . grad E) I) P on the 2M - 1 tangent directions. All <= 0 at a local maximum."""
    w = w.detach().reshape(-1).double()

    def f(x):
        return energy_of(x[None].float().double(), a, b, yt.double(), n, act, input_norm)[0]

    H = torch.autograd.functional.hessian(f, w)
    x = w.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x)
    dim = w.numel()
    P = torch.eye(dim, dtype=torch.float64) - torch.outer(w, w) / w.dot(w)
    R = P @ (H - w.dot(g.detach()) / w.dot(w) * torch.eye(dim, dtype=torch.float64)) @ P
    evals, evecs = torch.linalg.eigh(R)
    keep = (evecs.t() @ w).abs() < 0.5  # drop the radial direction (eigenvalue 0 by construction)
    return evals[keep].numpy()


class EnergyAscent(Estimator):
    """Gradient ascent of E on the unit sphere from `starts` random points, each until convergence.

    Learned: `W_` (the critical points reached, starts x 2M), `energy_` (their energies), `converged_`,
    `analysis_` (their spectra, see features.analyse_features). With within_components: (a) the maximum of E
    inside each irreducible component alone (`component_energy_`, `component_W_`), and (b) the free ascent
    from that point (`component_stability_`: the share of the weight energy still on the component at
    convergence; 1 when the component's maximum is a local maximum of E on the whole sphere)."""

    _parameter_constraints: ClassVar[dict] = {
        "act": [StrOptions(set(ACTIVATIONS))],
        "centring": [StrOptions(set(CENTRINGS))],
        "input_norm": [StrOptions(set(INPUT_NORMS))],
        "starts": [positive_int],
        "max_steps": [positive_int],
        "tol": [positive],
        "lr": [Interval(Real, 0, 1, closed="right")],
        "seed": [seed_constraint],
        "within_components": ["boolean"],
        "starts_per_component": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        act: str = "sqr",
        centring: str = "sample",
        input_norm: str = "unit",
        starts: int = 64,
        max_steps: int = 5000,
        tol: float = 1e-5,
        lr: float = 0.02,
        seed: int = 0,
        within_components: bool = True,
        starts_per_component: int = 2,
    ):
        self.act = act
        self.centring = centring
        self.input_norm = input_norm
        self.starts = starts
        self.max_steps = max_steps
        self.tol = tol
        self.lr = lr
        self.seed = seed
        self.within_components = within_components
        self.starts_per_component = starts_per_component

    def memory_bytes(self, group: Group, split: Split) -> int:
        """Every start's w (2M), its Adam state, and sigma(X w) over the training pairs, per start."""
        m = int(group.order)
        starts = int(self.starts) + int(self.starts_per_component) * m * bool(self.within_components)
        n = len(split.train)
        return 4 * (starts * 2 * m * 4 + 3 * n * starts + n * 2 * m)

    def fit(self, group: Group, split: Split) -> EnergyAscent:
        self.validate()
        old = torch.get_num_threads()
        torch.set_num_threads(1)  # tiny steps: a second thread only adds contention
        try:
            return self._fit(group, split)
        finally:
            torch.set_num_threads(old)

    def _tensors(self):
        return training_tensors(self.group_, self.split_, self.centring)

    def _fit(self, group: Group, split: Split) -> EnergyAscent:
        self.group_, self.split_ = group, split
        a, b, yt = self._tensors()
        n = group.order
        kw = {
            "act": self.act,
            "input_norm": self.input_norm,
            "lr": self.lr,
            "max_steps": self.max_steps,
            "tol": self.tol,
        }
        gen = torch.Generator().manual_seed(int(self.seed))
        W, _, conv = ascend(torch.randn(self.starts, 2 * n, generator=gen), a, b, yt, n, **kw)
        self.W_ = W.numpy()
        self.converged_ = conv.numpy()
        self.energy_ = energy_of(W, a, b, yt, n, self.act, self.input_norm).numpy()
        self.analysis_ = analyse_features(group, self.W_)
        if self.within_components:
            labels, best, stable, comp_w = [], [], [], []
            for i, comp in enumerate(group.components):
                proj = component_projector(group, i)
                w0 = torch.randn(self.starts_per_component, 2 * n, generator=gen) @ proj
                w, _, _ = ascend(w0, a, b, yt, n, proj=proj, **kw)
                e = energy_of(w, a, b, yt, n, self.act, self.input_norm)
                top = w[int(e.argmax())][None]
                free, _, _ = ascend(top, a, b, yt, n, **kw)
                labels.append(comp.label)
                best.append(float(e.max()))
                comp_w.append(top[0].numpy())
                stable.append(float((free @ proj).pow(2).sum() / free.pow(2).sum()))
            self.component_labels_ = labels
            self.component_energy_ = np.array(best)
            self.component_stability_ = np.array(stable)
            self.component_W_ = np.stack(comp_w)
        return self

    def score(self, W) -> np.ndarray:
        """E of each row of W (normalised to the unit sphere first) on the fitted training pairs."""
        self._check_fitted("W_")
        W = np.asarray(W, dtype=np.float32)
        W = W / np.linalg.norm(W, axis=1, keepdims=True).clip(1e-12)
        return node_energy(self.group_, self.split_, W, self.act, self.centring, self.input_norm)


def match_with_maxima(group: Group, split: Split, W_trained, ascent: EnergyAscent) -> dict:
    """How the features a trained model learned compare with the energy maxima: the share of its concentrated
    nodes whose component is one the maxima land on, and each node's energy (on the unit sphere) relative to
    the median energy of the maxima."""
    W_trained = np.asarray(W_trained, dtype=np.float32)
    learned = analyse_features(group, W_trained)
    max_labels = set(ascent.analysis_["emerged"])
    conc = (learned["top_share"] >= learned["threshold"]) & learned["active"]
    tops = np.array(learned["top_component"])
    in_maxima = float(np.mean([t in max_labels for t in tops[conc]])) if conc.any() else 0.0
    rel = ascent.score(W_trained[learned["active"]]) / float(np.median(ascent.energy_))
    return {
        "learned_in_maxima_frac": in_maxima,
        "maxima_components": sorted(max_labels),
        "node_energy_rel_median": float(np.median(rel)),
        "learned": learned,
    }
