"""Benchmark (Thm 8 / §5.3): Muon vs Adam — how many distinct irreducible components (frequencies of Z_M) the
hidden nodes cover at the end of training, and when the model groks. Muon trains W (torch.optim.Muon), Adam
the top layer. Writes benchmarks/results/grok_muon.{json,md}. CPU-sized: Z41 at 40 %, K 256, 2 seeds.

    PYTHONPATH=src python benchmarks/grok_muon.py [--group Z41] [--seeds 2] [--muon-lr 0.02]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from learnless.grok.features import analyse_features
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--group", default="Z41")
    ap.add_argument("--frac", type=float, default=0.4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--adam-lr", type=float, default=0.01)
    ap.add_argument("--muon-lr", type=float, default=0.02)
    ap.add_argument("--epochs", type=int, default=1500)
    args = ap.parse_args()
    load0 = os.getloadavg()
    g = parse_group(args.group)
    rows = []
    for opt, lr in (("adam", args.adam_lr), ("muon", args.muon_lr)):
        for seed in range(args.seeds):
            split = split_pairs(g, args.frac, seed=seed)
            t = GrokTrainer(hidden=args.hidden, optimizer=opt, lr=lr, epochs=args.epochs, seed=seed,
                            diag_every=100).fit(g, split)
            an = analyse_features(g, t.model_.W.detach().numpy())
            rows.append({"optimizer": opt, "lr": lr, "seed": seed, "grok_epoch": t.grok_epoch_,
                         "test_acc": t.test_acc_, "components_covered": an["n_emerged"],
                         "components_total": len(g.components) - 1,
                         "concentrated_frac": an["concentrated_frac"]})
            print(rows[-1], flush=True)
    save_result("grok_muon", rows, directory=ROOT / "benchmarks" / "results",
                params={**vars(args), "load_at_start": load0})


if __name__ == "__main__":
    main()
