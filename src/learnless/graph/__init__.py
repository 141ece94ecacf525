"""Graph containers and the sparse kernels shared by every capability."""

from learnless.graph.containers import Graph, Interactions
from learnless.graph.normalize import normalize_adjacency
from learnless.graph.propagate import propagate
from learnless.graph.wl import wl_colors

__all__ = ["Graph", "Interactions", "normalize_adjacency", "propagate", "wl_colors"]
