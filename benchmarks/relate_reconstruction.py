"""Autoencoder reconstruction stitching (the paper's MSE table), absolute vs relative decoders.

    PYTHONPATH=src python benchmarks/relate_reconstruction.py [--dataset digits|mnist] [--seeds 3]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from learnless.relate.reconstruction import reconstruction
from learnless.report import save_result

HERE = Path(__file__).parent


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="digits")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=30)
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    out = Path("runs/relate") / f"reconstruction-{args.dataset}"
    rows = reconstruction(args.dataset, seeds=args.seeds, epochs=args.epochs, out=out,
                          journal=out / "journal.jsonl")
    save_result(f"relate_reconstruction_{args.dataset}", rows, directory=HERE / "results", params=vars(args))
    print(rows)


if __name__ == "__main__":
    main()
