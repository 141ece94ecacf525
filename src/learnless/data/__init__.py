"""Datasets: registry, loaders for every on-disk format, safe pickles, downloads, synthetic generators."""

from learnless.data.api import load, load_graph, load_interactions
from learnless.data.paths import data_dir
from learnless.data.registry import Dataset, RemoteFile, get_dataset, list_datasets
from learnless.data.synthetic import sbm_graph, user_item_graph

__all__ = [
           "Dataset",
           "RemoteFile",
           "data_dir",
           "get_dataset",
           "list_datasets",
           "load",
           "load_graph",
           "load_interactions",
           "sbm_graph",
           "user_item_graph",
]
