"""Benchmark: one untuned run per trainer variant — optimisers, the ridge-solved top layer, activation, loss —
on Z31 at 40 % of the pairs (K 256, lr 0.01, wd 1e-3 unless the variant says otherwise, 2000 epochs, seed 0,
the reference code's label-centred MSE). A smoke comparison of what trains and what groks, not a study.
Writes benchmarks/results/grok_variants.{json,md}.

    PYTHONPATH=src python benchmarks/grok_variants.py
"""

from __future__ import annotations

from pathlib import Path

from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result

ROOT = Path(__file__).resolve().parents[1]
BASE = {"hidden": 256, "lr": 0.01, "weight_decay": 1e-3, "epochs": 2000, "centring": "label", "seed": 0}
VARIANTS = [
    ("Adam (default)", {}),
    ("ridge top layer, eta = 1 (only W trained, Adam)", {"ridge": 1.0}),
    ("ridge top layer, eta = 10", {"ridge": 10.0}),
    ("Muon on W (lr 0.01, decoupled wd 0.1) + Adam on V", {"optimizer": "muon", "muon_weight_decay": 0.1}),
    ("AdamW (wd 0.1)", {"optimizer": "adamw", "weight_decay": 0.1}),
    ("SGD momentum 0.9, lr 0.1", {"optimizer": "sgd", "lr": 0.1}),
    ("ReLU instead of x^2", {"act": "relu"}),
    ("cross-entropy instead of MSE", {"loss": "ce"}),
]


def main() -> None:
    g = parse_group("Z31")
    split = split_pairs(g, 0.4, seed=0)
    rows = []
    for name, kw in VARIANTS:
        t = GrokTrainer(**(BASE | kw)).fit(g, split)
        rows.append({"setting": name, "memorize_epoch": t.memorize_epoch_, "grok_epoch": t.grok_epoch_,
                     "train_acc": round(t.train_acc_, 3), "test_acc": round(t.test_acc_, 3),
                     "seconds": round(t.seconds_, 1)})
        print(rows[-1], flush=True)
    save_result("grok_variants", rows, directory=ROOT / "benchmarks" / "results",
                params={"group": "Z31", "train_frac": 0.4, **BASE, "variants": dict(VARIANTS)})


if __name__ == "__main__":
    main()
