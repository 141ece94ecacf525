"""A hidden layer built from the Li2 energy, without back-propagation through the network.

The network is V sigma(W x) + intercept on unit inputs x = (e_a (+) e_b) / sqrt(2) (the normalisation in which
Thm 2's full-table maxima have E* = M/16 for sigma = x^2); every node w_j is a unit vector. Three stages, each
a closed form or an ascent of one node's scalar energy:

  * stage I: K random unit nodes; the top layer by ridge regression on their features (closed form).
  * stage II: every node climbs its own energy E(w) = 1/2 ||Y~^T sigma(X w)||^2 of the training pairs from its
    random start, to convergence (`energy.ascend`): the nodes decouple, as they do in training while the
    weight-decayed top layer is small.
  * stage III: the nodes, one block at a time, are re-placed: from fresh random points (`restart`) they
    climb the energy of the *residual* the rest of the network leaves, E_R(w) = 1/2 ||R^T sigma(X w)||^2,
    R = Y~ - F_rest V_rest the ridge residual of the other blocks' features. This is the paper's G_F under a
    ridge top layer, R = eta (F F^T + eta I)^-1 Y~, seen from one node: adding a feature f lowers the ridge
    loss by about ||R^T f||^2 / (eta + ||f||^2), so a node climbing E_R goes to a feature the others do not
    yet supply. A re-placed block is kept only when the network's ridge loss drops (stage III never fits
    worse than stage II). R is recomputed before every block and
    the blocks are swept `sweeps` times.

Finally the top layer is solved by ridge again. Centring: features and labels are centred along the samples
(a free intercept, as GrokTrainer's sample-centred loss). The ridge strength `ridge` is relative: eta =
ridge * mean diagonal of F~^T F~, so it does not depend on the scale of the features.

Cost is counted in node-gradient evaluations: one gradient of one node's energy over all training pairs (what
a full-batch training epoch computes for each of its K nodes). A trained GrokTrainer run costs
epochs x K of them.
"""

from __future__ import annotations

import math
import time
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
from learnless.errors import ConfigError
from learnless.grok.energy import ascend, closed_form_energy, energy_of, training_tensors
from learnless.grok.features import analyse_features
from learnless.grok.groups import Group, Split
from learnless.grok.model import ACTIVATIONS

STAGES = ("I", "II", "III")
_SCALE = 1 / math.sqrt(2)  # unit input rows


def features_of(W: torch.Tensor, a: torch.Tensor, b: torch.Tensor, n: int, act: str) -> torch.Tensor:
    """F = sigma(X W^T) on the pairs (a, b): N x K."""
    return ACTIVATIONS[act]((W[:, a] + W[:, n + b]).t() * _SCALE)


def ridge_fit(F: torch.Tensor, yt: torch.Tensor, ridge: float):
    """Sample-centred ridge regression of Y~ on F: (V (K x M), feature means, residual R (N x M)); eta is
    `ridge` times the mean diagonal of F~^T F~."""
    mean = F.mean(0, keepdim=True)
    fc = (F - mean).double()
    gram = fc.t() @ fc
    eta = ridge * float(gram.diagonal().mean().clamp_min(1e-30))
    V = torch.linalg.solve(gram + eta * torch.eye(gram.shape[0], dtype=gram.dtype), fc.t() @ yt.double())
    return V.float(), mean, (yt.double() - fc @ V).float()


def ridge_loss(F: torch.Tensor, yt: torch.Tensor, ridge: float) -> float:
    """The fitted ridge objective, relative to ||Y~||^2: (||R||^2 + eta ||V||^2) / ||Y~||^2."""
    V, mean, R = ridge_fit(F, yt, ridge)
    fc = F - mean
    eta = ridge * float(fc.pow(2).sum(0).mean().clamp_min(1e-30))
    return float((R.pow(2).sum() + eta * V.pow(2).sum()) / yt.pow(2).sum())


