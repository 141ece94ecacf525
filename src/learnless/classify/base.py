"""The estimator shell shared by DGMLP and every baseline: split checks, seeding, training, prediction.

A subclass says how the graph becomes model input (`_inputs`: a precomputed n x d matrix, or the graph
itself for end-to-end GNNs) and which torch module to build (`_build`); everything else lives here, so all
models train with the same trainer on the same split.
"""

from __future__ import annotations

import time
from typing import ClassVar

import numpy as np
import torch

from learnless.base import (
    Estimator,
    Integral,
    Interval,
    StrOptions,
    non_negative,
    positive,
    positive_int,
    rate,
    seed_constraint,
)
from learnless.classify.models import GraphModule
from learnless.classify.trainer import TrainResult, train
from learnless.errors import ConfigError, DataError
from learnless.graph import Graph
from learnless.runtime import seed_everything

# a propagation depth or a number of hops: an integer >= 0
depth = Interval(Integral, 0, None, closed="left")


def split_indices(graph: Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(train, val, test) node indices of a single-split graph, without unlabelled nodes; + how many were
    dropped."""
    if not isinstance(graph, Graph):
        raise ConfigError(f"graph: expected a learnless Graph, got {type(graph).__name__}")
    if graph.train_mask is None or graph.val_mask is None or graph.test_mask is None:
        raise DataError(
            f"{graph.name}: has no train/val/test split; make one with "
            "learnless.data.random_split(graph, n_val=500, n_test=1000, seed=seed)"
        )
    if graph.num_splits > 1:
        raise DataError(
            f"{graph.name}: has {graph.num_splits} published splits; select one with graph.split(i)"
        )
    labelled = graph.y >= 0
    out, dropped = [], 0
    for name in ("train_mask", "val_mask", "test_mask"):
        mask = getattr(graph, name)
        dropped += int((mask & ~labelled).sum())
        idx = np.flatnonzero(mask & labelled)
        if len(idx) == 0:
            what = "validation" if name == "val_mask" else name.split("_")[0]
            raise DataError(
                f"{graph.name}: the {what} set is empty ({name} selects no labelled node); "
                "model selection needs labelled train and validation nodes"
            )
        out.append(idx)
    return out[0], out[1], out[2], dropped


def check_features(graph: Graph) -> None:
    n = graph.adj.shape[0]
    if graph.x.ndim != 2 or graph.x.shape[0] != n:
        raise DataError(f"{graph.name}: features have {graph.x.shape[0]} rows but the graph has {n} nodes")
    if graph.y.shape[0] != n:
        raise DataError(f"{graph.name}: labels have {graph.y.shape[0]} entries but the graph has {n} nodes")
    classes = np.unique(graph.y[graph.y >= 0])
    if len(classes) < 2:  # one class: every prediction is right, and the accuracy says nothing
        only = f"class {int(classes[0])}" if len(classes) else "no class"
        raise DataError(f"{graph.name}: every labelled node has {only}; classification needs at least 2 "
                        "classes")


class NodeClassifier(Estimator):
    """Base class; see DGMLP or the baselines. Fitted state: `module_`, `result_` (best epoch, validation and
    test accuracy at it, history), `n_classes_`, `n_features_`."""

    _abstract = True
    # Shared by every model; a subclass adds its own (the base's entries apply where the parameter exists).
    _parameter_constraints: ClassVar[dict] = {
        "lr": [positive],
        "weight_decay": [non_negative],
        "epochs": [positive_int],
        "batch_size": [positive_int, None],
        "dropout": [rate],
        "input_dropout": [rate, None],
        "hidden": [positive_int],
        "seed": [seed_constraint],
        "post": [StrOptions({"cs", "lp"}), None],  # decoupled models: label post-processing (classify.post)
    }

    def _inputs(self, graph: Graph):  # pragma: no cover - abstract
        """The model input: an n x d matrix, or None for end-to-end GNNs (which take the graph). Pure."""
        raise NotImplementedError

    def _fit_inputs(self, graph: Graph):
        """`_inputs` at fit time: a subclass that learns state from them (DGMLP's hop weights) sets it
        here."""
        return self._inputs(graph)

    def _build(self, in_dim: int, n_classes: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def input_bytes(self, n_nodes: int, n_features: int) -> int:
        """Bytes of the model input this estimator builds for a graph of this size (the part that grows with
        the propagation depth): knowable before any propagation."""
        return 4 * int(n_nodes) * int(n_features)

    def memory_bytes(self, graph, n_features: int | None = None, n_classes: int | None = None) -> int:
        """Bytes of fitting on `graph` (or on a graph of `graph` nodes and `n_features` features): the model
        input, plus the weights with their gradients and Adam's two moments, plus the activations kept for
        the backward pass. From the hyper-parameters and the shapes only, so too-large requests are refused
        before anything is propagated."""
        if n_features is None:
            n, f = graph.x.shape
            n_classes = int(graph.y.max()) + 1 if n_classes is None and len(graph.y) else n_classes
        else:
            n, f = int(graph), int(n_features)
        return self.input_bytes(n, f) + self._training_bytes(int(n), int(f), int(n_classes or 2))

    def _depth(self) -> int:
        """Weight layers of the trained module."""
        for name in ("trans_depth", "layers", "depth"):
            value = getattr(self, name, None)
            if isinstance(value, int):
                return max(value, 1)
        return 2

    def _training_bytes(self, n: int, f: int, classes: int) -> int:
        hidden = getattr(self, "hidden", None)
        depth = self._depth()
        if not isinstance(hidden, int) or depth == 1:  # no hidden layer: f x classes
            params, width = f * classes, classes
        else:
            params, width = f * hidden + hidden * hidden * (depth - 2) + hidden * classes, hidden
        rows = n if getattr(self, "batch_size", None) is None else min(n, int(self.batch_size))
        return 4 * (4 * params + 2 * rows * width * depth)

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

    def fit(self, graph: Graph, progress=None, device: str = "cpu", monitor=None) -> NodeClassifier:
        """Train on `graph`'s split; `progress(epoch)` is called after every epoch (e.g. a progress bar).

        device: where training runs ("cpu" or "cuda"); the fitted module is returned to the CPU, so
        prediction needs no GPU. Not a hyper-parameter: it does not change what is learned.
        monitor(epoch, best validation accuracy so far): see `learnless.classify.trainer.train`."""
        from learnless.classify.trainer import check_device

        check_device(device)
        self.validate()
        check_features(graph)
        train_idx, val_idx, test_idx, dropped = split_indices(graph)
        seed_everything(int(self.seed))
        n_classes = int(graph.y.max()) + 1
        t0 = time.perf_counter()
        x = self._fit_inputs(graph)
        self.preprocess_seconds_ = time.perf_counter() - t0
        module = self._build(graph.x.shape[1] if x is None else x.shape[1], n_classes)
        inputs = self._torch_inputs(graph, module, x)
        self.result_: TrainResult = train(
            module,
            inputs,
            graph.y,
            train_idx,
            val_idx,
            test_idx,
            lr=self.lr,
            weight_decay=self.weight_decay,
            epochs=self.epochs,
            batch_size=getattr(self, "batch_size", None),
            seed=int(self.seed),
            param_groups=self._param_groups(module),
            progress=progress,
            device=device,
            monitor=monitor,
        )
        self.module_ = module
        self.n_classes_ = n_classes
        self.n_features_ = graph.x.shape[1]
        self.unlabelled_in_split_ = dropped
        if getattr(self, "post", None):
            self._fit_post(graph, train_idx, val_idx, test_idx)
        return self

    def _fit_post(self, graph: Graph, train_idx, val_idx, test_idx) -> None:
        """Keep the training labels for post-processing (never another split's) and report the accuracies
        after it; the network's own are kept in `result_.network_val_acc` / `network_test_acc`."""
        self.post_train_idx_ = train_idx
        self.post_train_labels_ = graph.y[train_idx].copy()
        pred = self.predict(graph)
        r = self.result_
        r.network_val_acc, r.network_test_acc = r.val_acc, r.test_acc
        r.val_acc = float((pred[val_idx] == graph.y[val_idx]).mean())
        r.val_pred = pred[val_idx]
        r.test_acc = float((pred[test_idx] == graph.y[test_idx]).mean())
        r.train_acc = float((pred[train_idx] == graph.y[train_idx]).mean())

    # ---- pure functions of the fitted model -------------------------------------------------------------
    def _check_graph(self, graph: Graph):
        self._check_fitted("module_")
        check_features(graph)
        if graph.x.shape[1] != self.n_features_:
            raise DataError(
                f"{graph.name}: has {graph.x.shape[1]} features, the model was fitted on {self.n_features_}"
            )

    @torch.no_grad()
    def predict_proba(self, graph: Graph) -> np.ndarray:
        self._check_graph(graph)
        self.module_.eval()
        inputs = self._torch_inputs(graph)
        logits = (
            self.module_(*inputs)
            if isinstance(self.module_, GraphModule)
            else torch.cat([self.module_(b) for b in torch.split(inputs, 65536)])
        )
        probs = torch.softmax(logits, 1).numpy()
        if getattr(self, "post", None):
            from learnless.classify.post import post_process

            probs = post_process(self.post, probs, graph.adj, self.post_train_idx_, self.post_train_labels_)
        return probs

    def predict(self, graph: Graph) -> np.ndarray:
        """The predicted class of every node."""
        return self.predict_proba(graph).argmax(1)

    def score(self, graph: Graph, mask: str = "test") -> float:
        """Accuracy on the labelled nodes of `mask` ("train", "val" or "test")."""
        self._check_fitted("module_")
        idx = labelled_index(graph, mask)
        return float((self.predict(graph)[idx] == graph.y[idx]).mean())

    @torch.no_grad()
    def embed(self, graph: Graph) -> np.ndarray:
        """The last hidden layer for every node (n x hidden)."""
        self._check_graph(graph)
        self.module_.eval()
        inputs = self._torch_inputs(graph)
        if isinstance(self.module_, GraphModule):
            return self.module_.embed(*inputs).numpy()
        return torch.cat([self.module_.embed(b) for b in torch.split(inputs, 65536)]).numpy()


def labelled_index(graph: Graph, mask: str) -> np.ndarray:
    """The labelled nodes of `mask` ("train", "val" or "test"), to score predictions on."""
    if mask not in ("train", "val", "test"):
        raise ConfigError(f"mask must be train, val or test, got {mask!r}")
    m = getattr(graph, f"{mask}_mask")
    if m is None or m.ndim != 1:
        raise DataError(f"{graph.name}: no single {mask} split to score on")
    idx = np.flatnonzero(m & (graph.y >= 0))
    if len(idx) == 0:
        raise DataError(f"{graph.name}: the {mask} set has no labelled node")
    return idx
