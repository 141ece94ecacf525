"""Full-batch training of GrokNet on a group's Cayley table, with per-epoch metrics and stage detection.

Stage detection (the Li2 stages, from signals we can measure; each boundary is one epoch, or None):
  * `memorize_epoch`: first epoch with train accuracy >= 0.99. Stage I (lazy learning) ends here; the history
    shows it happens while W is still near its initialisation (`w_change` = ||W - W0|| / ||W0|| small) and the
    test accuracy near chance.
  * `feature_epoch`: first diagnostic epoch at which at least half of the hidden layer's weight energy ||W||^2
    sits in nodes that put >= 90 % of their own weight energy on one irreducible component (one frequency for
    Z_M). (Counting nodes instead lags: weight decay takes long to kill the nodes that lost the race.) Stage
    II (independent feature
    learning: each node climbs its own energy) runs from `memorize_epoch` to here; from here on the emerged
    features interact (stage III) and the test accuracy climbs.
  * `grok_epoch`: first epoch with test accuracy >= 0.95 (the issue's definition).
Also logged at each diagnostic epoch: `gf_label_align`, the cosine between the back-propagated gradient
G_F = -dL/dF and its stage-II form Y~ Y~^T F (near 0 while V is random, stage I; it grows once the fitted,
weight-decayed top layer makes G_F carry the label structure), `gf_norm` = ||G_F|| (of the mean-over-pairs
loss; Fig. 3 of the paper), `offdiag_share` = ||offdiag(F~^T F~)|| / ||F~^T F~|| (F~ = P F, F centred along
the samples: the K x K node Gram), `sample_offdiag_share` = the same share for P F F^T (the N x N sample
Gram as the paper writes it, P = I - 11^T/N) and `sample_offdiag_share_sym` for P F F^T P (Frobenius norms;
both from K x K products, never forming the N x N matrix), `offdiag_mean_ratio` and
`sample_offdiag_mean_ratio` = mean |off-diagonal entry| / mean |diagonal entry| of F~^T F~ and of P F F^T
(the reference code's per-entry measure; the N x N one only up to SAMPLE_GRAM_MAX_N pairs),
`sample_dist_from_ideal` = ||F F^T - (a I + o 11^T)|| / ||F F^T|| with a I + o 11^T fitted to the mean
diagonal and off-diagonal entries (the reference code's `fit_diag_11`), `interaction`,
the mean |correlation| between distinct hidden nodes' centred activations, and `components_covered`, the
number of distinct non-trivial components that some concentrated active node sits on.
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
    StrOptions,
    non_negative,
    positive,
    positive_int,
    seed_constraint,
)
from learnless.errors import ConfigError
from learnless.grok.energy import centred_labels
from learnless.grok.features import ACTIVE_REL_NORM, component_energy
from learnless.grok.groups import Group, Split
from learnless.grok.model import ACTIVATIONS, LOSSES, W_INITS, GrokNet, loss_fn, ridge_top_layer
from learnless.runtime.device import check_device
from learnless.runtime.progress import track

OPTIMIZERS = ("adam", "adamw", "sgd", "muon")
GROK_ACC = 0.95
_LOG_EPOCHS = {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 60, 80, 120, 160}
MEMORIZE_ACC = 0.99
SAMPLE_GRAM_MAX_N = 2048  # above this the N x N sample Gram of the per-entry measure is not formed (nan)


def make_optimizers(
    model: GrokNet, name: str, lr: float, wd: float, ridge: bool, muon_lr: float | None = None,
    muon_wd: float | None = None,
) -> list[torch.optim.Optimizer]:
    top = [] if ridge else [model.V]
    if name == "adam":  # L2 penalty in the gradient, as the reference code
        return [torch.optim.Adam([model.Wt, *top], lr=lr, weight_decay=wd)]
    if name == "adamw":
        return [torch.optim.AdamW([model.Wt, *top], lr=lr, weight_decay=wd)]
    if name == "sgd":
        return [torch.optim.SGD([model.Wt, *top], lr=lr, momentum=0.9, weight_decay=wd)]
    if name == "muon":  # Muon on the hidden layer W (its own lr / decoupled decay), Adam on the top layer
        if not hasattr(torch.optim, "Muon"):
            raise ConfigError("optimizer: 'muon' needs torch >= 2.9 (torch.optim.Muon)")
        m_lr = lr if muon_lr is None else muon_lr
        m_wd = wd if muon_wd is None else muon_wd
        opts = [torch.optim.Muon([model.Wt], lr=m_lr, weight_decay=m_wd)]
        if top:
            opts.append(torch.optim.Adam(top, lr=lr, weight_decay=wd))
        return opts
    raise ConfigError(f"optimizer: unknown {name!r}; expected one of {', '.join(OPTIMIZERS)}")


def mean_abs_offdiag_ratio(A: torch.Tensor) -> float:
    """mean |off-diagonal entry| / mean |diagonal entry| of a square matrix: the per-entry measure the
    reference code logs for its Grams (`compute_diag_off_diag_avg`)."""
    a = A.abs().double()
    k = a.shape[0]
    diag = float(a.diagonal().mean())
    off = float((a.sum() - a.diagonal().sum()) / max(1, k * (k - 1)))
    return off / diag if diag > 0 else 0.0


def components_covered(is_conc: torch.Tensor, share: torch.Tensor) -> int:
    """How many distinct non-trivial components (frequencies of Z_M, irreps otherwise) are the top
    component of at least one concentrated node (component 0 is the trivial one)."""
    tops = share.argmax(dim=1)[is_conc]
    return int(torch.unique(tops[tops > 0]).numel())


def sample_gram_dist_from_ideal(F: torch.Tensor) -> float:
    """||F F^T - E||_F / ||F F^T||_F, E = (d - o) I + o 11^T with d, o the mean diagonal and mean off-diagonal
    entry of the (uncentred) N x N sample Gram F F^T: the reference code's `fit_diag_11` ("FF^t distance
    from ideal"), from K x K and K-vector products (never forming the N x N matrix)."""
    f = F.double()
    n = f.shape[0]
    if n < 2:
        return 0.0
    tr = float(f.pow(2).sum())  # <F F^T, I>
    col = f.sum(0)
    ones = float(col @ col)  # <F F^T, 11^T>
    sq = float((f.t() @ f).pow(2).sum())  # ||F F^T||^2 = ||F^T F||^2
    d = tr / n
    o = (ones - tr) / (n * (n - 1))
    a = d - o
    inner = a * tr + o * ones
    e_sq = a * a * n + 2 * a * o * n + o * o * n * n
    return math.sqrt(max(0.0, sq - 2 * inner + e_sq) / sq) if sq > 0 else 0.0


