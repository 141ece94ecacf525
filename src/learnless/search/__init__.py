"""Hardware-aware sub-network search (DyNAS-T / LINAS) over any super-network."""

from learnless.search.objectives import Constraint, Objective, hypervolume, pareto_mask
from learnless.search.predictors import AutoPredictor, GBTPredictor, RidgePredictor, SVRPredictor
from learnless.search.protocol import SUPERNETS, load_supernet, space_of
from learnless.search.space import SearchSpace
from learnless.search.study import Search
from learnless.search.tactics import TACTICS

__all__ = [
           "SUPERNETS",
           "TACTICS",
           "AutoPredictor",
           "Constraint",
           "GBTPredictor",
           "Objective",
           "RidgePredictor",
           "SVRPredictor",
           "Search",
           "SearchSpace",
           "hypervolume",
           "load_supernet",
           "pareto_mask",
           "space_of",
]
