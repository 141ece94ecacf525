"""Zero-shot classification stitching (MLP and small CNN, absolute vs relative heads) on scikit-learn's
digits and on the 10,000 MNIST test images (split 8,000 / 2,000: the training set is not available offline).

    PYTHONPATH=src python benchmarks/relate_stitching.py [--dataset digits|mnist|mnist1d] [--seeds 5]
        [--epochs N] [--anchors 300] [--arch mlp cnn] [--head mlp|paper]

`--head paper` trains the paper's vision-stitching head (`make_head`) instead of the default MLP head.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from learnless.relate.experiments import stitching
from learnless.relate.plots import stitching_matrix
from learnless.report import save_result

HERE = Path(__file__).parent


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="digits")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--anchors", type=int, default=300)
    p.add_argument("--arch", nargs="+", default=["mlp", "cnn"])
    p.add_argument("--device", default="cpu")
    p.add_argument("--head", default="mlp", choices=["mlp", "paper"])
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    # a subset of architectures (or other epochs) is a separate result, not a replacement of the main one
    tag = "" if args.arch == ["mlp", "cnn"] else "_" + "_".join(args.arch)
    tag += f"_e{args.epochs}" if tag and args.epochs else ""
    tag += f"_a{args.anchors}" if args.anchors != 300 else ""
    tag += f"_{args.head}head" if args.head != "mlp" else ""
    out = Path("runs/relate") / f"stitching-{args.dataset}{tag}"
    r = stitching(args.dataset, archs=tuple(args.arch), seeds=args.seeds, n_anchors=args.anchors,
                  epochs=args.epochs, out=out, journal=out / "journal.jsonl", device=args.device,
                  head=args.head)
    name = f"relate_stitching_{args.dataset}{tag}"
    save_result(name, r["summary"], directory=HERE / "results", summary=r["numbers"],
                params={"dataset": args.dataset, "seeds": args.seeds, "anchors": args.anchors,
                        "epochs": args.epochs, "archs": args.arch, "head": args.head})
    save_result(name + "_pairs", r["pairs"], directory=HERE / "results")
    stitching_matrix(r["pairs"], HERE.parent / "docs" / "img" / f"{name}.png",
                     f"zero-shot stitching on {args.dataset}: accuracy of head (column) on encoder (row)")
    print(r["summary"])


if __name__ == "__main__":
    main()