class EnergyConstruction(Estimator):
    """Builds V sigma(W x) from the energy: `EnergyConstruction(stage="III").fit(group, split)`.

    stage: the last stage run ("I": random nodes, "II": each node on its own energy, "III": then the residual
    energy). hidden: K nodes. ridge: relative ridge strength of the top layer. blocks: how many blocks the
    nodes are split into in stage III; sweeps: passes over the blocks; restart: a block climbs the residual
    energy from fresh random points (True: the block is re-placed given the rest, so a block that sat on a
    memorisation maximum of E is not held there) or from where it stands (False). lr / tol: the ascent's
    step and convergence criterion (||g_t|| / E < tol); max_steps: per ascent.

    Learned: W_ (K x 2M, unit rows), V_ (K x M), intercept_, stage_history_ (per stage: train/test accuracy,
    frequencies covered, node-gradient evaluations so far), gradient_evals_ (total), energy_ (each node's E on
    the training pairs), analysis_ (features.analyse_features of W_), seconds_."""

    _parameter_constraints: ClassVar[dict] = {
        "stage": [StrOptions(set(STAGES))],
        "hidden": [positive_int],
        "act": [StrOptions(set(ACTIVATIONS))],
        "ridge": [positive],
        "blocks": [positive_int],
        "sweeps": [Interval(Integral, 0, None, closed="left")],
        "restart": ["boolean"],
        "lr": [Interval(Real, 0, 1, closed="right")],
        "tol": [positive],
        "max_steps": [positive_int],
        "seed": [seed_constraint],
    }

    def __init__(
        self,
        stage: str = "III",
        hidden: int = 256,
        act: str = "sqr",
        ridge: float = 1e-2,
        blocks: int = 16,
        sweeps: int = 2,
        restart: bool = True,
        lr: float = 0.2,
        tol: float = 1e-3,
        max_steps: int = 300,
        seed: int = 0,
    ):
        self.stage = stage
        self.hidden = hidden
        self.act = act
        self.ridge = ridge
        self.blocks = blocks
        self.sweeps = sweeps
        self.restart = restart
        self.lr = lr
        self.tol = tol
        self.max_steps = max_steps
        self.seed = seed

    def memory_bytes(self, group: Group, split: Split, W_init=None) -> int:
        """Peak bytes of fit: the K x 2M nodes (and the candidate block), the K hidden activations of every
        training pair with their ascent buffers, the one-hot targets, and the K x K ridge system."""
        k = int(self.hidden) if W_init is None else int(np.shape(W_init)[0])
        n_train, m = len(split.train), int(group.order)
        return 4 * (2 * k * 2 * m + 4 * n_train * k + 2 * n_train * m) + 16 * k * k

    def fit(self, group: Group, split: Split, W_init=None) -> EnergyConstruction:
        """Build the network on `split` of `group`'s table. W_init (K x 2M) replaces stage I's random nodes
        (its rows are normalised; K is then its row count)."""
        self.validate()
        self.check_memory(group, split, W_init)
        if W_init is not None:
            W_init = torch.as_tensor(np.asarray(W_init, dtype=np.float32))
            if W_init.ndim != 2 or W_init.shape[1] != 2 * group.order or not torch.isfinite(W_init).all():
                raise ConfigError(f"W_init: expected finite K x {2 * group.order} weights for {group.name}")
            if (W_init.norm(dim=1) == 0).any():
                raise ConfigError("W_init: a row is zero (a node needs a direction)")
        old = torch.get_num_threads()
        torch.set_num_threads(1)  # small per-step tensors: a second thread only adds contention
        try:
            return self._fit(group, split, W_init)
        finally:
            torch.set_num_threads(old)

    def _ascend(self, w, a, b, yt, n):
        w, steps, _ = ascend(w, a, b, yt, n, self.act, "unit", self.lr, self.max_steps, self.tol)
        self.gradient_evals_ += int(steps.sum()) + w.shape[0]  # each row's last step only checks convergence
        return w

    def _fit(self, group: Group, split: Split, W_init=None) -> EnergyConstruction:
        t0 = time.perf_counter()
        self.group_, self.split_ = group, split
        n = group.order
        a, b, yt = training_tensors(group, split, "sample")
        gen = torch.Generator().manual_seed(int(self.seed))
        W = torch.randn(int(self.hidden), 2 * n, generator=gen) if W_init is None else W_init.clone()
        k = W.shape[0]
        W = W / W.norm(dim=1, keepdim=True)
        self.gradient_evals_ = 0
        self.accepted_ = 0
        self.stage_history_ = []
        self._record("I", W)
        if self.stage != "I":
            W = self._ascend(W, a, b, yt, n)
            self._record("II", W)
        if self.stage == "III":
            order = torch.randperm(k, generator=gen)
            parts = [p for p in torch.tensor_split(order, min(int(self.blocks), k)) if len(p)]
            current = ridge_loss(features_of(W, a, b, n, self.act), yt, self.ridge)
            for _ in range(int(self.sweeps)):
                for block in parts:
                    rest = torch.ones(k, dtype=torch.bool)
                    rest[block] = False
                    if rest.any():
                        _, _, R = ridge_fit(features_of(W[rest], a, b, n, self.act), yt, self.ridge)
                    else:
                        R = yt
                    start = torch.randn(len(block), 2 * n, generator=gen) if self.restart else W[block]
                    trial = W.clone()
                    trial[block] = self._ascend(start, a, b, R, n)
                    loss = ridge_loss(features_of(trial, a, b, n, self.act), yt, self.ridge)
                    if loss < current:  # keep a re-placed block only when the network fits better with it
                        W, current = trial, loss
                        self.accepted_ += 1
            self._record("III", W)
        self.W_ = W.numpy()
        self.energy_ = energy_of(W, a, b, yt, n, self.act, "unit").detach().numpy()
        self.analysis_ = analyse_features(group, self.W_)
        last = self.stage_history_[-1]
        self.train_acc_, self.test_acc_ = last["train_acc"], last["test_acc"]
        self.components_covered_ = last["components_covered"]
        self.seconds_ = time.perf_counter() - t0
        return self

    def _record(self, stage: str, W: torch.Tensor) -> None:
        """Solve the top layer for W and log the stage's accuracies and coverage."""
        self._solve_top(W)
        a_all, b_all, c_all = self.group_.pairs()
        train_acc = float((self.predict(a_all[self.split_.train], b_all[self.split_.train])
                           == c_all[self.split_.train]).mean())
        te = self.split_.test
        test_acc = float((self.predict(a_all[te], b_all[te]) == c_all[te]).mean()) if len(te) else None
        an = analyse_features(self.group_, W.numpy())
        covered = sorted(set(an["emerged"]) & set(self._labels()))
        self.stage_history_.append({
            "stage": stage,
            "train_acc": train_acc,
            "test_acc": test_acc,
            "components_covered": len(covered),
            "components_total": len(self._labels()),
            "covered": covered,
            "concentrated_frac": an["concentrated_frac"],
            "gradient_evals": self.gradient_evals_,
        })

    def _labels(self) -> list[str]:
        """The non-trivial components (the trivial one carries no label information: E* = 0)."""
        g = self.group_
        return [c.label for i, c in enumerate(g.components) if closed_form_energy(g, i) > 0]

    def _solve_top(self, W: torch.Tensor) -> None:
        a, b, yt = training_tensors(self.group_, self.split_, "sample")
        n = self.group_.order
        V, mean, _ = ridge_fit(features_of(W, a, b, n, self.act), yt, self.ridge)
        c = torch.as_tensor(self.group_.pairs()[2][self.split_.train])
        ybar = torch.nn.functional.one_hot(c, n).float().mean(0)
        self.W_, self.V_ = W.numpy().copy(), V
        self.intercept_ = ybar - (mean @ V)[0]

    def decision_function(self, a, b) -> np.ndarray:
        """Network outputs (N x M) for element indices a, b."""
        self._check_fitted("V_")
        W = torch.as_tensor(self.W_)
        F = features_of(W, torch.as_tensor(a), torch.as_tensor(b), self.group_.order, self.act)
        return (F @ self.V_ + self.intercept_).numpy()

    def predict(self, a, b) -> np.ndarray:
        """a*b predicted for element indices a, b."""
        return self.decision_function(a, b).argmax(1)

    def score(self, a, b, c) -> float:
        return float((self.predict(a, b) == np.asarray(c)).mean())


