"""Benchmark (Fig. 3 / Prop. 1): ||G_F|| over training, with and without weight decay, and the off-diagonal
shares (Frobenius) of the node Gram F~^T F~ (K x K) and of the sample Gram P F F^T (N x N,
P = I - 11^T/N; also P F F^T P), and the per-entry measure the reference code logs for both Grams (mean
|off-diagonal entry| / mean |diagonal entry|) and its distance of F F^T from the best a I + o 11^T
(`fit_diag_11`), against the paper's "diagonal within 8 %". The paper: M 71,
K 2048, n 2016,
eta 2e-4; CPU-sized defaults here: Z41 at 40 %, K 512,
Adam lr 5e-3, 2000 epochs. Writes benchmarks/results/grok_gf_dynamics.{json,md} and docs/img/grok_gf_norm.png.

    PYTHONPATH=src python benchmarks/grok_gf_dynamics.py [--group Z41] [--hidden 512] [--wds 0,2e-4]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.report import new_figure, save_figure, save_result

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--group", default="Z41")
    ap.add_argument("--frac", type=float, default=0.4)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--lr", type=float, default=5e-3)
    ap.add_argument("--epochs", type=int, default=2000)
    ap.add_argument("--wds", default="0,2e-4")
    args = ap.parse_args()
    g = parse_group(args.group)
    split = split_pairs(g, args.frac, seed=0)
    rows = []
    fig, axes = new_figure(6.4, 4.6)
    fig.delaxes(axes)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    for wd in (float(w) for w in args.wds.split(",")):
        t = GrokTrainer(
            hidden=args.hidden, lr=args.lr, weight_decay=wd, epochs=args.epochs, diag_every=20
        ).fit(g, split)
        d = t.diagnostics_
        ep, gf, off = np.maximum(d["epoch"], 1), np.array(d["gf_norm"]), np.array(d["offdiag_share"])
        soff, soff_sym = np.array(d["sample_offdiag_share"]), np.array(d["sample_offdiag_share_sym"])
        ratio, sratio = np.array(d["offdiag_mean_ratio"]), np.array(d["sample_offdiag_mean_ratio"])
        ideal = np.array(d["sample_dist_from_ideal"])
        peak = int(np.argmax(gf))
        at_grok = None if t.grok_epoch_ is None else int(np.searchsorted(d["epoch"], t.grok_epoch_))
        rows.append(
            {
                "weight_decay": wd,
                "gf_norm_start": gf[0],
                "gf_norm_peak": gf[peak],
                "peak_epoch": int(d["epoch"][peak]),
                "gf_norm_end": gf[-1],
                "offdiag_share_start": off[0],
                "offdiag_share_end": off[-1],
                "offdiag_share_min": float(off.min()),
                "sample_offdiag_share_start": soff[0],
                "sample_offdiag_share_at_grok": (
                    None if at_grok is None else float(soff[min(at_grok, len(soff) - 1)])
                ),
                "sample_offdiag_share_end": soff[-1],
                "sample_offdiag_share_min": float(soff.min()),
                "sample_offdiag_share_sym_end": soff_sym[-1],
                "offdiag_mean_ratio_start": ratio[0],
                "offdiag_mean_ratio_end": ratio[-1],
                "offdiag_mean_ratio_min": float(ratio.min()),
                "offdiag_mean_ratio_at_grok": (
                    None if at_grok is None else float(ratio[min(at_grok, len(ratio) - 1)])
                ),
                "sample_offdiag_mean_ratio_start": sratio[0],
                "sample_offdiag_mean_ratio_end": sratio[-1],
                "sample_offdiag_mean_ratio_min": float(sratio.min()),
                "sample_dist_from_ideal_start": ideal[0],
                "sample_dist_from_ideal_max": float(ideal.max()),
                "sample_dist_from_ideal_end": ideal[-1],
                "sample_dist_from_ideal_at_grok": (
                    None if at_grok is None else float(ideal[min(at_grok, len(ideal) - 1)])
                ),
                "grok_epoch": t.grok_epoch_,
                "test_acc": t.test_acc_,
            }
        )
        ax1.plot(ep, gf, label=f"wd {wd:g}")
        ax2.plot(ep, off, label=f"F~^T F~, wd {wd:g}")
        ax2.plot(ep, soff, "--", label=f"P F F^T, wd {wd:g}")
        ax2.plot(ep, ratio, ":", label=f"F~^T F~ per entry, wd {wd:g}")
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_ylabel("||G_F||")
    ax1.legend(fontsize=7)
    ax1.set_title(f"{g.name}, {args.frac:.0%} pairs, K={args.hidden}, Adam lr {args.lr:g}", fontsize=9)
    ax2.axhline(0.08, color="k", lw=0.6, ls=":")
    ax2.legend(fontsize=6)
    ax2.set_ylabel("off-diagonal share / ratio")
    ax2.set_xlabel("epoch (log scale)")
    save_figure(fig, ROOT / "docs" / "img" / "grok_gf_norm.png")
    save_result(
        "grok_gf_dynamics",
        rows,
        directory=ROOT / "benchmarks" / "results",
        params=vars(args),
    )
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
