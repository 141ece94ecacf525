"""Every layer of model A against every layer of model B on the same inputs: debiased linear CKA, relative
retrieval (MRR@k, Jaccard@k over a shared anchor set) and mutual-kNN alignment, each cell with a permutation
null (B's rows shuffled), a p-value and a bootstrap interval."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from learnless.errors import ConfigError, DataError


def read_layers(directory: str | Path, what: str) -> dict[str, np.ndarray]:
    """The layers of an extraction run directory (layers.json names them in order), or every .npy file of
    a directory, memory-mapped."""
    import json

    d = Path(directory)
    if not d.is_dir():
        raise ConfigError(f"{what}: {d} is not a directory (give the --out of `learnless relate extract`)")
    index = d / "layers.json"
    if index.exists():
        entries = json.loads(index.read_text())["layers"]
        files = [(e["name"], d / e["file"]) for e in entries]
    else:
        files = [(p.stem, p) for p in sorted(d.glob("*.npy"))]
    if not files:
        raise DataError(f"{what}: {d} holds no layer arrays (.npy)")
    out = {}
    for name, path in files:
        if not path.exists():
            raise DataError(f"{what}: {path}: listed in layers.json but missing")
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
        if arr.ndim != 2:
            raise DataError(f"{what}: {path}: expected a 2-D (samples, features) array, got {arr.shape}")
        out[name] = arr
    return out


def _hsic_u(kt: np.ndarray, lt: np.ndarray) -> float:
    """Song et al.'s unbiased HSIC of two Gram matrices whose diagonals are already zero."""
    n = len(kt)
    ks, ls = kt.sum(axis=0), lt.sum(axis=0)
    term = np.sum(kt * lt) + ks.sum() * ls.sum() / ((n - 1) * (n - 2)) - 2.0 / (n - 2) * ks @ ls
    return float(term / (n * (n - 3)))


