"""Recommendation: GTE (learning-less), trained baselines, exact ranking evaluation, topological closeness."""

from learnless.errors import NotFittedError
from learnless.recommend.base import Recommender
from learnless.recommend.evaluate import PROTOCOLS, evaluate
from learnless.recommend.gte import GTE, gte_scores
from learnless.recommend.inputs import DuplicateInteractionsWarning
from learnless.recommend.models import MODELS

__all__ = ["GTE", "MODELS", "PROTOCOLS", "DuplicateInteractionsWarning", "NotFittedError", "Recommender",
           "evaluate", "gte_scores"]
