"""`dgmlp-elastic`: a weight-sharing super-network on DGMLP (learnless.classify) with elastic propagation
depth Dp, transformation depth Dt and hidden width, on a node-classification graph (Cora or CiteSeer, public
split).

DGMLP propagates once without parameters, so the node-adaptive features x̂(Dp) of every propagation depth in
the space are computed once (`learnless.classify.adaptive_features`, the paper variant's T = 1, r = 0.5) and
only the transformation is trained. The transformation is classify's `ElasticResidualMLP` — DGMLP's residual
MLP (Dt = 1 is one linear layer; Dt >= 2 is in -> h, Dt - 2 blocks h <- relu(h W) + h, h -> out) with its
weights shared: a sub-network uses the first `hidden` units of the shared first layer and blocks and the
output head of its depth (one head per Dt, as in `mlp-elastic`); its standalone module is classify's
`ResidualMLP`. All Dp share the weights; the split is classify's `split_indices`.

Training (once, lazily on the first evaluation, or `fit()`): DGMLP's defaults (Adam, lr 0.01, weight decay
5e-4, dropout 0.5, full batch on the training nodes) with the sandwich rule — every step the largest, the
smallest and `n_random` random sub-networks each add their gradient, then one optimiser step. As in the
classify trainer, the weights kept are those of the epoch with the best validation accuracy, here the mean
over a fixed probe set (largest, smallest and 4 seeded random sub-networks).

Metrics: `accuracy` — validation accuracy (%) of the sub-network with the shared weights, no retraining (the
search objective); `test_accuracy` (%, reported, never searched on); `latency` (= `latency@cpu`) — CPU
latency (ms) of the transformation's full-graph inference (all n nodes, x̂ precomputed), median of timed
forwards after warm-up with one thread (`learnless.search.hardware.measure_latency`), with `latency_iqr`;
measured once per (Dt, hidden), on which alone it depends; `propagation_latency` — the same measurement of
DGMLP's propagation + node-adaptive combination at this Dp on the whole graph (measured once per Dp);
`latency_total` = latency + propagation_latency, the cost of inference on a graph not seen before; `macs` /
`params` (millions, counted by `torch.utils.flop_counter` on the built sub-network; MACs of the full-graph
forward of the transformation).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import numpy as np

from learnless.errors import ConfigError

PROP_DEPTHS = [1, 2, 3, 4, 6, 8, 10, 15, 20]
TRANS_DEPTHS = [1, 2, 3, 4]
HIDDEN = [64, 128, 256, 512, 1024]
DATASETS = ("cora", "citeseer")
METRICS = [
    "accuracy",
    "test_accuracy",
    "latency",
    "latency@cpu",
    "latency_iqr",
    "propagation_latency",
    "latency_total",
    "macs",
    "params",
]
TEMPERATURE, R = 1.0, 0.5  # DGMLP variant="paper"


def _indices(graph):
    """(train, val, test) indices of labelled nodes of a single-split graph (classify's split)."""
    from learnless.classify import split_indices

    return list(split_indices(graph)[:3])


def _elastic_modules(in_dim: int, n_classes: int, hmax: int, tmax: int):
    """The shared weights: classify's ElasticResidualMLP (DGMLP's residual MLP, sliceable)."""
    from learnless.classify import ElasticResidualMLP

    return ElasticResidualMLP(in_dim, n_classes, hmax, tmax)


def _forward(mods, x, trans_depth: int, hidden: int, dropout: float, training: bool):
    """A sub-network's logits with the shared weights."""
    mods.train(training)
    return mods(x, trans_depth, hidden, dropout)


class _Propagation:
    """DGMLP's propagation + node-adaptive combination at depth Dp as a module, for latency measurement (the
    in-memory form DGMLP uses on graphs this size, its hop cache emptied so every timed call does the
    work)."""

    @staticmethod
    def build(adj, prop_depth: int):
        import torch
        from torch import nn

        from learnless.classify import adaptive_features
        from learnless.classify.propagation import clear_cache

        class _Prop(nn.Module):
            def forward(self, x):
                clear_cache()  # the hops are cached per (graph, x): a timed call must propagate again
                out, _ = adaptive_features(adj, x.numpy(), prop_depth, TEMPERATURE, R)
                clear_cache()
                return torch.from_numpy(out)

        return _Prop()


class DGMLPElastic:
    """See the module docstring. `dataset`: "cora" | "citeseer" (learnless.data, public split) or a
    learnless Graph with one split (tests use a small synthetic one). `device`: where the super-network trains
    (cpu | cuda); evaluation and latency are on the CPU. `cache_dir`: where trained weights are kept on disk
    (keyed by data and settings) so other processes do not retrain; they are always kept in memory."""

    def __init__(
        self,
        dataset="cora",
        seed: int = 0,
        epochs: int = 300,
        prop_depths=None,
        trans_depths=None,
        hidden=None,
        lr: float = 0.01,
        weight_decay: float = 5e-4,
        dropout: float = 0.5,
        n_random: int = 2,
        eval_every: int = 5,
        device: str = "cpu",
        latency_repeats: int = 15,
        cache_dir: str | Path | None = None,
    ):
        self.dataset = dataset
        self.seed = int(seed)
        self.epochs = int(epochs)
        self.prop_depths = sorted(prop_depths or PROP_DEPTHS)
        self.trans_depths = sorted(trans_depths or TRANS_DEPTHS)
        self.hidden = sorted(hidden or HIDDEN)
        self.lr, self.weight_decay, self.dropout = float(lr), float(weight_decay), float(dropout)
        self.n_random = int(n_random)
        self.eval_every = max(1, int(eval_every))
        self.device = device
        self.latency_repeats = int(latency_repeats)
        self.cache_dir = cache_dir
        if isinstance(dataset, str) and dataset.lower() not in DATASETS:
            raise ConfigError(f"dgmlp-elastic: dataset {dataset!r} is not one of {', '.join(DATASETS)}")
        if min(self.prop_depths) < 1 or min(self.trans_depths) < 1 or min(self.hidden) < 1:
            raise ConfigError("dgmlp-elastic: depths and widths must be >= 1")
        self._graph = None
        self._feats: dict[int, np.ndarray] = {}  # Dp -> x̂ rows of the labelled split nodes
        self._state = None
        self._prop_latency: dict[int, dict] = {}
        self._latency: dict[tuple[int, int], dict] = {}
        self.history_: list = []

    # protocol ---------------------------------------------------------------------------------------------
    def space(self) -> dict:
        return {
            "prop_depth": list(self.prop_depths),
            "trans_depth": list(self.trans_depths),
            "hidden": list(self.hidden),
        }

    def inactive(self, config: dict) -> set:
        return {"hidden"} if config["trans_depth"] == 1 else set()

    def inactive_mask(self, X):
        X = np.atleast_2d(np.asarray(X, dtype=np.int64))
        mask = np.ones(X.shape, dtype=bool)
        mask[:, 2] = np.asarray(self.trans_depths)[X[:, 1]] != 1
        return mask

    def metrics(self) -> list[str]:
        return list(METRICS)

    # data -------------------------------------------------------------------------------------------------
    def graph(self):
        if self._graph is None:
            if isinstance(self.dataset, str):
                from learnless.data import load_graph

                self._graph = load_graph(self.dataset.lower())
            else:
                self._graph = self.dataset
            self._idx = _indices(self._graph)
        return self._graph

    def _features(self) -> dict[int, np.ndarray]:
        """x̂(Dp) for every Dp in the space, restricted to the train/val/test rows (all a search needs: latency
        is timed on an n x f input whose values do not matter)."""
        if not self._feats:
            from learnless.classify import adaptive_features
            from learnless.classify.propagation import clear_cache

            g = self.graph()
            rows = np.concatenate(self._idx)
            try:  # deepest first: the hops are propagated once and cached, shallower depths slice them
                for dp in sorted(self.prop_depths, reverse=True):
                    x_hat, _ = adaptive_features(g.adj, g.x, dp, TEMPERATURE, R)
                    self._feats[dp] = np.ascontiguousarray(x_hat[rows])
            finally:
                clear_cache()  # the hops of every depth are not needed again
            self._rows = rows
        return self._feats

    def _key(self) -> str:
        g = self.graph()
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(g.x[:, : min(g.x.shape[1], 64)]).tobytes())
        h.update(g.adj.indices.tobytes())
        h.update(g.y.tobytes())
        for m in (g.train_mask, g.val_mask, g.test_mask):
            h.update(np.asarray(m).tobytes())
        settings = [self.space(), self.seed, self.epochs, self.lr, self.weight_decay, self.dropout,
                    self.n_random, self.eval_every, "v2-seeded-init"]
        h.update(json.dumps(settings, sort_keys=True).encode())
        return h.hexdigest()[:20]

    # training ---------------------------------------------------------------------------------------------
    def fit(self):
        """Train the super-network once (sandwich rule); idempotent; loads cached weights when present."""
        if self._state is not None:
            return self
        import torch

        from learnless.runtime.device import check_device

        check_device(self.device)
        g = self.graph()
        feats = self._features()
        in_dim, n_classes = g.x.shape[1], int(g.y.max()) + 1
        torch.manual_seed(self.seed)  # the initial shared weights too, not only the training, are seeded
        mods = _elastic_modules(in_dim, n_classes, max(self.hidden), max(self.trans_depths))
        path = None
        if self.cache_dir is not None:
            path = Path(self.cache_dir) / f"dgmlp-elastic-{self._key()}.pt"
            if path.exists():
                mods.load_state_dict(torch.load(path, weights_only=True))
                self._state = mods.eval()
                return self
        old = torch.get_num_threads()
        torch.set_num_threads(1)  # 140-row batches: more threads only contend on a shared machine
        try:
            self._train(mods, feats, g.y)
        finally:
            torch.set_num_threads(old)
        self._state = mods.eval()
        if path is not None:
            import os
            import tempfile

            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            os.close(fd)
            torch.save(mods.state_dict(), tmp)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
        return self

    def _sub(self, rng) -> tuple[int, int, int]:
        return (
            int(rng.choice(self.prop_depths)),
            int(rng.choice(self.trans_depths)),
            int(rng.choice(self.hidden)),
        )

    def _train(self, mods, feats, y):
        import torch
        import torch.nn.functional as F

        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        dev = self.device
        mods.to(dev)
        ntr, nva = len(self._idx[0]), len(self._idx[1])
        X = {dp: torch.from_numpy(f).to(dev) for dp, f in feats.items()}
        yl = torch.from_numpy(y[self._rows]).to(dev)
        tr, va = slice(0, ntr), slice(ntr, ntr + nva)
        largest = (max(self.prop_depths), max(self.trans_depths), max(self.hidden))
        smallest = (min(self.prop_depths), min(self.trans_depths), min(self.hidden))
        probe_rng = np.random.default_rng(self.seed + 1)
        probes = [largest, smallest] + [self._sub(probe_rng) for _ in range(4)]
        opt = torch.optim.Adam(mods.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        best, best_state = -1.0, None
        for epoch in range(self.epochs):
            mods.train()
            opt.zero_grad()
            for dp, dt, h in [largest, smallest] + [self._sub(rng) for _ in range(self.n_random)]:
                logits = _forward(mods, X[dp][tr], dt, h, self.dropout, True)
                F.cross_entropy(logits, yl[tr]).backward()  # gradients of the sandwich summed
            opt.step()
            if epoch % self.eval_every and epoch != self.epochs - 1:
                continue
            mods.eval()
            with torch.no_grad():
                hits = [
                    _forward(mods, X[dp][va], dt, h, 0.0, False).argmax(1) == yl[va] for dp, dt, h in probes
                ]
                val = float(torch.stack(hits).float().mean())
            self.history_.append((epoch, val))
            if val > best:  # the classify trainer's rule: keep the best validation epoch's weights
                best, best_state = val, copy.deepcopy(mods.state_dict())
        mods.load_state_dict(best_state)
        mods.to("cpu")
        self.best_epoch_ = int(max(self.history_, key=lambda t: t[1])[0])

    # sub-networks -----------------------------------------------------------------------------------------
    def _check(self, config: dict) -> tuple[int, int, int]:
        for name, choices in self.space().items():
            if name not in config:
                raise ConfigError(f"dgmlp-elastic: config lacks {name!r}")
            if config[name] not in choices and not (name == "hidden" and config["trans_depth"] == 1):
                raise ConfigError(f"dgmlp-elastic: {name}={config[name]!r} is not one of {choices}")
        return int(config["prop_depth"]), int(config["trans_depth"]), int(config["hidden"])

    def build(self, config: dict):
        """The sub-network's transformation as a standalone torch module, the shared weights copied in."""
        _, dt, h = self._check(config)
        self.fit()
        return self._state.sub_network(dt, h)

    def latency_input_shape(self, config: dict) -> tuple:
        """What `latency` times: the transformation over every node's features (full-graph inference)."""
        return tuple(self.graph().x.shape)

    def export(self, config: dict):
        """The sub-network's transformation for learnless.search.export (`build`, which evaluate scores). It
        takes DGMLP's node-adaptive features at the config's Dp
        (`learnless.classify.propagation.adaptive_features(adj, x, Dp, 1.0, 0.5)`, parameter-free) and
        returns the logits of those nodes."""
        return self.build(config)

    def example_input(self, config: dict):
        import torch

        dp = self._check(config)[0]
        return torch.from_numpy(self._features()[dp][:8])

    def evaluate(self, config: dict, metrics) -> dict:
        import torch

        from learnless.search.hardware import count_macs_params, measure_latency

        metrics = list(metrics)
        unknown = [m for m in metrics if m not in METRICS]
        if unknown:
            raise ConfigError(
                f"dgmlp-elastic: unknown metric(s) {', '.join(unknown)}; it provides {', '.join(METRICS)}"
            )
        dp = self._check(config)[0]
        net = self.build(config)
        g = self.graph()
        feats = self._features()
        ntr, nva = len(self._idx[0]), len(self._idx[1])
        y = g.y[self._rows]
        with torch.no_grad():
            pred = net(torch.from_numpy(feats[dp])).argmax(1).numpy()
        out = {
            "accuracy": float(100 * (pred[ntr : ntr + nva] == y[ntr : ntr + nva]).mean()),
            "test_accuracy": float(100 * (pred[ntr + nva :] == y[ntr + nva :]).mean()),
        }
        n, f = g.x.shape
        macs, params = count_macs_params(net, (1, f))
        out["macs"], out["params"] = n * macs / 1e6, params / 1e6
        if {"latency", "latency@cpu", "latency_iqr", "latency_total"} & set(metrics):
            # the transformation's cost depends on (Dt, hidden) only: measured once per pair, so sub-networks
            # differing only in Dp get the same latency instead of two noisy draws of it
            key = (int(config["trans_depth"]), int(config["hidden"]) if config["trans_depth"] > 1 else 0)
            if key not in self._latency:
                self._latency[key] = measure_latency(net, (n, f), repeats=self.latency_repeats, warmup=3)
            lat = self._latency[key]
            out["latency"] = out["latency@cpu"] = lat["median_ms"]
            out["latency_iqr"] = lat["iqr_ms"]
        if {"propagation_latency", "latency_total"} & set(metrics):
            out["propagation_latency"] = self.propagation_latency(dp)["median_ms"]
            out["latency_total"] = out["latency"] + out["propagation_latency"]
        return out

    def propagation_latency(self, prop_depth: int) -> dict:
        """measure_latency of DGMLP's propagation + combination at `prop_depth` on this graph (cached)."""
        if prop_depth not in self._prop_latency:
            from learnless.search.hardware import measure_latency

            g = self.graph()
            mod = _Propagation.build(g.adj, int(prop_depth))
            self._prop_latency[prop_depth] = measure_latency(
                mod, tuple(g.x.shape), repeats=3, warmup=1
            )
        return self._prop_latency[prop_depth]
