"""Cora (Planetoid public split): GCN and DGMLP (learnless.classify, default hyper-parameters) trained with
5 seeds each; last-hidden-layer embeddings compared across seeds and across the two models, absolute vs
relative (300 anchors sampled uniformly from all nodes); zero-shot stitching of a logistic-regression head
trained on run B's relative (or absolute) train-node embeddings, applied to run A's test nodes; similarity to
the best-validation run against validation accuracy.

    PYTHONPATH=src python benchmarks/relate_cora.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
from pathlib import Path

import numpy as np

from learnless.relate.metrics import compare_spaces
from learnless.relate.projection import RelativeProjection
from learnless.report import save_result
from learnless.runtime import Experiment
from learnless.runtime.experiment import ok_results

HERE = Path(__file__).parent
OUT = Path("runs/relate/cora")


def _graph(model: str):
    from learnless.classify import row_normalize
    from learnless.data import load_graph

    g = load_graph("cora")
    return row_normalize(g) if model == "gcn" else g


def train_one(config: dict, seed: int) -> dict:
    import torch

    from learnless.classify import DGMLP, GCN

    torch.set_num_threads(1)
    g = _graph(config["model"])
    model = (GCN if config["model"] == "gcn" else DGMLP)(seed=seed).fit(g)
    path = OUT / f"{config['model']}-seed{seed}.npy"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, model.embed(g))
    return {"val_acc": model.result_.val_acc, "test_acc": model.result_.test_acc, "file": str(path)}


def _stitch(za, zb, g, anchors) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    tr, te = np.flatnonzero(g.train_mask), np.flatnonzero(g.test_mask)
    out = []
    for relative in (False, True):
        xa = RelativeProjection().fit(za[anchors]).transform(za) if relative else za
        xb = RelativeProjection().fit(zb[anchors]).transform(zb) if relative else zb
        if xa.shape[1] != xb.shape[1]:  # absolute heads cannot even take the other model's width
            out.append(float("nan"))
            continue
        mu, sd = xb[tr].mean(0), xb[tr].std(0) + 1e-8  # B's own statistics only: never fitted on A
        head = LogisticRegression(max_iter=2000).fit((xb[tr] - mu) / sd, g.y[tr])
        out.append(float((head.predict((xa[te] - mu) / sd) == g.y[te]).mean()))
    return out[0], out[1]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--anchors", type=int, default=300)
    args = p.parse_args()
    os.environ.setdefault("LEARNLESS_DATA", str(HERE.parent.parent / "shared" / "data"))
    runs = ok_results(Experiment(train_one, [{"model": "gcn"}, {"model": "dgmlp"}], seeds=range(args.seeds),
                                 journal=OUT / "journal.jsonl").run())
    g = _graph("gcn")
    emb = {(r["model"], r["seed"]): np.load(r["file"]) for r in runs}
    anchors = np.sort(np.random.default_rng(0).choice(len(g.y), args.anchors, replace=False))
    pairs = []
    for (ka, za), (kb, zb) in itertools.permutations(emb.items(), 2):
        m = compare_spaces(za, zb, n_anchors=args.anchors, seed=0) if ka < kb else None
        abs_acc, rel_acc = _stitch(za, zb, g, anchors)
        row = {"encoder": f"{ka[0]}#{ka[1]}", "head": f"{kb[0]}#{kb[1]}", "cross_model": ka[0] != kb[0],
               "stitched absolute": abs_acc, "stitched relative": rel_acc}
        if m is not None:
            row.update({k: m[k] for k in ("absolute.jaccard@10", "relative.jaccard@10", "absolute.mrr",
                                          "relative.mrr", "absolute.cosine", "relative.cosine", "cka",
                                          "relative.jaccard@10.null")})
        pairs.append(row)
    table = []
    for cross in (False, True):
        sub = [r for r in pairs if r["cross_model"] == cross]
        sim = [r for r in sub if "relative.jaccard@10" in r]
        row = {"pairs": "GCN ↔ DGMLP" if cross else "same model, other seed", "n": len(sub)}
        for k in ("absolute.jaccard@10", "relative.jaccard@10", "relative.jaccard@10.null", "absolute.mrr",
                  "relative.mrr", "cka"):
            v = np.array([r[k] for r in sim])
            row[k] = "n/a (widths differ)" if np.isnan(v).all() else f"{v.mean():.3f} ± {v.std():.3f}"
        for k in ("stitched absolute", "stitched relative"):
            v = 100 * np.array([r[k] for r in sub])
            if np.isnan(v).all():
                row[k + " %"] = "n/a (widths differ)"
                continue
            row[k + " %"] = f"{v.mean():.1f} ± {v.std():.1f} (worst {v.min():.1f})"
        table.append(row)
    own = {m: [r["test_acc"] for r in runs if r["model"] == m] for m in ("gcn", "dgmlp")}
    # the paper's observation: similarity to the best-validation run tracks validation accuracy
    track = []
    for model in ("gcn", "dgmlp"):
        mine = [r for r in runs if r["model"] == model]
        best = max(mine, key=lambda r: r["val_acc"])
        for r in mine:
            if r is best:
                continue
            m = compare_spaces(emb[(model, r["seed"])], emb[(model, best["seed"])], n_anchors=args.anchors,
                               null=False)
            track.append({"model": model, "seed": r["seed"], "val_acc": r["val_acc"],
                          "relative.cosine to best": m["relative.cosine"],
                          "relative.jaccard@10 to best": m["relative.jaccard@10"]})
    corr = {}
    for model in ("gcn", "dgmlp"):
        t = [r for r in track if r["model"] == model]
        if len(t) >= 3:
            from scipy.stats import spearmanr

            corr[f"{model} spearman(val_acc, rel.cosine to best)"] = float(
                spearmanr([r["val_acc"] for r in t], [r["relative.cosine to best"] for r in t]).statistic)
    summary = {f"{m} test acc %": f"{100 * np.mean(v):.1f} ± {100 * np.std(v):.1f}" for m, v in own.items()}
    summary.update(corr)
    save_result("relate_cora", table, directory=HERE / "results", summary=summary,
                params={"seeds": args.seeds, "anchors": args.anchors, "split": "planetoid public"})
    save_result("relate_cora_pairs", pairs, directory=HERE / "results")
    save_result("relate_cora_track", track, directory=HERE / "results")
    for r in table:
        print(r)
    print(summary)


if __name__ == "__main__":
    main()
