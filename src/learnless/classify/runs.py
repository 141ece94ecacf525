"""Seed runs: one model over seeds on one graph, as a `learnless.runtime.Experiment` (journaled, resumable,
local or Ray executor). Used by `learnless classify run` and by the benchmarks.

Seeds and splits: on a graph with several published splits, seed i uses split i (asking for more seeds than
there are splits is an error); on a graph without a split, seed i draws a seeded random split — the one a
split spec asks for (`learnless.classify.splits`; the CLI defaults to 20 / 30 per class), or without a spec
Planetoid sizes: 20 per class / 500 / 1000; a single published split is used by every seed. The seed always
also drives initialisation and dropout.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import partial

import numpy as np

from learnless.errors import ConfigError

# --set keys that are not estimator parameters: feature preprocessing applied to the graph first
EXTRA_KEYS = ("row_normalize",)


def model_class(model: str) -> type:
    """The estimator class of a model name; "dgmlp-paper" / "dgmlp-released" (preset keys) are DGMLP."""
    from learnless.classify import MODELS

    return MODELS[str(model).split("-")[0]]


def make_estimator(model: str, params: dict):
    """A validated estimator of `model` with `params` (minus the EXTRA_KEYS); ConfigError names bad ones."""
    from learnless.classify import MODELS

    name, _, variant = str(model).partition("-")
    params = {k: v for k, v in params.items() if k not in EXTRA_KEYS}
    if name == "dgmlp" and variant and "variant" not in params:  # "dgmlp-paper": the paper's variant
        params["variant"] = variant
    return MODELS.make(name, **params)


def seed_list(seeds: int | Iterable[int], first: int = 0) -> list[int]:
    """`seeds` as a list: a count N means first, first+1, ..., first+N-1."""
    if isinstance(seeds, (int, np.integer)):
        if seeds < 1:
            raise ConfigError(f"seeds: must be >= 1, got {seeds}")
        return list(range(int(first), int(first) + int(seeds)))
    out = [int(s) for s in seeds]
    if not out:
        raise ConfigError("seeds: no seed given")
    return out


def check_seeds(graph, seeds: list[int]) -> None:
    """Refuse seeds beyond a graph's published splits (seed i uses split i): reusing a split would count the
    same split twice in the mean and the spread."""
    n = graph.num_splits
    if n > 1 and (max(seeds) >= n or min(seeds) < 0):
        raise ConfigError(
            f"--seeds: {graph.name} has {n} published splits and seed i uses split i, so seeds "
            f"0..{n - 1} exist; asked for seeds {min(seeds)}..{max(seeds)}"
        )


def graph_for_seed(graph, seed: int, split: dict | None = None):
    """(graph with one split selected, a description of the split) for `seed`; see the module docstring.
    `split`: a spec from `learnless.classify.splits.resolve_split` (None: published, else Planetoid)."""
    from learnless.classify.splits import apply_split, describe
    from learnless.data.splits import random_split

    if split is not None and split["kind"] != "published":
        return apply_split(graph, split, seed), describe(split, seed)
    if graph.train_mask is None:
        split = random_split(graph, train_per_class=20, n_val=500, n_test=1000, seed=seed)
        return split, f"random split (seed {seed}, 20 per class / 500 / 1000)"
    if graph.num_splits > 1:
        check_seeds(graph, [seed])
        return graph.split(seed), f"published split {seed}"
    return graph, "published split"


def split_label(split: dict | None, per_seed: set[str]) -> str:
    if split is not None and split["kind"] != "published":
        from learnless.classify.splits import describe

        return describe(split)
    return ", ".join(sorted(per_seed)) if len(per_seed) < 4 else f"{len(per_seed)} splits"


def fit_seed(graph, config: dict, seed: int, device: str = "cpu") -> dict:
    """One unit of a seed run (module level, so worker processes can receive it): fit, report the split's
    validation and test accuracy at the best validation epoch."""
    from learnless.runtime.progress import track

    est = make_estimator(config["model"], {**config["params"], "seed": seed})
    g, split = graph_for_seed(graph, seed, config.get("split"))
    with track(f"{config['model']} seed {seed}", total=est.epochs) as bar:
        r = est.fit(g, progress=lambda epoch: bar.advance(), device=device).result_
    out = {
        "seed": seed,
        "split": split,
        "val_acc": r.val_acc,
        "test_acc": r.test_acc,
        "best_epoch": r.best_epoch,
        "seconds": r.seconds,
    }
    if hasattr(est, "choice_"):  # model "auto": what it chose on this seed's validation set, and why
        out.update(choice=est.choice_, ensemble=est.ensemble_, reason=est.reason_,
                   search_seconds=est.search_seconds_)
    return out


def seed_unit(config: dict, seed: int, graph, split: dict | None = None, device: str = "cpu") -> dict:
    """`fit_seed` as an Experiment unit: the graph arrives as the experiment's shared data."""
    return fit_seed(graph, {**config, "split": split}, seed, device)


def run_model(
    graph,
    model: str,
    params: dict,
    seeds: int | Iterable[int],
    progress_desc: str | None = None,
    *,
    first_seed: int = 0,
    journal=None,
    executor=None,
    split: dict | None = None,
    device: str = "cpu",
) -> dict:
    """Fit `model` once per seed; mean ± std of the test accuracy at the best validation epoch.

    `params` may hold `row_normalize=True` (Kipf & Welling's feature preprocessing, as some presets ask).
    With `journal` (a path or Journal), finished seeds are recorded as they complete and not run again.
    `split`: a spec from `learnless.classify.splits.resolve_split` (None: the module docstring's default);
    `device`: where the trainer puts module and tensors ("cpu" or "cuda")."""
    from learnless.classify.transforms import row_normalize
    from learnless.runtime.experiment import Experiment

    params = dict(params)
    est = make_estimator(model, params)  # validates before any work
    seeds = seed_list(seeds, first_seed)
    if split is None or split["kind"] == "published":
        check_seeds(graph, seeds)
    if params.get("row_normalize", False):
        graph = row_normalize(graph)
    est.check_memory(graph)
    resolved = {k: v for k, v in est.get_params(deep=False).items() if k != "seed"}
    config = {
        "graph": graph.name,
        "nodes": graph.num_nodes,
        "model": model,
        "params": resolved,
        "row_normalize": bool(params.get("row_normalize", False)),
    }
    start = time.perf_counter()
    # the runtime keys each seed by this config, the split and the graph's content; the device is no key
    records = Experiment(
        partial(seed_unit, split=split, device=device),
        [config],
        seeds,
        shared=graph,
        split=split,
        journal=journal,
        executor=executor,
        description=progress_desc or f"{model} seeds",
    ).run()
    per_seed = [r["result"] for r in records]
    splits = {p["split"].split(" (")[0] if "random" in p["split"] else p["split"] for p in per_seed}
    test = np.array([p["test_acc"] for p in per_seed])
    val = np.array([p["val_acc"] for p in per_seed])
    return {
        "model": model,
        "test_acc_mean": float(test.mean()),
        "test_acc_std": float(test.std()),
        "val_acc_mean": float(val.mean()),
        "seconds": time.perf_counter() - start,
        "seeds": len(seeds),
        "split": split_label(split, splits),
        "per_seed": per_seed,
        "params": resolved,
    }
