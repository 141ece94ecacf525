"""Learning rate against the kind and energy of the learned features (Fig. 7 of the Li2 paper: on Z_127 with
20 % of the pairs, Adam lr 0.001 / 0.002 end on Fourier features of lower energy, lr 0.005 on memorisation
features of higher energy, the semi-grokking boundary).

`measure_run` trains one GrokTrainer and describes its hidden layer: the share of active nodes that are
single-frequency features, memorisation-like or mixed (`features.node_kinds`), and the energy E of each
active node on the unit sphere (`energy.node_energy`, sample-centred labels, unit input rows: the
normalisation in which Thm 2's full-table maxima have E* = M/16). `reference_energies` gives the two energies
to read them against on the same training pairs: the full-table Fourier maxima and Thm 5's focused
memorisation points.
"""

from __future__ import annotations

import math

import numpy as np

from learnless.grok.energy import node_energy
from learnless.grok.features import node_kinds
from learnless.grok.groups import Group, Split, parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer


def _median(x) -> float | None:
    x = np.asarray(x, dtype=float)
    return float(np.median(x)) if x.size else None


def unit_rows(W) -> np.ndarray:
    W = np.asarray(W, dtype=np.float32)
    return W / np.linalg.norm(W, axis=1, keepdims=True).clip(1e-12)


def describe_layer(group: Group, split: Split, W, act: str = "sqr") -> dict:
    """Node kinds and energies (on the unit sphere) of a trained hidden layer W (K x 2n)."""
    kinds = node_kinds(group, W)
    active = kinds["active"]
    e = node_energy(group, split, unit_rows(np.asarray(W)[active]), act=act)
    sub = {k: kinds[k][active] for k in ("feature", "memorisation")}
    return {
        "n_active": kinds["n_active"],
        "feature_frac": kinds["feature_frac"],
        "memorisation_frac": kinds["memorisation_frac"],
        "mixed_frac": kinds["mixed_frac"],
        "frequencies_emerged": kinds["n_emerged"],
        "energy_median": _median(e),
        "energy_mean": float(e.mean()) if e.size else None,
        "energy_feature_median": _median(e[sub["feature"]]),
        "energy_memorisation_median": _median(e[sub["memorisation"]]),
        "energies": e.tolist(),
    }


def measure_run(config: dict, seed: int) -> dict:
    """One training run (an Experiment unit: module level, pickled). config: group, train_frac, trainer (a
    dict of GrokTrainer parameters) and optionally `seed`, which overrides the unit's seed (so that a sweep
    can list its runs seed-major: a partial sweep then covers every learning rate)."""
    seed = int(config.get("seed", seed))
    group = parse_group(config["group"])
    split = split_pairs(group, config["train_frac"], seed=seed)
    tr = GrokTrainer(**{**config["trainer"], "seed": seed}).fit(group, split)
    W = tr.model_.W.detach().cpu().numpy()
    out = {
        "group": group.name,
        "lr": config["trainer"]["lr"],
        "train_frac": config["train_frac"],
        "seed": seed,
        "n_train": len(split.train),
        "train_acc": tr.train_acc_,
        "test_acc": tr.test_acc_,
        "grok_epoch": tr.grok_epoch_,
        "memorize_epoch": tr.memorize_epoch_,
        "feature_epoch": tr.feature_epoch_,
        "epochs_run": tr.epochs_run_,
        "seconds": round(tr.seconds_, 1),
        **describe_layer(group, split, W, tr.act),
        "test_acc_curve": {"epoch": tr.history_["epoch"], "test_acc": tr.history_["test_acc"]},
    }
    if config.get("save_dir"):
        np.save(f"{config['save_dir']}/W_lr{out['lr']:g}_s{seed}.npy", W)
    return out


def fourier_maxima(group: Group) -> np.ndarray:
    """Thm 2's full-table maxima of Z_M (M odd), one per frequency k = 1..(M-1)/2: w = [u; P u] with
    u(a) = cos(2 pi k a / M), P the group inverse (P u)(b) = u(-b), normalised (E* = M/16 on the full table).
    """
    m = group.order
    if group.abelian_orders != (m,) or m % 2 == 0:
        raise ValueError("fourier_maxima: needs Z_M with M odd")
    a = np.arange(m)
    rows = []
    for k in range(1, (m - 1) // 2 + 1):
        u = np.cos(2 * math.pi * k * a / m)
        rows.append(np.concatenate([u, u[(-a) % m]]))
    return unit_rows(np.stack(rows))


def reference_energies(group: Group, split: Split, act: str = "sqr", memo_points: int = 256) -> dict:
    """On the training pairs of `split`: the energies of the full-table Fourier maxima (and on the full table,
    as a check: M/16) and of Thm 5's focused memorisation points w = (e_a, e_b)/sqrt(2), (a, b) training
    pairs (the first `memo_points`)."""
    m = group.order
    w_f = fourier_maxima(group)
    full = Split(train=np.arange(m * m), test=np.arange(0))
    a_all, b_all, _ = group.pairs()
    pairs = split.train[:memo_points]
    w_m = np.zeros((len(pairs), 2 * m), dtype=np.float32)
    w_m[np.arange(len(pairs)), a_all[pairs]] = 1.0
    w_m[np.arange(len(pairs)), m + b_all[pairs]] = 1.0
    return {
        "fourier_full_table": _median(node_energy(group, full, w_f, act=act)),
        "fourier_on_train": _median(node_energy(group, split, w_f, act=act)),
        "memorisation_on_train": _median(node_energy(group, split, unit_rows(w_m), act=act)),
    }
