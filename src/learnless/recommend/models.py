"""Models by name, for the CLI and the benchmarks."""

from __future__ import annotations

from learnless.errors import ConfigError

MODELS = ("gte", "lightgcn", "bprmf", "itemknn", "ease")


def make_model(name: str, k: int = 3, time_budget: float | None = None, max_epochs: int = 1000,
               seed: int = 0, **kwargs):
    """A fresh estimator. `k` is GTE's layer count; `time_budget` (seconds) and `max_epochs` bound training."""
    from learnless.recommend.baselines import BPRMF, EASE, ItemKNN, LightGCNRecommender
    from learnless.recommend.gte import GTE

    name = name.lower()
    if name == "gte":
        return GTE(k=k)
    if name == "itemknn":
        return ItemKNN(**kwargs)
    if name == "ease":
        return EASE(**kwargs)
    if name == "bprmf":
        return BPRMF(time_budget=time_budget, max_epochs=max_epochs, seed=seed, **kwargs)
    if name == "lightgcn":
        return LightGCNRecommender(time_budget=time_budget, max_epochs=max_epochs, seed=seed, **kwargs)
    raise ConfigError(f"model: unknown {name!r}; expected one of {', '.join(MODELS)}")


def fit_info(model) -> dict:
    """What training did (nothing, for GTE/ItemKNN/EASE): epochs, why it stopped, best validation recall."""
    keys = ("epochs_", "best_epoch_", "stopped_by_", "best_val_recall_", "train_seconds_")
    return {k.rstrip("_"): getattr(model, k) for k in keys if hasattr(model, k)}
