"""Datasets: registry, loaders for every on-disk format, safe pickles, downloads, synthetic generators."""

from learnless.data.api import load, load_graph, load_interactions
from learnless.data.formats import read_format
from learnless.data.paths import data_dir
from learnless.data.registry import Dataset, RemoteFile, get_dataset, list_datasets
from learnless.data.splits import random_split
from learnless.data.synthetic import sbm_graph, user_item_graph
from learnless.data.tables import ImageSet, LatencyTable, SubnetTable, TextSet

__all__ = ["Dataset", "ImageSet", "LatencyTable", "RemoteFile", "SubnetTable", "TextSet", "data_dir", "get_dataset",
           "list_datasets", "load", "load_graph", "load_interactions", "random_split", "read_format", "sbm_graph",
           "user_item_graph"]
