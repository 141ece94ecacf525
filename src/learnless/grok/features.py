"""Feature analysis: how each hidden node's weights spread over the group's irreducible components.

A node's weights are two functions on G, u (acting on a) and v (acting on b). Its energy on component rho is
(||P_rho u||^2 + ||P_rho v||^2) / (||u||^2 + ||v||^2); for Z_M the components are the frequencies k = 0..M//2
(so this is the Fourier power spectrum), for a non-abelian group the isotypic components of its irreps.
"""

from __future__ import annotations

import numpy as np
import torch

from learnless.grok.groups import Group


def component_energy(W: torch.Tensor, bases: list[torch.Tensor]) -> torch.Tensor:
    """Share of each node's weight energy on each component: K x n_components (rows sum to 1)."""
    n = W.shape[1] // 2
    u, v = W[:, :n], W[:, n:]
    parts = [(u @ q).pow(2).sum(1) + (v @ q).pow(2).sum(1) for q in bases]
    e = torch.stack(parts, dim=1)
    return e / e.sum(1, keepdim=True).clamp_min(1e-30)


def spectrum(group: Group, W) -> np.ndarray:
    bases = [torch.as_tensor(c.basis, dtype=torch.float32) for c in group.components]
    return component_energy(torch.as_tensor(np.asarray(W), dtype=torch.float32), bases).numpy()


ACTIVE_REL_NORM = 1e-2


def active_nodes(W) -> np.ndarray:
    """Nodes whose weight norm is at least 1 % of the largest: weight decay drives the others to ~0, where
    their "spectrum" is only rounding noise."""
    norms = np.linalg.norm(np.asarray(W, dtype=np.float64), axis=1)
    return norms >= ACTIVE_REL_NORM * max(norms.max(), 1e-30)


def analyse_features(group: Group, W, threshold: float = 0.9) -> dict:
    """Per-node spectra and the summary figures: share of (active) nodes concentrated on one component, and
    which components emerged. `concentrated_frac` counts active nodes; `concentrated_frac_all` all of them."""
    share = spectrum(group, W)
    labels = [c.label for c in group.components]
    top = share.argmax(1)
    top_share = share.max(1)
    active = active_nodes(W)
    conc = (top_share >= threshold) & active
    counts = np.bincount(top[conc], minlength=len(labels))
    emerged = {labels[i]: int(counts[i]) for i in np.argsort(-counts) if counts[i] > 0}
    return {
        "spectrum": share, "labels": labels, "top_component": [labels[i] for i in top],
        "top_share": top_share,
        "concentrated_frac": float(conc.sum() / max(1, active.sum())),
        "concentrated_frac_all": float(conc.mean()),
        "active_nodes": int(active.sum()),
        "active": active,
        "mean_top_share": float(top_share[active].mean()) if active.any() else 0.0,
        "threshold": threshold,
        "emerged": emerged,
        "n_emerged": len(emerged),
    }


MEMO_SHARE = 0.5


def memorisation_share(W) -> np.ndarray:
    """Per node: the weight share on its largest a-coordinate plus its largest b-coordinate (1 for Thm 5's
    focused memorisation point w = (e_a, e_b)/sqrt(2); 2/M for a pure frequency of Z_M)."""
    w2 = np.asarray(W, dtype=np.float64) ** 2
    n = w2.shape[1] // 2
    return (w2[:, :n].max(1) + w2[:, n:].max(1)) / w2.sum(1).clip(1e-30)


def node_kinds(group: Group, W, threshold: float = 0.9, memo_share: float = MEMO_SHARE) -> dict:
    """Which active nodes are features (>= `threshold` of their weight energy on one irreducible component:
    one frequency for Z_M) and which are memorisation-like (>= `memo_share` of it on one a- and one
    b-coordinate, the landscape's criterion); the rest are mixed. Shares are over the active nodes."""
    an = analyse_features(group, W, threshold)
    active = an["active"]
    feature = (an["top_share"] >= threshold) & active
    memo = (memorisation_share(W) >= memo_share) & active & ~feature
    n_active = max(1, int(active.sum()))
    return {
        "active": active,
        "feature": feature,
        "memorisation": memo,
        "feature_frac": float(feature.sum() / n_active),
        "memorisation_frac": float(memo.sum() / n_active),
        "mixed_frac": float((active & ~feature & ~memo).sum() / n_active),
        "n_active": int(active.sum()),
        "n_emerged": an["n_emerged"],
    }