def _gram(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    k = x @ x.T
    np.fill_diagonal(k, 0.0)
    return k


def _ratio(xy: float, xx: float, yy: float) -> float:
    d = np.sqrt(max(xx, 0.0) * max(yy, 0.0))
    return float(xy / d) if d > 0 else 0.0


def _ci(values, level: float) -> list[float]:
    if len(values) == 0:
        return [float("nan"), float("nan")]
    lo, hi = np.quantile(values, [(1 - level) / 2, 1 - (1 - level) / 2])
    return [float(lo), float(hi)]


def _p(raw: float, nulls: list[float]) -> float:
    return (1 + sum(v >= raw for v in nulls)) / (1 + len(nulls))


def layer_map(layers_a: dict, layers_b: dict, *, samples: int = 1000, anchors: int = 300, k: int = 10,
              permutations: int = 20, n_boot: int = 100, level: float = 0.95, seed: int = 0) -> dict:
    from learnless.relate.metrics import retrieval_rows
    from learnless.relate.projection import RelativeProjection
    from learnless.relate.streaming import knn_indices
    from learnless.runtime.progress import progress

    n = len(next(iter(layers_a.values())))
    for which, layers in (("A", layers_a), ("B", layers_b)):
        for name, arr in layers.items():
            if len(arr) != n:
                raise DataError(f"{which} layer {name!r} has {len(arr)} rows but A's first has {n}: the "
                                "layers must describe the same inputs in the same order")
    m = min(n, samples)
    if m < max(k + 2, 5):
        raise DataError(f"A and B: {m} samples are too few for k={k} (need at least {max(k + 2, 5)})")
    if anchors >= m:
        raise ConfigError(f"--anchors: {anchors} anchors need more than {anchors} samples, got {m}")
    rng = np.random.default_rng(seed)
    sub = np.sort(rng.choice(n, size=m, replace=False))
    anchor_rows = rng.choice(m, size=anchors, replace=False)
    perms = [rng.permutation(m) for _ in range(permutations)]
    boots = [np.unique(rng.integers(0, m, m)) for _ in range(n_boot)]
    row_boots = [rng.integers(0, m, m) for _ in range(n_boot)]

    def prepare(arr):
        x = np.asarray(arr[sub], dtype=np.float64)
        if not np.isfinite(x).all():
            raise DataError("a layer holds NaN or infinite values")
        g = _gram(x)
        norms = np.linalg.norm(x, axis=1)
        # a sample whose activations are all zero (every unit of a ReLU layer off) has no direction: the
        # cosine measures are left out for such a layer (NaN), CKA keeps it
        rel = (RelativeProjection().fit(x[anchor_rows]).transform(x) if (norms > 1e-12).all() else None)
        if rel is not None and (np.linalg.norm(rel, axis=1) <= 1e-12).any():
            rel = None
        return {"gram": g, "self": _hsic_u(g, g), "boot_self": [_hsic_u(g[np.ix_(b, b)], g[np.ix_(b, b)])
                                                                for b in boots],
                "rel": rel, "knn": knn_indices(x, k) if (norms > 1e-12).all() else None}

    prep_a = {name: prepare(arr) for name, arr in progress(layers_a.items(), "layers of A")}
    prep_b = {name: prepare(arr) for name, arr in progress(layers_b.items(), "layers of B")}
    cells = []
    pairs = [(na, nb) for na in prep_a for nb in prep_b]
    for na, nb in progress(pairs, "layer pairs"):
        pa, pb = prep_a[na], prep_b[nb]
        cell = {"a": na, "b": nb}
        ka, kb = pa["gram"], pb["gram"]
        raw = _ratio(_hsic_u(ka, kb), pa["self"], pb["self"])
        nulls = [_ratio(_hsic_u(ka, kb[np.ix_(p, p)]), pa["self"], pb["self"]) for p in perms]
        boot = [_ratio(_hsic_u(ka[np.ix_(b, b)], kb[np.ix_(b, b)]), sa, sb)
                for b, sa, sb in zip(boots, pa["boot_self"], pb["boot_self"])]
        cell.update({"cka": raw, "cka.null": float(np.mean(nulls)) if nulls else float("nan"),
                     "cka.p": _p(raw, nulls), "cka.ci": _ci(boot, level)})
        if pa["rel"] is not None and pb["rel"] is not None:
            rows = retrieval_rows(pa["rel"], pb["rel"], k)
            null_rows = [retrieval_rows(pa["rel"], pb["rel"][p], k) for p in perms]
            for key, label in (("rr@k", f"relative.mrr@{k}"), ("jaccard", f"relative.jaccard@{k}")):
                v = float(rows[key].mean())
                nv = [float(r[key].mean()) for r in null_rows]
                cell.update({label: v, f"{label}.null": float(np.mean(nv)) if nv else float("nan"),
                             f"{label}.p": _p(v, nv), f"{label}.ci": _ci([rows[key][b].mean()
                                                                          for b in row_boots], level)})
        if pa["knn"] is not None and pb["knn"] is not None:
            cell.update(_knn_cell(pa["knn"], pb["knn"], perms, row_boots, k, level))
        cells.append(cell)
    best = {na: max((c for c in cells if c["a"] == na), key=lambda c: c["cka"])["b"] for na in prep_a}
    return {"layers_a": list(prep_a), "layers_b": list(prep_b), "samples": m, "anchors": anchors, "k": k,
            "permutations": permutations, "bootstrap": n_boot, "level": level, "seed": seed,
            "best_b_by_cka": best, "cells": cells}


def _knn_cell(na, nb, perms, row_boots, k: int, level: float) -> dict:
    from learnless.relate.streaming import knn_overlap

    overlap = knn_overlap(na, nb)
    raw = float(overlap.mean())
    nv = []
    for p in perms:
        inv = np.empty_like(p)
        inv[p] = np.arange(len(p))
        nv.append(float(knn_overlap(na, inv[nb[p]]).mean()))
    null = float(np.mean(nv)) if nv else float("nan")
    label = f"mutual_knn@{k}"
    return {label: raw, f"{label}.null": null,
            f"{label}.calibrated": (raw - null) / (1 - null) if nv and null < 1 else float("nan"),
            f"{label}.p": _p(raw, nv), f"{label}.ci": _ci([overlap[b].mean() for b in row_boots], level)}


def heatmaps(result: dict, path: Path, title: str) -> Path:
    """One panel per measure (CKA, relative MRR@k, calibrated mutual-kNN); each row's best cell outlined."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from learnless.runtime.rundir import write_bytes_atomic

    la, lb, k = result["layers_a"], result["layers_b"], result["k"]
    measures = [("cka", "debiased linear CKA"), (f"relative.mrr@{k}", f"relative MRR@{k}"),
                (f"mutual_knn@{k}.calibrated", f"mutual-kNN@{k}, calibrated")]
    index = {(c["a"], c["b"]): c for c in result["cells"]}
    fig, axes = plt.subplots(1, 3, figsize=(5 + 1.2 * 3 * max(len(lb), 2), 1.5 + 0.55 * max(len(la), 2)),
                             squeeze=False)
    for ax, (key, label) in zip(axes[0], measures):
        grid = np.array([[index[(a, b)].get(key, np.nan) for b in lb] for a in la], dtype=float)
        im = ax.imshow(grid, cmap="viridis", vmin=0, vmax=1, aspect="auto")
        for i in range(len(la)):
            for j in range(len(lb)):
                if np.isfinite(grid[i, j]):
                    ax.text(j, i, f"{grid[i, j]:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if grid[i, j] < 0.6 else "black")
            if np.isfinite(grid[i]).any():
                j = int(np.nanargmax(grid[i]))
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", lw=1.5))
        ax.set_xticks(range(len(lb)), lb, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(len(la)), la, fontsize=7)
        ax.set_xlabel("B")
        ax.set_ylabel("A")
        ax.set_title(label, fontsize=9)
        fig.colorbar(im, ax=ax, fraction=0.046)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    import io

    buf = io.BytesIO()
    fig.savefig(buf, dpi=150, format="png")
    plt.close(fig)
    return write_bytes_atomic(path, buf.getvalue())
