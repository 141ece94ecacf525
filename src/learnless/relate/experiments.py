"""The experiments behind `learnless relate ...`: each runs its seeds through the Experiment runner and
returns rows for the report layer."""

from __future__ import annotations

from pathlib import Path

import numpy as np

EPOCHS = {"digits": 40, "mnist": 8, "mnist1d": 60}  # default training epochs per dataset


def _mean_std(values) -> str:
    v = np.asarray([x for x in values if not np.isnan(x)], dtype=float)
    if len(v) == 0:
        return "n/a"
    return f"{100 * v.mean():.1f} ± {100 * v.std():.1f}"


def stitching(
    dataset: str = "digits",
    archs=("mlp", "cnn"),
    seeds: int = 5,
    n_anchors: int = 300,
    latent: int = 64,
    epochs: int | None = None,
    out: str | Path = "runs/relate/stitching",
    executor=None,
    journal: str | Path | None = None,
    device: str = "cpu",
    head: str = "mlp",
    translators=(),
    first_seed: int = 0,
) -> dict:
    """Train every (arch, space, seed) for seeds first_seed .. first_seed + seeds - 1; stitch every ordered
    pair; return {"models", "pairs", "summary"}.
    head: `make_head`'s kind; translators: also stitch the absolute models through these maps fitted on
    the anchors (`stitch_table`)."""
    from learnless.relate.anchors import sample_anchors
    from learnless.relate.stitching import load_images, stitch_table, train_model
    from learnless.runtime import Experiment
    from learnless.runtime.experiment import ok_results
    from learnless.runtime.identity import fingerprint

    xtr, ytr, _, yte = load_images(dataset)
    idx = sample_anchors(np.zeros((len(xtr), 1)), n_anchors, "stratified", labels=ytr, seed=0)
    epochs = epochs or EPOCHS[dataset]
    configs = [
        {
            "dataset": dataset,
            "arch": a,
            "space": s,
            "latent": latent,
            "epochs": epochs,
            "anchor_idx": idx.tolist(),
            "out": str(Path(out) / "models"),
            # the defaults stay out of the config: it keys the journal of earlier runs
            **({"device": device} if device != "cpu" else {}),
            **({"head": head} if head != "mlp" else {}),
        }
        for a in archs
        for s in ("absolute", "relative")
    ]
    records = Experiment(
        train_model,
        configs,
        seeds=range(first_seed, first_seed + seeds),
        data=fingerprint(load_images(dataset)),  # the images every unit trains on, by content
        journal=journal,
        executor=executor,
        description=f"training on {dataset}",
    ).run()
    models = ok_results(records)
    pairs = stitch_table(models, yte, translators)
    spaces = ("absolute", "relative", *(f"absolute+{t}" for t in translators))
    summary = []
    for space in spaces:
        own = [m["accuracy"] for m in models if m["space"] == space.split("+")[0]]
        same = [p["accuracy"] for p in pairs if p["space"] == space and not p["cross_arch"]]
        cross = [p["accuracy"] for p in pairs if p["space"] == space and p["cross_arch"]]
        row = {
            "dataset": dataset,
            "space": space,
            "non-stitched %": _mean_std(own),
            "stitched, same arch %": _mean_std(same),
            "worst same-arch pair %": f"{100 * min(same):.1f}" if same else "n/a",
            "stitched, across arch %": _mean_std(cross),
            "worst cross-arch pair %": f"{100 * np.nanmin(cross):.1f}" if cross else "n/a",
            "pairs": len(same) + len(cross),
        }
        for arch in archs:
            row[f"{arch} non-stitched %"] = _mean_std(
                [m["accuracy"] for m in models if m["space"] == space.split("+")[0] and m["arch"] == arch]
            )
        summary.append(row)
    numbers = {}
    for space in spaces:
        own = np.mean([m["accuracy"] for m in models if m["space"] == space.split("+")[0]])
        same = [p["accuracy"] for p in pairs if p["space"] == space and not p["cross_arch"]]
        cross = [p["accuracy"] for p in pairs if p["space"] == space and p["cross_arch"]]
        numbers[f"{space}.non_stitched"] = float(own)
        numbers[f"{space}.stitched_mean"] = float(np.mean(same)) if same else float("nan")
        numbers[f"{space}.stitched_worst"] = float(np.min(same)) if same else float("nan")
        numbers[f"{space}.cross_arch_mean"] = float(np.mean(cross)) if cross else float("nan")
    return {"models": models, "pairs": pairs, "summary": summary, "numbers": numbers}


def invariance(seeds: int = 5, n: int = 2000, dim: int = 64, n_anchors: int = 300,
               first_seed: int = 0) -> list[dict]:
    """Max |rel(x) - rel(T x)| under a random orthogonal map + rescale (and a translation with
    center=True)."""
    from scipy.stats import ortho_group

    from learnless.relate.projection import RelativeProjection

    rows = []
    for seed in range(first_seed, first_seed + seeds):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(n, dim)) + 0.5
        q = ortho_group.rvs(dim, random_state=seed)
        scale, shift = float(rng.uniform(0.1, 10)), rng.normal(size=dim) * 5
        a_idx = rng.choice(n, n_anchors, replace=False)
        for center in (False, True):
            for what, y in (("rotation + rescale", scale * x @ q), ("+ translation", scale * x @ q + shift)):
                p, r = RelativeProjection(center=center), RelativeProjection(center=center)
                d = np.abs(p.fit(x[a_idx]).transform(x) - r.fit(y[a_idx]).transform(y)).max()
                rows.append({"seed": seed, "center": center, "transform": what, "max_abs_diff": float(d)})
    return rows
