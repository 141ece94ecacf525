"""Which train/validation/test split a seed run uses, resolved and checked before any training.

A split spec is a plain dict (so it goes into a run's params and journal keys):

- `{"kind": "published"}`: the dataset's own split (seed i uses split i when there are several);
- `{"kind": "planetoid", "train_per_class", "n_val", "n_test"}`: Kipf & Welling's protocol, per seed a random
  `train_per_class` nodes per class, then `n_val` validation and `n_test` test nodes from the rest;
- `{"kind": "per-class", "train_per_class", "val_per_class", "n_test"}`: Shchur et al. (2018), per seed
  `train_per_class` and `val_per_class` nodes per class, then `n_test` test nodes from the rest (None: all).

`resolve_split` refuses requests the labels cannot satisfy with a ConfigError naming the option, so a user's
small graph fails in one line before anything is propagated.
"""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError

KINDS = ("planetoid", "per-class")
PLANETOID_VAL = 500
PLANETOID_TEST = 1000


def resolve_split(
    graph,
    split: str | None = None,
    train_per_class: int | None = None,
    val_per_class: int | None = None,
    test_size: int | None = None,
) -> dict:
    """The split spec for `graph`: `split=None` keeps a published split and otherwise draws 20 / 30 per class
    (the rest is the test set); an explicit `split` replaces a published one. Option names in errors are
    the CLI's (--split, --train-per-class, --val-per-class, --test-size)."""
    check_split_options(split, train_per_class, val_per_class, test_size)
    if split is None and graph.train_mask is not None:
        given = [
            o
            for o, v in (
                ("--train-per-class", train_per_class),
                ("--val-per-class", val_per_class),
                ("--test-size", test_size),
            )
            if v is not None
        ]
        if given:
            raise ConfigError(
                f"{given[0]}: {graph.name} has a published split, which is used unless --split is given"
            )
        return {"kind": "published"}
    kind = split or "per-class"
    train = 20 if train_per_class is None else int(train_per_class)
    val = 0 if kind == "planetoid" else (30 if val_per_class is None else int(val_per_class))
    n_test = PLANETOID_TEST if kind == "planetoid" and test_size is None else test_size
    spec = {"kind": kind, "train_per_class": train}
    spec.update({"n_val": PLANETOID_VAL} if kind == "planetoid" else {"val_per_class": val})
    spec["n_test"] = None if n_test is None else int(n_test)
    _check_feasible(graph, spec, default_test=test_size is None)
    return spec


def check_split_options(split, train_per_class=None, val_per_class=None, test_size=None) -> None:
    """The checks that need no data (so the CLI runs them before loading the graph)."""
    if split is not None and split not in KINDS:
        raise ConfigError(f"--split: must be one of {', '.join(KINDS)}, got {split!r}")
    for option, value in (
        ("--train-per-class", train_per_class),
        ("--val-per-class", val_per_class),
        ("--test-size", test_size),
    ):
        if value is not None and value < 1:
            raise ConfigError(f"{option}: must be >= 1, got {value}")
    if split == "planetoid" and val_per_class is not None:
        raise ConfigError(
            f"--val-per-class: applies to --split per-class; planetoid validates on {PLANETOID_VAL} nodes"
        )


def _check_feasible(graph, spec: dict, default_test: bool = False) -> None:
    y = np.asarray(graph.y)
    classes, counts = np.unique(y[y >= 0], return_counts=True)
    if len(classes) == 0:
        raise ConfigError(f"--split: {graph.name} has no labelled node to split")
    if len(classes) == 1:
        raise DataError(f"{graph.name}: labels: every labelled node is in class {int(classes[0])}; "
                        "classifying needs at least 2 classes")
    train, val = spec["train_per_class"], spec.get("val_per_class", 0)
    need = train + val
    small = int(np.argmin(counts))
    if counts[small] < need:
        options = "--train-per-class" if spec["kind"] == "planetoid" else "--train-per-class/--val-per-class"
        raise ConfigError(
            f"{options}: class {int(classes[small])} of {graph.name} has {int(counts[small])} labelled "
            f"nodes, fewer than the {need} asked per class ({describe(spec)}); ask for fewer"
        )
    rest = int(counts.sum()) - need * len(classes) - spec.get("n_val", 0)
    if spec["kind"] == "planetoid" and rest < 0:
        raise ConfigError(
            f"--split planetoid: {graph.name} has {int(counts.sum())} labelled nodes, too few for "
            f"{train} per class + {spec['n_val']} validation nodes; use --split per-class"
        )
    n_test = spec["n_test"]
    if n_test is not None and n_test > rest:
        raise ConfigError(
            f"--test-size: {n_test} test nodes asked{' (the planetoid default)' if default_test else ''} "
            f"but {graph.name} has {max(rest, 0)} labelled nodes left after training and validation"
        )
    if rest < 1:
        raise ConfigError(
            f"--train-per-class/--val-per-class: no labelled node of {graph.name} is left for the test set"
        )


def describe(spec: dict, seed: int | None = None) -> str:
    """A short human description, e.g. "per-class split (20 / 30 per class, test: the rest)"."""
    if spec["kind"] == "published":
        return "published split"
    test = "the rest" if spec["n_test"] is None else str(spec["n_test"])
    at = f"seed {seed}, " if seed is not None else ""
    if spec["kind"] == "planetoid":
        return f"planetoid split ({at}{spec['train_per_class']} per class / {spec['n_val']} / {test})"
    return (
        f"per-class split ({at}{spec['train_per_class']} / {spec['val_per_class']} per class, test: {test})"
    )


def apply_split(graph, spec: dict, seed: int):
    """`graph` with the split of `spec` for `seed` selected (a random one drawn with that seed)."""
    from learnless.data.splits import random_split

    if spec["kind"] == "planetoid":
        return random_split(
            graph,
            train_per_class=spec["train_per_class"],
            n_val=spec["n_val"],
            n_test=spec["n_test"],
            seed=seed,
        )
    return random_split(
        graph,
        train_per_class=spec["train_per_class"],
        val_per_class=spec["val_per_class"],
        n_test=spec["n_test"],
        seed=seed,
    )
