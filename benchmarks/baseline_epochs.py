"""Seconds per training epoch of learnless's LightGCN and BPR-MF, before and after the speed fixes, measured
side by side in one run (same process, same machine state).

    LEARNLESS_DATA=../shared/data python benchmarks/baseline_epochs.py [--datasets amazon_beauty,gowalla]
        [--steps 20] [--threads 1,2]

For every configuration the script builds the model on the train part (validation carved out, as `fit`
does), draws one epoch of negatives (timed), runs `--steps` optimiser steps (timed) and reports
    epoch seconds = sampling + steps per epoch x seconds per step,
plus one validation (Recall@20 of the sampled validation users; timed). The "after" default is also
trained for two real epochs with `fit`, whose measured epoch time checks the extrapolation.

"before" is the code as it was: LightGCN back-propagating through PyG's LGConv (a transposed CSR product),
Adam's default multi-tensor step, batches of 2048, one thread, validation on 5000 users every epoch.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings

from _common import HERE, save_rows

sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np
import scipy.sparse as sp
import torch

from learnless.recommend.baselines import BPRMF, LightGCNRecommender
from learnless.recommend.baselines.bpr import NegativeSampler
from learnless.recommend.splits import carve_validation


class _PyGBackward(LightGCNRecommender):
    """The previous propagation: PyG LightGCN.get_embedding over the CSR adjacency (LGConv's spmm)."""

    def _propagate(self):
        return self.net_.get_embedding(self.adj_)


def configs(threads: list[int]):
    """(label, model class, batch, lr, threads, fused Adam, validation users)."""
    out = [
        ("lightgcn before: PyG LGConv backward, batch 2048, Adam", _PyGBackward, 2048, 1e-3, 1, False, 5000),
        ("lightgcn: symmetric-product backward, batch 2048", LightGCNRecommender, 2048, 1e-3, 1, False, 5000),
        ("lightgcn: + fused Adam, batch 2048", LightGCNRecommender, 2048, 1e-3, 1, True, 5000),
    ]
    out += [
        (
            f"lightgcn after: batch 8192, fused Adam, {t} thread(s)",
            LightGCNRecommender,
            8192,
            4e-3,
            t,
            True,
            2000,
        )
        for t in threads
    ]
    out += [
        ("bprmf before: batch 2048, Adam", BPRMF, 2048, 1e-3, 1, False, 5000),
        ("bprmf: fused Adam, batch 2048", BPRMF, 2048, 1e-3, 1, True, 5000),
    ]
    out += [
        (f"bprmf after: batch 8192, fused Adam, {t} thread(s)", BPRMF, 8192, 4e-3, t, True, 2000)
        for t in threads
    ]
    return out


def measure(data, label, cls, batch, lr, threads, fused, val_users, steps, seed=0):
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    R = sp.csr_matrix(data.train, dtype=np.float64)
    if data.val is not None and data.val.nnz:
        fit_part, val_part = R, sp.csr_matrix(data.val)
    else:
        fit_part, val_part = carve_validation(R, 0.1, seed)
    model = cls(batch_size=batch, lr=lr, threads=threads, val_users=val_users)
    model.fit_train_ = fit_part
    model.n_users_, model.n_items_ = R.shape
    torch.manual_seed(seed)
    model._build(fit_part)
    opt = torch.optim.Adam(model.net_.parameters(), lr=lr, fused=fused)
    coo = fit_part.tocoo()
    users, items = coo.row.astype(np.int64), coo.col.astype(np.int64)
    t = time.perf_counter()
    sampler = NegativeSampler(fit_part)
    perm = rng.permutation(users.size)
    neg = sampler.sample(users[perm], rng)
    sample_s = time.perf_counter() - t
    u, i, n = (torch.from_numpy(a) for a in (users[perm], items[perm], neg))
    n_steps = min(steps, math.ceil(users.size / batch))
    times = []
    for s in range(n_steps + 1):  # the first step warms up and is not counted
        sl = slice(s * batch, (s + 1) * batch)
        t = time.perf_counter()
        loss = model._bpr_loss(u[sl], i[sl], n[sl])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if s:
            times.append(time.perf_counter() - t)
    step_s = float(np.median(times))
    steps_per_epoch = math.ceil(users.size / batch)
    vu = np.flatnonzero(np.diff(val_part.indptr) > 0)
    vu = np.sort(rng.choice(vu, min(val_users, vu.size), replace=False))
    t = time.perf_counter()
    model._validate(fit_part, val_part, vu)
    val_s = time.perf_counter() - t
    return {
        "config": label,
        "batch": batch,
        "threads": threads,
        "steps_per_epoch": steps_per_epoch,
        "step_seconds": step_s,
        "sampling_seconds": sample_s,
        "epoch_seconds": sample_s + steps_per_epoch * step_s,
        "validation_users": int(vu.size),
        "validation_seconds": val_s,
    }


def real_epochs(data, cls, threads):
    torch.set_num_threads(threads)
    m = cls(max_epochs=2, eval_every=1, threads=threads).fit(data, val=data.val)
    return [h["train_seconds"] for h in m.history_], [h["val_seconds"] for h in m.history_]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--datasets", default="amazon_beauty,gowalla")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--markdown-only", action="store_true", help="re-render the table from the saved JSON")
    a = p.parse_args()
    if a.markdown_only:
        import json

        from _common import RESULTS

        saved = json.loads((RESULTS / "baseline_epochs.json").read_text())
        print(markdown(saved["results"], saved["summary"]["fit_check"], saved["params"]["steps_timed"]))
        return
    warnings.simplefilter("ignore")
    from learnless.data import load_interactions

    threads = [int(t) for t in a.threads.split(",")]
    rows, checks = [], []
    for ds in a.datasets.split(","):
        data = load_interactions(ds)
        for cfg in configs(threads):
            r = {"dataset": ds, **measure(data, *cfg, steps=a.steps)}
            print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}, flush=True)
            rows.append(r)
        for name, cls in (("lightgcn", LightGCNRecommender), ("bprmf", BPRMF)):
            train_s, val_s = real_epochs(data, cls, 1)
            checks.append(
                {"dataset": ds, "model": name, "fit_epoch_seconds": train_s, "fit_validation_seconds": val_s}
            )
            print(checks[-1], flush=True)
    save_rows("baseline_epochs", rows, params={"steps_timed": a.steps}, summary={"fit_check": checks},
              markdown=markdown(rows, checks, a.steps))


