"""Recommendation: GTE (learning-less), trained baselines, exact ranking evaluation, topological closeness."""

from learnless.recommend.base import NotFittedError, Recommender
from learnless.recommend.evaluate import PROTOCOLS, evaluate
from learnless.recommend.gte import GTE, gte_scores
from learnless.recommend.inputs import DuplicateInteractionsWarning

__all__ = [
           "GTE",
           "PROTOCOLS",
           "DuplicateInteractionsWarning",
           "NotFittedError",
           "Recommender",
           "evaluate",
           "gte_scores",
]