def sample_gram_offdiag(F: torch.Tensor, fc: torch.Tensor, gram: torch.Tensor) -> tuple[float, float]:
    """Off-diagonal shares ||offdiag(A)||_F / ||A||_F of A = P F F^T and of A = P F F^T P (N x N), with
    fc = P F and gram = fc^T fc, from K x K products: ||P F F^T||^2 = tr(fc^T fc F^T F), its diagonal is the
    row-wise fc . F; ||P F F^T P||^2 = ||gram||^2, its diagonal the squared row norms of fc."""
    g = gram.double()
    ff = (F.t() @ F).double()
    tot = float((g * ff).sum())
    diag = float(((fc * F).sum(1).double() ** 2).sum())
    tot_sym = float((g * g).sum())
    diag_sym = float((fc.double().pow(2).sum(1) ** 2).sum())

    def share(t, d):
        return math.sqrt(max(0.0, 1.0 - d / t)) if t > 0 else 0.0

    return share(tot, diag), share(tot_sym, diag_sym)


class GrokTrainer(Estimator):
    """Trains V sigma(W x) on (a, b) -> a*b. `GrokTrainer(...).fit(group, split)`; the parameters below are
    the
    one list of training hyper-parameters (the CLI's `--set` keys, the scaling sweep's and the presets').

    centring (loss 'mse'): 'sample' is the paper's loss 1/2N ||P(Y - F V)||^2, P = I - 11^T/N centring along
    the
    samples (the output's per-class mean over the samples is then free: `predict` adds the least-squares
    intercept fitted on the training pairs); 'label' is the reference code's mean_i ||(o_i - mean_c o_i) -
    (onehot - 1/M)||^2. init_v: 'uniform' (U(+-1/sqrt K), as nn.Linear) or 'zero' (the paper's §3.2 variant).
    init_w: 'uniform' (U(+-1/sqrt M)) or 'linear' (U(+-1/sqrt 2M), nn.Linear(2M, K)'s default: the reference
    code's); `fit(..., W_init=, V_init=)` starts from given weights instead, as scikit-learn's `coef_init`.
    ridge: None trains V by the optimizer; a number eta re-solves V = (F^T F + eta I)^-1 F^T Y~ every step
    (only W is trained then; loss must be mse). stop_after_grok: stop this many epochs after grokking
    (None trains all epochs). threads: torch threads while fitting (1 by default: these small full-batch steps
    gain little from a second thread and lose a lot when the machine is shared). eval_every: epochs between
    test-set evaluations (so `grok_epoch` is exact to this many epochs); diag_every: epochs between the
    heavier stage diagnostics. device: 'cpu' or 'cuda' (where the training runs; the fitted model_ is
    returned on the CPU). muon_lr, muon_weight_decay (optimizer 'muon' only): the learning rate and the
    decoupled weight decay of torch.optim.Muon on W (None: lr, weight_decay); V keeps Adam with lr and
    weight_decay. Muon's decay multiplies W by 1 - lr * decay each step, so it needs a far larger value than
    Adam's L2 term to bound ||W||.
    """

    _parameter_constraints: ClassVar[dict] = {
        "hidden": [positive_int],
        "act": [StrOptions(set(ACTIVATIONS))],
        "loss": [StrOptions(set(LOSSES))],
        "centring": [StrOptions({"sample", "label"})],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "lr": [positive],
        "weight_decay": [non_negative],
        "epochs": [positive_int],
        "init_v": [StrOptions({"uniform", "zero"})],
        "init_w": [StrOptions(set(W_INITS))],
        "ridge": [positive, None],
        "seed": [seed_constraint],
        "eval_every": [positive_int],
        "diag_every": [positive_int],
        "stop_after_grok": [Interval(Integral, 0, None, closed="left"), None],
        "threads": [positive_int, None],
        "device": [StrOptions({"cpu", "cuda"})],
        "muon_lr": [positive, None],
        "muon_weight_decay": [non_negative, None],
    }

    def __init__(
        self,
        hidden: int = 512,
        act: str = "sqr",
        loss: str = "mse",
        centring: str = "sample",
        optimizer: str = "adam",
        lr: float = 1e-3,
        weight_decay: float = 1e-4,
        epochs: int = 3000,
        init_v: str = "uniform",
        init_w: str = "uniform",
        ridge: float | None = None,
        seed: int = 0,
        eval_every: int = 10,
        diag_every: int = 50,
        stop_after_grok: int | None = None,
        threads: int | None = 1,
        device: str = "cpu",
        muon_lr: float | None = None,
        muon_weight_decay: float | None = None,
    ):
        self.hidden = hidden
        self.act = act
        self.loss = loss
        self.centring = centring
        self.optimizer = optimizer
        self.lr = lr
        self.weight_decay = weight_decay
        self.epochs = epochs
        self.init_v = init_v
        self.init_w = init_w
        self.ridge = ridge
        self.seed = seed
        self.eval_every = eval_every
        self.diag_every = diag_every
        self.stop_after_grok = stop_after_grok
        self.threads = threads
        self.device = device
        self.muon_lr = muon_lr
        self.muon_weight_decay = muon_weight_decay

    def _validate_extra(self) -> None:
        if self.ridge is not None and self.loss != "mse":
            raise ConfigError("ridge: the ridge-solved top layer needs loss 'mse' (as in the reference code)")
        if not math.isfinite(self.lr):
            raise ConfigError(f"lr: must be finite, got {self.lr!r}")
        check_device(self.device)

    def memory_bytes(self, group: Group, split: Split, *_) -> int:
        """The one-hot inputs of every pair, W (K x 2M) and V (M x K) with their gradients and optimiser
        state, and the training batch's activations."""
        m, k = int(group.order), int(self.hidden)
        pairs = len(split.train) + len(split.test)
        return 4 * (pairs * 2 * m + 4 * 3 * m * k + 3 * len(split.train) * k + pairs * m)

    def fit(self, group: Group, split: Split, W_init=None, V_init=None) -> GrokTrainer:
        """Train on `split` of `group`'s table. W_init (K x 2M: the a half, then the b half) and V_init
        (M x K), arrays or tensors, replace the seeded initial weights (init_w / init_v) where given."""
        self.validate()
        inits = self._check_inits(group.order, W_init, V_init)
        old_threads = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(int(self.threads))
        try:
            return self._fit(group, split, *inits)
        finally:
            torch.set_num_threads(old_threads)

    def _check_inits(self, n: int, W_init, V_init) -> tuple:
        out = []
        k = int(self.hidden)
        for name, value, shape in (("W_init", W_init, (k, 2 * n)), ("V_init", V_init, (n, k))):
            if value is None:
                out.append(None)
                continue
            t = torch.as_tensor(np.asarray(value, dtype=np.float32))
            if tuple(t.shape) != shape:
                raise ConfigError(
                    f"{name}: expected shape {shape[0]} x {shape[1]} (hidden={self.hidden}, order {n}), "
                    f"got {' x '.join(map(str, t.shape)) or 'a scalar'}"
                )
            if not torch.isfinite(t).all():
                raise ConfigError(f"{name}: holds non-finite values")
            out.append(t)
        return tuple(out)

    def _fit(self, group: Group, split: Split, W_init=None, V_init=None) -> GrokTrainer:
        t0 = time.perf_counter()
        n = group.order
        dev = torch.device(self.device)
        a_all, b_all, c_all = (torch.as_tensor(x) for x in group.pairs())
        tr, te = torch.as_tensor(split.train), torch.as_tensor(split.test)
        a, b, c = (x[tr].to(dev) for x in (a_all, b_all, c_all))
        at, bt, ct = (x[te].to(dev) for x in (a_all, b_all, c_all))
        gen = torch.Generator().manual_seed(int(self.seed))  # the CPU generator: same init on every device
        model = GrokNet(n, int(self.hidden), self.act, generator=gen, init_w=self.init_w).to(dev)
        with torch.no_grad():
            if self.init_v == "zero":
                model.V.zero_()
            if W_init is not None:
                model.Wt.copy_(W_init.t())
            if V_init is not None:
                model.V.copy_(V_init)
        w0 = model.W.detach().clone()
        yt = centred_labels(c, n, self.centring)
        ybar = torch.nn.functional.one_hot(c, n).float().mean(0)
        sample_mse = self.loss == "mse" and self.centring == "sample"
        bases = [torch.as_tensor(comp.basis, dtype=torch.float32, device=dev) for comp in group.components]
        opts = make_optimizers(model, self.optimizer, self.lr, self.weight_decay, self.ridge is not None,
                               self.muon_lr, self.muon_weight_decay)
        h = {k: [] for k in ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "w_norm", "v_norm")}
        d = {
            k: []
            for k in (
                "epoch",
                "w_change",
                "gf_label_align",
                "gf_norm",
                "offdiag_share",
                "sample_offdiag_share",
                "sample_offdiag_share_sym",
                "offdiag_mean_ratio",
                "sample_offdiag_mean_ratio",
                "sample_dist_from_ideal",
                "interaction",
                "concentrated_frac",
                "concentrated_energy",
                "mean_top_share",
                "components_covered",
            )
        }
        grok_epoch = memorize_epoch = feature_epoch = None
        bias = torch.zeros(model.n, device=dev)
        with track("grok epochs", total=self.epochs) as bar:
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
                loss = loss_fn(out, c, self.loss, self.centring)
                if sample_mse:  # the loss leaves the per-class offset free: use its least-squares value
                    bias = ybar - out.detach().mean(0)
                if evaluate:
                    train_acc = ((out.detach() + bias).argmax(1) == c).float().mean().item()
                    with torch.no_grad():
                        out_t = model(at, bt) + bias
                        test_loss = loss_fn(out_t, ct, self.loss, self.centring).item()
                        test_acc = (out_t.argmax(1) == ct).float().mean().item()
                    for k, v in (
                        ("epoch", epoch),
                        ("train_loss", loss.item()),
                        ("train_acc", train_acc),
                        ("test_loss", test_loss),
                        ("test_acc", test_acc),
                        ("w_norm", model.W.norm().item()),
                        ("v_norm", model.V.norm().item()),
                    ):
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
                        gram = fc.t() @ fc  # F~^T F~ (Fig. 3: near diagonal once features are learned)
                        offdiag = float(
                            (gram - torch.diag(gram.diag())).norm() / gram.norm().clamp_min(1e-30)
                        )
                        s_off, s_off_sym = sample_gram_offdiag(F.detach(), fc, gram)
                        off_ratio = mean_abs_offdiag_ratio(gram)
                        s_off_ratio = (
                            mean_abs_offdiag_ratio(fc @ F.detach().t())  # P F F^T, N x N
                            if fc.shape[0] <= SAMPLE_GRAM_MAX_N
                            else float("nan")
                        )
                        corr = gram / (std[:, None] * std[None, :])
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
                        covered = components_covered(is_conc, share)
                        top = top[active]
                    w_change = float((model.W.detach() - w0).norm() / w0.norm())
                    for k_, v in (
                        ("epoch", epoch),
                        ("w_change", w_change),
                        ("gf_label_align", align),
                        ("gf_norm", float(gf.norm())),
                        ("offdiag_share", offdiag),
                        ("sample_offdiag_share", s_off),
                        ("sample_offdiag_share_sym", s_off_sym),
                        ("offdiag_mean_ratio", off_ratio),
                        ("sample_offdiag_mean_ratio", s_off_ratio),
                        ("sample_dist_from_ideal", sample_gram_dist_from_ideal(F.detach())),
                        ("interaction", inter),
                        ("concentrated_frac", conc),
                        ("concentrated_energy", conc_energy),
                        ("mean_top_share", float(top.mean())),
                        ("components_covered", covered),
                    ):
                        d[k_].append(v)
                    if feature_epoch is None and conc_energy >= 0.5:
                        feature_epoch = epoch
                if last:
                    break
                stop = self.stop_after_grok
                if stop is not None and grok_epoch is not None and epoch >= grok_epoch + stop:
                    break
                for opt in opts:
                    opt.step()
                bar.advance()
        self.model_ = model.cpu()
        self.intercept_ = bias.detach().cpu().clone()
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
        self._check_fitted("model_")
        return {
            "memorize_epoch": self.memorize_epoch_,
            "feature_epoch": self.feature_epoch_,
            "grok_epoch": self.grok_epoch_,
        }

    def predict(self, a, b) -> np.ndarray:
        """a*b predicted for element indices a, b (arrays)."""
        self._check_fitted("model_")
        with torch.no_grad():
            out = self.model_(torch.as_tensor(a), torch.as_tensor(b)) + self.intercept_
            return out.argmax(1).numpy()

    def score(self, a, b, c) -> float:
        """Accuracy on the triples (a, b, c = a*b)."""
        return float((self.predict(a, b) == np.asarray(c)).mean())
