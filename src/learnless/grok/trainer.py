"""Full-batch training of GrokNet on a group's Cayley table, with per-epoch metrics and stage detection.

Stage detection (the Li2 stages, from signals we can measure; each boundary is one epoch, or None):
  * `memorize_epoch`: first epoch with train accuracy >= 0.99. Stage I (lazy learning) ends here; the history
    shows it happens while W is still near its initialisation (`w_change` = ||W - W0|| / ||W0|| small) and the
    test accuracy near chance.
  * `feature_epoch`: first diagnostic epoch at which at least half of the hidden layer's weight energy ||W||^2
    sits in nodes that put >= 90 % of their own weight energy on one irreducible component (one frequency for
    Z_M). (Counting nodes instead lags: weight decay takes long to kill the nodes that lost the race.) Stage II (independent feature
    learning: each node climbs its own energy) runs from `memorize_epoch` to here; from here on the emerged
    features interact (stage III) and the test accuracy climbs.
  * `grok_epoch`: first epoch with test accuracy >= 0.95 (the issue's definition).
Also logged at each diagnostic epoch: `gf_label_align`, the cosine between the back-propagated gradient
G_F = -dL/dF and its stage-II form Y~ Y~^T F (near 0 while V is random, stage I; it grows once the fitted,
weight-decayed top layer makes G_F carry the label structure), and `interaction`, the mean |correlation|
between distinct hidden nodes' centred activations.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from learnless.errors import ConfigError
from learnless.grok.features import ACTIVE_REL_NORM, component_energy
from learnless.grok.groups import Group, Split
from learnless.grok.model import (
    GrokNet,
    centred_targets,
    check_activation,
    check_loss,
    loss_fn,
    ridge_top_layer,
)

OPTIMIZERS = ("adam", "adamw", "sgd", "muon")
GROK_ACC = 0.95
_LOG_EPOCHS = {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 60, 80, 120, 160}
MEMORIZE_ACC = 0.99


def make_optimizers(model: GrokNet, name: str, lr: float, wd: float, ridge: bool) -> list[torch.optim.Optimizer]:
    top = [] if ridge else [model.V]
    if name == "adam":  # L2 penalty in the gradient, as the reference code
        return [torch.optim.Adam([model.Wt, *top], lr=lr, weight_decay=wd)]
    if name == "adamw":
        return [torch.optim.AdamW([model.Wt, *top], lr=lr, weight_decay=wd)]
    if name == "sgd":
        return [torch.optim.SGD([model.Wt, *top], lr=lr, momentum=0.9, weight_decay=wd)]
    if name == "muon":  # Muon on the hidden layer W, Adam on the top layer
        if not hasattr(torch.optim, "Muon"):
            raise ConfigError("optimizer: 'muon' needs torch >= 2.9 (torch.optim.Muon)")
        opts = [torch.optim.Muon([model.Wt], lr=lr, weight_decay=wd)]
        if top:
            opts.append(torch.optim.Adam(top, lr=lr, weight_decay=wd))
        return opts
    raise ConfigError(f"optimizer: unknown {name!r}; expected one of {', '.join(OPTIMIZERS)}")


class GrokTrainer:
    """Trains V sigma(W x) on (a, b) -> a*b. scikit-learn style: `GrokTrainer(...).fit(group, split)`.

    ridge: None trains V by the optimizer; a number eta re-solves V = (F^T F + eta I)^-1 F^T Y~ every step
    (only W is trained then; loss must be mse). stop_after_grok: stop this many epochs after grokking
    (None trains all epochs). threads: torch threads while fitting (1 by default: these small full-batch steps
    gain little from a second thread and lose a lot when the machine is shared). eval_every: epochs between test-set evaluations (so `grok_epoch` is exact to
    this many epochs); diag_every: epochs between the heavier stage diagnostics (a multiple of eval_every).
    """

    def __init__(self, hidden: int = 512, act: str = "sqr", loss: str = "mse", optimizer: str = "adam",
                 lr: float = 1e-3, weight_decay: float = 1e-4, epochs: int = 3000, ridge: float | None = None,
                 seed: int = 0, eval_every: int = 10, diag_every: int = 50, stop_after_grok: int | None = None, threads: int | None = 1):
        self.hidden = hidden
        self.act = act
        self.loss = loss
        self.optimizer = optimizer
        self.lr = lr
        self.weight_decay = weight_decay
        self.epochs = epochs
        self.ridge = ridge
        self.seed = seed
        self.eval_every = eval_every
        self.diag_every = diag_every
        self.stop_after_grok = stop_after_grok
        self.threads = threads

    def _check(self):
        if not isinstance(self.hidden, (int, np.integer)) or isinstance(self.hidden, bool) or self.hidden < 1:
            raise ConfigError(f"hidden: width must be an integer >= 1, got {self.hidden!r}")
        check_activation(self.act)
        check_loss(self.loss)
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"optimizer: unknown {self.optimizer!r}; expected one of {', '.join(OPTIMIZERS)}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ConfigError(f"lr: must be > 0, got {self.lr!r}")
        if not (self.weight_decay >= 0):
            raise ConfigError(f"weight_decay: must be >= 0, got {self.weight_decay!r}")
        for name in ("eval_every", "diag_every"):
            v = getattr(self, name)
            if not isinstance(v, int) or v < 1:
                raise ConfigError(f"{name}: must be an integer >= 1, got {v!r}")
        if not isinstance(self.epochs, int) or self.epochs < 1:
            raise ConfigError(f"epochs: must be an integer >= 1, got {self.epochs!r}")
        if self.ridge is not None:
            if not self.ridge > 0:
                raise ConfigError(f"ridge: eta must be > 0, got {self.ridge!r}")
            if self.loss != "mse":
                raise ConfigError("ridge: the ridge-solved top layer needs loss 'mse' (as in the reference code)")

    def fit(self, group: Group, split: Split) -> GrokTrainer:
        self._check()
        old_threads = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(int(self.threads))
        try:
            return self._fit(group, split)
        finally:
            torch.set_num_threads(old_threads)

    def _fit(self, group: Group, split: Split) -> GrokTrainer:
        t0 = time.perf_counter()
        n = group.order
        a_all, b_all, c_all = (torch.as_tensor(x) for x in group.pairs())
        tr, te = torch.as_tensor(split.train), torch.as_tensor(split.test)
        a, b, c = a_all[tr], b_all[tr], c_all[tr]
        at, bt, ct = a_all[te], b_all[te], c_all[te]
        gen = torch.Generator().manual_seed(int(self.seed))
        model = GrokNet(n, int(self.hidden), self.act, generator=gen)
        w0 = model.W.detach().clone()
        yt = centred_targets(c, n)
        bases = [torch.as_tensor(comp.basis, dtype=torch.float32) for comp in group.components]
        opts = make_optimizers(model, self.optimizer, self.lr, self.weight_decay, self.ridge is not None)
        h = {k: [] for k in ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "w_norm", "v_norm")}
        d = {k: [] for k in ("epoch", "w_change", "gf_label_align", "interaction", "concentrated_frac",
                              "concentrated_energy", "mean_top_share")}
        grok_epoch = memorize_epoch = feature_epoch = None
        for epoch in range(self.epochs + 1):
            last = epoch == self.epochs
            # dense early (the plots use a log axis), then every eval_every / diag_every epochs
            evaluate = epoch % self.eval_every == 0 or last or epoch < 100
            diag = epoch % self.diag_every == 0 or last or epoch in _LOG_EPOCHS
            F = model.hidden_features(a, b)
            if self.ridge is not None:
                with torch.no_grad():
                    model.V.copy_(ridge_top_layer(F.detach(), yt, float(self.ridge)))
            if diag:
                F.retain_grad()
            out = F @ model.V.t()
            loss = loss_fn(out, c, self.loss)
            if evaluate:
                train_acc = (out.argmax(1) == c).float().mean().item()
                with torch.no_grad():
                    out_t = model(at, bt)
                    test_loss = loss_fn(out_t, ct, self.loss).item()
                    test_acc = (out_t.argmax(1) == ct).float().mean().item()
                for k, v in (("epoch", epoch), ("train_loss", loss.item()), ("train_acc", train_acc),
                             ("test_loss", test_loss), ("test_acc", test_acc), ("w_norm", model.W.norm().item()),
                             ("v_norm", model.V.norm().item())):
                    h[k].append(v)
                if memorize_epoch is None and train_acc >= MEMORIZE_ACC:
                    memorize_epoch = epoch
                if grok_epoch is None and test_acc >= GROK_ACC:
                    grok_epoch = epoch
            for opt in opts:
                opt.zero_grad()
            loss.backward()
            if diag:
                with torch.no_grad():
                    gf = -F.grad
                    ideal = yt @ (yt.t() @ F.detach())  # the stage-II form Y~ Y~^T F
                    align = float((gf * ideal).sum() / (gf.norm() * ideal.norm()).clamp_min(1e-30))
                    fc = F.detach() - F.detach().mean(0, keepdim=True)
                    std = fc.norm(dim=0).clamp_min(1e-12)
                    corr = (fc.t() @ fc) / (std[:, None] * std[None, :])
                    k = corr.shape[0]
                    inter = float((corr.abs().sum() - corr.diag().abs().sum()) / max(1, k * (k - 1)))
                    share = component_energy(model.W.detach(), bases)
                    top = share.max(dim=1).values
                    wn = model.W.detach().norm(dim=1)
                    active = wn >= ACTIVE_REL_NORM * wn.max().clamp_min(1e-30)
                    is_conc = (top >= 0.9) & active
                    conc = float(is_conc.float().sum() / active.float().sum().clamp_min(1))
                    wn2 = wn.pow(2)
                    conc_energy = float(wn2[is_conc].sum() / wn2.sum().clamp_min(1e-30))
                    top = top[active]
                for k_, v in (("epoch", epoch), ("w_change", float((model.W.detach() - w0).norm() / w0.norm())),
                              ("gf_label_align", align), ("interaction", inter), ("concentrated_frac", conc),
                              ("concentrated_energy", conc_energy),
                              ("mean_top_share", float(top.mean()))):
                    d[k_].append(v)
                if feature_epoch is None and conc_energy >= 0.5:
                    feature_epoch = epoch
            if last:
                break
            if self.stop_after_grok is not None and grok_epoch is not None and epoch >= grok_epoch + self.stop_after_grok:
                break
            for opt in opts:
                opt.step()
        self.model_ = model
        self.history_ = h
        self.diagnostics_ = d
        self.grok_epoch_ = grok_epoch
        self.memorize_epoch_ = memorize_epoch
        self.feature_epoch_ = feature_epoch
        self.train_acc_ = h["train_acc"][-1]
        self.test_acc_ = h["test_acc"][-1]
        self.epochs_run_ = h["epoch"][-1]
        self.seconds_ = time.perf_counter() - t0
        return self

    def stages(self) -> dict:
        """Stage boundaries (epochs) detected by the criteria in the module docstring."""
        return {"memorize_epoch": self.memorize_epoch_, "feature_epoch": self.feature_epoch_,
                "grok_epoch": self.grok_epoch_}

    def predict(self, a, b) -> np.ndarray:
        with torch.no_grad():
            return self.model_(torch.as_tensor(a), torch.as_tensor(b)).argmax(1).numpy()
