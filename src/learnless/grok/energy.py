"""The Li2 energy of one hidden node and gradient ascent on it.

With the top layer solved by ridge regression, V = (F^T F + eta I)^-1 F^T Y~, the loss's back-propagated
gradient is G_F = eta (F F^T + eta I)^-1 Y~ Y~^T F (F^T F + eta I)^-1 (envelope theorem on the ridge objective).
For large eta (stage II: weight decay keeps V small) G_F ~ Y~ Y~^T F / eta, so the gradient of node j only
depends on its own activation f_j = sigma(X w_j):

    dw_j/dt  ~  X^T [sigma'(X w_j) o Y~ Y~^T sigma(X w_j)] / eta  =  grad E(w_j) / eta,
    E(w) = 1/2 || Y~^T sigma(X w) ||^2,

X the one-hot training inputs (N x 2n), Y~ the centred one-hot training labels (N x n). Each node thus
climbs E independently, and the local maxima of E (on the unit sphere: E is not bounded otherwise) are the
features that emerge. `tests/grok/test_energy.py` checks this limit numerically against autograd.
"""

from __future__ import annotations

import numpy as np
import torch

from learnless.errors import ConfigError
from learnless.grok.features import analyse_features
from learnless.grok.groups import Group, Split
from learnless.grok.model import ACTIVATIONS, centred_targets, check_activation


def _training_tensors(group: Group, split: Split):
    a_all, b_all, c_all = (torch.as_tensor(x) for x in group.pairs())
    tr = torch.as_tensor(split.train)
    return a_all[tr], b_all[tr], centred_targets(c_all[tr], group.order)


def energy(group: Group, split: Split, W, act: str = "sqr") -> np.ndarray:
    """E(w) for every row w of W (S x 2n): 1/2 ||Y~^T sigma(X w)||^2 on the training pairs."""
    a, b, yt = _training_tensors(group, split)
    W = torch.as_tensor(np.asarray(W), dtype=torch.float32)
    return _energy(W, a, b, yt, group.order, act).detach().numpy()


def _energy(W, a, b, yt, n, act):
    F = ACTIVATIONS[act](W[:, a] + W[:, n + b])  # S x N
    return 0.5 * (F @ yt).pow(2).sum(1)


class EnergyAscent:
    """Riemannian gradient ascent of E on the unit sphere (step lr * tangent gradient / E, then renormalise)
    from `starts` random points. Learned: `W_` (the maxima reached, starts x 2n), `energy_` (their energies),
    `analysis_` (their spectra, see features.analyse_features).

    within_components: also (a) climb E inside each irreducible component alone (`component_energy_`: the best
    energy each frequency / irrep reaches) and (b) climb freely from a point inside each component
    (`component_stability_`: the share of the weight energy still on that component at the end; near 1 when
    that feature is a local maximum of E, near 1/#components when the ascent leaves it).
    """

    def __init__(self, act: str = "sqr", starts: int = 64, steps: int = 1000, lr: float = 0.01, seed: int = 0,
                 within_components: bool = True, starts_per_component: int = 2):
        self.act = act
        self.starts = starts
        self.steps = steps
        self.lr = lr
        self.seed = seed
        self.within_components = within_components
        self.starts_per_component = starts_per_component

    def fit(self, group: Group, split: Split) -> EnergyAscent:
        old = torch.get_num_threads()
        torch.set_num_threads(1)  # tiny steps: a second thread only adds contention
        try:
            return self._fit(group, split)
        finally:
            torch.set_num_threads(old)

    def _fit(self, group: Group, split: Split) -> EnergyAscent:
        check_activation(self.act)
        for name in ("starts", "steps", "starts_per_component"):
            v = getattr(self, name)
            if not isinstance(v, int) or v < 1:
                raise ConfigError(f"{name}: must be an integer >= 1, got {v!r}")
        a, b, yt = _training_tensors(group, split)
        n = group.order
        gen = torch.Generator().manual_seed(int(self.seed))
        W = self._ascend(torch.randn(self.starts, 2 * n, generator=gen), None, a, b, yt, n)
        self.W_ = W.numpy()
        self.energy_ = _energy(W, a, b, yt, n, self.act).numpy()
        self.analysis_ = analyse_features(group, self.W_)
        if self.within_components:
            labels, best, stable = [], [], []
            for comp in group.components:
                q = torch.as_tensor(comp.basis, dtype=torch.float32)
                proj = torch.block_diag(q @ q.t(), q @ q.t())  # the component on the a-half and on the b-half
                w0 = torch.randn(self.starts_per_component, 2 * n, generator=gen) @ proj
                w = self._ascend(w0, proj, a, b, yt, n)
                labels.append(comp.label)
                best.append(float(_energy(w, a, b, yt, n, self.act).max()))
                free = self._ascend(w, None, a, b, yt, n)
                stable.append(float(((free @ proj).pow(2).sum(1) / free.pow(2).sum(1)).mean()))
            self.component_labels_ = labels
            self.component_energy_ = np.array(best)
            self.component_stability_ = np.array(stable)
        return self

    def _ascend(self, w, proj, a, b, yt, n):
        w = w / w.norm(dim=1, keepdim=True).clamp_min(1e-12)
        for _ in range(self.steps):
            w.requires_grad_(True)
            e = _energy(w, a, b, yt, n, self.act)
            (g,) = torch.autograd.grad(e.sum(), w)
            with torch.no_grad():
                g = g - (g * w).sum(1, keepdim=True) * w  # tangent to the sphere
                w = w + self.lr * g / e[:, None].clamp_min(1e-12)  # E-relative step: scale-free
                if proj is not None:
                    w = w @ proj
                w = w / w.norm(dim=1, keepdim=True).clamp_min(1e-12)
        return w.detach()


def match_with_maxima(group: Group, split: Split, W_trained, ascent: EnergyAscent, act: str = "sqr") -> dict:
    """How the features a trained model learned compare with the energy maxima: the share of its concentrated
    nodes whose component is one the maxima land on, and each node's energy (normalised to the unit sphere)
    relative to the median energy of the maxima."""
    W_trained = np.asarray(W_trained, dtype=np.float32)
    learned = analyse_features(group, W_trained)
    max_labels = set(ascent.analysis_["emerged"])
    conc = (learned["top_share"] >= learned["threshold"]) & learned["active"]
    tops = np.array(learned["top_component"])
    in_maxima = float(np.mean([t in max_labels for t in tops[conc]])) if conc.any() else 0.0
    unit = W_trained / np.linalg.norm(W_trained, axis=1, keepdims=True).clip(1e-12)
    rel = energy(group, split, unit[learned["active"]], act) / float(np.median(ascent.energy_))
    return {"learned_in_maxima_frac": in_maxima, "maxima_components": sorted(max_labels),
            "node_energy_rel_median": float(np.median(rel)), "learned": learned}
