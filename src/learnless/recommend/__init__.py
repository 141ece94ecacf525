"""Recommendation: GTE (learning-less), trained baselines, exact ranking evaluation, topological closeness.

Every model is exported here under its CLI name (GTE, ItemKNN, EASE, BPRMF, LightGCN); the baselines are
imported on first use, so `import learnless.recommend` does not load torch."""

from learnless.errors import NotFittedError
from learnless.recommend.base import Recommender
from learnless.recommend.evaluate import PROTOCOLS, evaluate
from learnless.recommend.gte import GTE, gte_scores
from learnless.recommend.inputs import DuplicateInteractionsWarning
from learnless.recommend.models import MODELS
from learnless.recommend.persist import load

_BASELINES = ("BPRMF", "EASE", "ItemKNN", "LightGCN")

__all__ = ["BPRMF", "EASE", "GTE", "MODELS", "PROTOCOLS", "DuplicateInteractionsWarning", "ItemKNN",
           "LightGCN", "NotFittedError", "Recommender", "evaluate", "gte_scores", "load"]


def __getattr__(name: str):
    if name in _BASELINES:
        from learnless.recommend import baselines

        return getattr(baselines, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
