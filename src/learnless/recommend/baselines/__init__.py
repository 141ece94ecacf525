"""Baselines on the same evaluation as GTE: ItemKNN (cosine), EASE, BPR-MF and LightGCN (PyG), both BPR-trained."""

from learnless.recommend.baselines.bprmf import BPRMF
from learnless.recommend.baselines.ease import EASE
from learnless.recommend.baselines.itemknn import ItemKNN
from learnless.recommend.baselines.lightgcn import LightGCNRecommender

__all__ = ["BPRMF", "EASE", "ItemKNN", "LightGCNRecommender"]
