"""Recommenders by name, for the CLI and the benchmarks; each class is imported only when it is made."""

from __future__ import annotations

from learnless.registry import Registry

MODELS = Registry("model", {
    "gte": "learnless.recommend.gte:GTE",
    "lightgcn": "learnless.recommend.baselines.lightgcn:LightGCN",
    "bprmf": "learnless.recommend.baselines.bprmf:BPRMF",
    "itemknn": "learnless.recommend.baselines.itemknn:ItemKNN",
    "ease": "learnless.recommend.baselines.ease:EASE",
}, capability="recommend")

TRAINED = ("lightgcn", "bprmf")  # BPR-trained: --seed and --time-budget apply


def make_model(name: str, common: dict | None = None, **params):
    """A fresh, validated recommender. `params` are the model's own hyper-parameters (unknown ones are
    refused); `common` holds settings shared across models (seed, time_budget), passed only to models that
    take them, so one `compare` command can hand the same --seed to GTE and LightGCN."""
    accepted = set(MODELS[name]._get_param_names())
    shared = {k: v for k, v in (common or {}).items() if k in accepted and v is not None and k not in params}
    return MODELS.make(name, **shared, **params)


def fit_info(model) -> dict:
    """What training did (nothing, for GTE/ItemKNN/EASE): epochs, why it stopped, best validation recall."""
    keys = ("epochs_", "best_epoch_", "stopped_by_", "best_val_recall_", "train_seconds_")
    return {k.rstrip("_"): getattr(model, k) for k in keys if hasattr(model, k)}