def boundary_run(config: dict, seed: int) -> dict:
    """One point of the construction-vs-training comparison (an Experiment unit: module level, pickled).

    config: group, ratio (n = round(ratio M ln M) training pairs), arm ("construct": EnergyConstruction up to
    stage III, reporting stages II and III; "trained": GrokTrainer), params (the estimator's parameters) and
    optionally seed (overrides the unit's). Cost in node-gradient evaluations; a trained run's is its epochs
    x K."""
    from learnless.grok.groups import parse_group, split_pairs
    from learnless.grok.trainer import GrokTrainer

    seed = int(config.get("seed", seed))
    g = parse_group(config["group"])
    n = round(float(config["ratio"]) * g.order * math.log(g.order))
    split = split_pairs(g, n_train=n, seed=seed)
    out = {"group": g.name, "order": g.order, "ratio": float(config["ratio"]), "n_train": n, "seed": seed,
           "arm": config["arm"]}
    if config["arm"] == "trained":
        tr = GrokTrainer(**{**config["params"], "seed": seed}).fit(g, split)
        return {**out, "train_acc": tr.train_acc_, "test_acc": tr.test_acc_, "grok_epoch": tr.grok_epoch_,
                "epochs_run": tr.epochs_run_, "gradient_evals": int(tr.epochs_run_) * int(tr.hidden),
                "seconds": round(tr.seconds_, 2)}
    est = EnergyConstruction(**{**config["params"], "seed": seed}).fit(g, split)
    for h in est.stage_history_:
        s = h["stage"]
        out |= {f"train_acc_{s}": h["train_acc"], f"test_acc_{s}": h["test_acc"],
                f"covered_{s}": h["components_covered"], f"gradient_evals_{s}": h["gradient_evals"]}
    return {**out, "components_total": est.stage_history_[-1]["components_total"],
            "blocks_accepted": est.accepted_, "seconds": round(est.seconds_, 2)}
