"""Baselines on the same evaluation as GTE: ItemKNN (cosine), EASE, BPR-MF and LightGCN (PyG), both
BPR-trained.

Imported lazily: `from learnless.recommend.baselines import ItemKNN` does not load torch or
torch_geometric."""

from __future__ import annotations

import importlib

_WHERE = {"BPRMF": "bprmf", "EASE": "ease", "ItemKNN": "itemknn", "LightGCN": "lightgcn",
          "LightGCNRecommender": "lightgcn"}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
