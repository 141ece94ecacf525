"""`learnless demo` section: a small cyclic group that groks in seconds, its spectrum, and the energy maxima."""

from __future__ import annotations

import time

from learnless.grok.energy import EnergyAscent
from learnless.grok.features import analyse_features
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer


def run(quick: bool = False) -> list[dict]:
    rows = []
    spec, frac, hidden, wd, epochs = ("Z23", 0.5, 128, 1e-3, 1500) if quick else ("Z31", 0.4, 256, 1e-4, 2500)
    g = parse_group(spec)
    split = split_pairs(g, frac, seed=0)
    t0 = time.perf_counter()
    tr = GrokTrainer(hidden=hidden, lr=0.01, weight_decay=wd, epochs=epochs, stop_after_grok=100).fit(g, split)
    an = analyse_features(g, tr.model_.W.detach().numpy())
    rows.append({"capability": "grok", "what": f"train {spec}, {frac:.0%} pairs, K={hidden}, x^2, MSE, wd {wd:g}",
                 "result": f"train {tr.train_acc_:.2f} (ep {tr.memorize_epoch_}), test {tr.test_acc_:.2f} "
                           f"(grok ep {tr.grok_epoch_}); {an['concentrated_frac']:.0%} nodes on one frequency",
                 "seconds": round(time.perf_counter() - t0, 2)})
    t0 = time.perf_counter()
    asc = EnergyAscent(starts=8 if quick else 16, steps=300, starts_per_component=1).fit(g, split)
    stable = int((asc.component_stability_[1:] >= 0.9).sum())
    rows.append({"capability": "grok", "what": f"energy E(w) on {spec}'s training pairs",
                 "result": f"{stable}/{len(asc.component_stability_) - 1} frequencies are local maxima; random "
                           f"starts: {asc.analysis_['concentrated_frac']:.0%} end on one frequency",
                 "seconds": round(time.perf_counter() - t0, 2)})
    return rows