def markdown(rows, checks, steps) -> str:
    lines = [
        (
            f"Seconds per training epoch = negative sampling + steps per epoch x median step time ({steps} "
            "timed "
            "steps after one warm-up), and one validation (Recall@20 over the sampled validation users). "
            "All rows of a dataset measured one after another in one process on a shared 2-core machine."
        ),
        "",
        (
            "| dataset | configuration | steps / epoch | s / step | sampling s | epoch s | speed-up vs "
            "before | "
            "validation (users, s) |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    base = {}
    for r in rows:
        key = (r["dataset"], r["config"].split()[0].rstrip(":"))
        if "before" in r["config"]:
            base[key] = r["epoch_seconds"]
        ratio = base.get(key, float("nan")) / r["epoch_seconds"]
        lines.append(
            f"| {r['dataset']} | {r['config']} | {r['steps_per_epoch']} | {r['step_seconds']:.3f} | "
            f"{r['sampling_seconds']:.2f} | {r['epoch_seconds']:.1f} | {ratio:.1f}x | "
            f"{r['validation_users']}, {r['validation_seconds']:.1f} |"
        )
    lines += [
        "",
        ("Check: the defaults trained with `fit` for two epochs (1 thread), measured epoch and validation "
         "seconds:"),
        "",
        "| dataset | model | epoch seconds | validation seconds |",
        "|---|---|---|---|",
    ]
    for c in checks:
        lines.append(
            f"| {c['dataset']} | {c['model']} | {', '.join(f'{s:.1f}' for s in c['fit_epoch_seconds'])} | "
            f"{', '.join(f'{s:.1f}' for s in c['fit_validation_seconds'])} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
