"""The estimator shell shared by DGMLP and every baseline: split checks, seeding, training, prediction.

A subclass says how the graph becomes model input (`_inputs`: a precomputed n x d matrix, or the graph
itself for end-to-end GNNs) and which torch module to build (`_build`); everything else lives here, so all
models train with the same trainer on the same split.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from sklearn.base import BaseEstimator

from learnless.classify.models import GraphModule
from learnless.classify.trainer import TrainResult, train
from learnless.errors import ConfigError, DataError
from learnless.graph import Graph
from learnless.runtime import seed_everything


def split_indices(graph: Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(train, val, test) node indices of a single-split graph, without unlabelled nodes; + how many were dropped."""
    if not isinstance(graph, Graph):
        raise ConfigError(f"graph: expected a learnless Graph, got {type(graph).__name__}")
    if graph.train_mask is None or graph.val_mask is None or graph.test_mask is None:
        raise DataError(f"{graph.name}: has no train/val/test split; make one with "
                        "learnless.data.random_split(graph, n_val=500, n_test=1000, seed=seed)")
    if graph.num_splits > 1:
        raise DataError(f"{graph.name}: has {graph.num_splits} published splits; select one with graph.split(i)")
    labelled = graph.y >= 0
    out, dropped = [], 0
    for name in ("train_mask", "val_mask", "test_mask"):
        mask = getattr(graph, name)
        dropped += int((mask & ~labelled).sum())
        idx = np.flatnonzero(mask & labelled)
        if len(idx) == 0:
            what = "validation" if name == "val_mask" else name.split("_")[0]
            raise DataError(f"{graph.name}: the {what} set is empty ({name} selects no labelled node); "
                            "model selection needs labelled train and validation nodes")
        out.append(idx)
    return out[0], out[1], out[2], dropped


def check_features(graph: Graph) -> None:
    n = graph.adj.shape[0]
    if graph.x.ndim != 2 or graph.x.shape[0] != n:
        raise DataError(f"{graph.name}: features have {graph.x.shape[0]} rows but the graph has {n} nodes")
    if graph.y.shape[0] != n:
        raise DataError(f"{graph.name}: labels have {graph.y.shape[0]} entries but the graph has {n} nodes")


def _check_positive(name, value, minimum=1, integer=True):
    ok = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    if not ok or value < minimum:
        kind = "an integer" if integer else "a number"
        raise ConfigError(f"{name} must be {kind} >= {minimum}, got {value!r}")


def _check_rate(name, value):
    if not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ConfigError(f"{name} must be in [0, 1), got {value!r}")


class NodeClassifier(BaseEstimator):
    """Base class; see DGMLP or the baselines. Fitted state: `module_`, `result_` (best epoch, validation and
    test accuracy at it, history), `n_classes_`, `n_features_`."""

    def _inputs(self, graph: Graph):  # pragma: no cover - abstract
        raise NotImplementedError

    def _build(self, in_dim: int, n_classes: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def _validate(self) -> None:
        for name in ("lr",):
            if not isinstance(self.lr, (int, float)) or self.lr <= 0:
                raise ConfigError(f"{name} must be > 0, got {self.lr!r}")
        if not isinstance(self.weight_decay, (int, float)) or self.weight_decay < 0:
            raise ConfigError(f"weight_decay must be >= 0, got {self.weight_decay!r}")
        _check_positive("epochs", self.epochs)
        if getattr(self, "batch_size", None) is not None:
            _check_positive("batch_size", self.batch_size)
        for rate in ("dropout", "input_dropout"):
            if getattr(self, rate, None) is not None:
                _check_rate(rate, getattr(self, rate))

    def _param_groups(self, module):
        return None

    def _torch_inputs(self, graph: Graph, module=None, x=None):
        x = self._inputs(graph) if x is None else x
        if x is None:  # end-to-end GNN: the graph itself
            coo = graph.adj.tocoo()
            edge_index = torch.from_numpy(np.vstack([coo.row, coo.col]).astype(np.int64))
            features = torch.from_numpy(graph.x)
            module = module if module is not None else getattr(self, "module_", None)
            sparse_ok = module is None or getattr(module, "sparse_input", False)
            if sparse_ok and np.count_nonzero(graph.x) < 0.2 * graph.x.size:
                features = features.to_sparse().coalesce()
            return features, edge_index
        return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))

    def fit(self, graph: Graph, progress=None) -> NodeClassifier:
        self._validate()
        check_features(graph)
        train_idx, val_idx, test_idx, dropped = split_indices(graph)
        seed_everything(int(self.seed))
        n_classes = int(graph.y.max()) + 1
        t0 = time.perf_counter()
        x = self._inputs(graph)
        self.preprocess_seconds_ = time.perf_counter() - t0
        module = self._build(graph.x.shape[1] if x is None else x.shape[1], n_classes)
        inputs = self._torch_inputs(graph, module, x)
        self.result_: TrainResult = train(module, inputs, graph.y, train_idx, val_idx, test_idx, lr=self.lr,
                                          weight_decay=self.weight_decay, epochs=self.epochs,
                                          batch_size=getattr(self, "batch_size", None), seed=int(self.seed),
                                          param_groups=self._param_groups(module), progress=progress)
        self.module_ = module
        self.n_classes_ = n_classes
        self.n_features_ = graph.x.shape[1]
        self.unlabelled_in_split_ = dropped
        return self

    # ---- pure functions of the fitted model -------------------------------------------------------------
    def _check_fitted(self, graph: Graph):
        if not hasattr(self, "module_"):
            raise ConfigError(f"{type(self).__name__}: call fit(graph) before predicting")
        check_features(graph)
        if graph.x.shape[1] != self.n_features_:
            raise DataError(f"{graph.name}: has {graph.x.shape[1]} features, the model was fitted on "
                            f"{self.n_features_}")

    @torch.no_grad()
    def predict_proba(self, graph: Graph) -> np.ndarray:
        self._check_fitted(graph)
        self.module_.eval()
        inputs = self._torch_inputs(graph)
        logits = self.module_(*inputs) if isinstance(self.module_, GraphModule) else \
            torch.cat([self.module_(b) for b in torch.split(inputs, 65536)])
        return torch.softmax(logits, 1).numpy()

    def predict(self, graph: Graph) -> np.ndarray:
        """The predicted class of every node."""
        return self.predict_proba(graph).argmax(1)

    def score(self, graph: Graph, mask: str = "test") -> float:
        """Accuracy on the labelled nodes of `mask` ("train", "val" or "test")."""
        if mask not in ("train", "val", "test"):
            raise ConfigError(f"mask must be train, val or test, got {mask!r}")
        m = getattr(graph, f"{mask}_mask")
        if m is None or m.ndim != 1:
            raise DataError(f"{graph.name}: no single {mask} split to score on")
        idx = np.flatnonzero(m & (graph.y >= 0))
        if len(idx) == 0:
            raise DataError(f"{graph.name}: the {mask} set has no labelled node")
        return float((self.predict(graph)[idx] == graph.y[idx]).mean())

    @torch.no_grad()
    def embed(self, graph: Graph) -> np.ndarray:
        """The last hidden layer for every node (n x hidden)."""
        self._check_fitted(graph)
        self.module_.eval()
        inputs = self._torch_inputs(graph)
        if isinstance(self.module_, GraphModule):
            return self.module_.embed(*inputs).numpy()
        return torch.cat([self.module_.embed(b) for b in torch.split(inputs, 65536)]).numpy()
