"""`mlp-elastic`: a weight-sharing MLP super-network with elastic depth {1, 2, 3} and per-layer width
{16, 32, 64}, on one of two image sets (`dataset`):
- `digits` (default): scikit-learn's 1,797 bundled 8x8 digits, a stratified 70/30 train/held-out split by
  `seed`;
- `mnist`: the 10,000 MNIST test images of the shared data (`learnless.data.load("mnist-test")`, the loader
  `learnless.relate` uses; the 60k training images are not available offline), 28x28 flattened to 784, split
  8,000 train / 2,000 held-out, stratified, by `seed`.

Trained once (lazily, on the first evaluation) with the sandwich rule — at every step the largest, the
smallest and two random sub-networks each take a gradient — so every sub-network is usable without retraining.
`device` (cpu | cuda) is where that training runs; the trained weights then come back to the CPU, where every
sub-network is evaluated (a held-out pass of a few hundred rows, and latency@cpu is a CPU measurement).
A sub-network uses the first `width_i` units of each of its first `depth` layers and the output head of its
depth. Metrics: accuracy (% on the held-out part, no retraining), params, macs (exact, counted), latency@cpu
(measured: median ms of batch-1 forwards after warm-up, one thread) with latency_iqr.
"""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError

DEPTHS, WIDTHS, MAX_LAYERS, MAX_WIDTH = [1, 2, 3], [16, 32, 64], 3, 64
DATASETS = {"digits": 64, "mnist": 784}  # name -> input features
MNIST_HELD_OUT = 2000


class MLPElastic:
    def __init__(self, seed: int = 0, epochs: int = 60, latency_repeats: int = 30, dataset: str = "digits",
                 device: str = "cpu"):
        if dataset not in DATASETS:
            raise ConfigError(f"mlp-elastic: dataset {dataset!r} is not one of {', '.join(DATASETS)}")
        self.dataset = dataset
        self.in_dim = DATASETS[dataset]
        self.seed = seed
        self.epochs = epochs
        self.latency_repeats = latency_repeats
        self.device = device
        self._state = None

    def space(self) -> dict:
        return {"depth": list(DEPTHS), **{f"width_{i}": list(WIDTHS) for i in range(MAX_LAYERS)}}

    def inactive(self, config: dict) -> set:
        return {f"width_{i}" for i in range(config["depth"], MAX_LAYERS)}

    def metrics(self) -> list[str]:
        return ["accuracy", "params", "macs", "latency@cpu", "latency_iqr"]

    # training
    def _data(self):
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        if self.dataset == "mnist":
            from learnless.data import load

            images = load("mnist-test")
            X, y, held_out = images.flat(scale=True), images.labels, MNIST_HELD_OUT
        else:
            X, y = load_digits(return_X_y=True)
            X, held_out = (X / 16.0).astype(np.float32), 0.3
        return train_test_split(X, y, test_size=held_out, stratify=y, random_state=self.seed)

    def _build_super(self):
        import torch
        from torch import nn

        torch.manual_seed(self.seed)
        dims = [self.in_dim] + [MAX_WIDTH] * (MAX_LAYERS - 1)
        layers = nn.ModuleList([nn.Linear(d, MAX_WIDTH) for d in dims])
        heads = nn.ModuleList([nn.Linear(MAX_WIDTH, 10) for _ in range(MAX_LAYERS)])
        return layers, heads

    @staticmethod
    def _forward(layers, heads, x, depth, widths):
        import torch.nn.functional as F

        h, fan_in = x, x.shape[1]
        for i in range(depth):
            w = widths[i]
            h = F.relu(F.linear(h, layers[i].weight[:w, :fan_in], layers[i].bias[:w]))
            fan_in = w
        return F.linear(h, heads[depth - 1].weight[:, :fan_in], heads[depth - 1].bias)

    def fit(self):
        """Train the super-network once (sandwich rule); idempotent."""
        if self._state is not None:
            return self
        import torch

        from learnless.runtime.device import check_device

        check_device(self.device)
        old_threads = torch.get_num_threads()
        torch.set_num_threads(1)  # tiny matrices: more threads only contend on a shared machine
        try:
            self._train()
        finally:
            torch.set_num_threads(old_threads)
        return self

    def _train(self):
        import torch
        import torch.nn.functional as F

        Xtr, Xte, ytr, yte = self._data()
        layers, heads = self._build_super()
        layers.to(self.device)
        heads.to(self.device)
        params = list(layers.parameters()) + list(heads.parameters())
        opt = torch.optim.Adam(params, lr=3e-3)
        rng = np.random.default_rng(self.seed)
        Xt, yt = torch.from_numpy(Xtr).to(self.device), torch.from_numpy(ytr).long().to(self.device)
        for _ in range(self.epochs):
            perm = torch.from_numpy(rng.permutation(len(Xt))).to(self.device)
            for start in range(0, len(Xt), 128):
                idx = perm[start : start + 128]
                opt.zero_grad()
                subnets = [(MAX_LAYERS, [MAX_WIDTH] * MAX_LAYERS), (1, [WIDTHS[0]] * MAX_LAYERS)]
                subnets += [(int(rng.choice(DEPTHS)), list(rng.choice(WIDTHS, MAX_LAYERS))) for _ in range(2)]
                for depth, widths in subnets:
                    F.cross_entropy(self._forward(layers, heads, Xt[idx], depth, widths), yt[idx]).backward()
                opt.step()
        self._state = (layers.cpu(), heads.cpu(), torch.from_numpy(Xte), yte)

    def build(self, config: dict):
        """The sub-network as a standalone nn.Sequential with the shared weights copied in."""
        import torch
        from torch import nn

        self.fit()
        layers, heads, _, _ = self._state
        depth, widths = config["depth"], [config[f"width_{i}"] for i in range(MAX_LAYERS)]
        mods, fan_in = [], self.in_dim
        with torch.no_grad():
            for i in range(depth):
                lin = nn.Linear(fan_in, widths[i])
                lin.weight.copy_(layers[i].weight[: widths[i], :fan_in])
                lin.bias.copy_(layers[i].bias[: widths[i]])
                mods += [lin, nn.ReLU()]
                fan_in = widths[i]
            head = nn.Linear(fan_in, 10)
            head.weight.copy_(heads[depth - 1].weight[:, :fan_in])
            head.bias.copy_(heads[depth - 1].bias)
        return nn.Sequential(*mods, head).eval()

    def latency_input_shape(self, config: dict) -> tuple:
        """What latency@cpu times: one image (batch 1)."""
        return (1, self.in_dim)

    def export(self, config: dict):
        """The sub-network for learnless.search.export: `build`, which evaluate scores."""
        return self.build(config)

    def example_input(self, config: dict):
        """Held-out rows (flattened images scaled to [0, 1]) as the exported module takes them."""
        self.fit()
        return self._state[2][:8]

    def evaluate(self, config: dict, metrics: list[str]) -> dict:
        import torch

        from learnless.search.hardware import count_macs_params, measure_latency

        net = self.build(config)
        out = {}
        _, _, Xte, yte = self._state
        with torch.no_grad():
            out["accuracy"] = float(100 * (net(Xte).argmax(1).numpy() == yte).mean())
        macs, params = count_macs_params(net, (1, self.in_dim))
        out["macs"], out["params"] = float(macs), float(params)
        if {"latency@cpu", "latency_iqr"} & set(metrics):
            lat = measure_latency(net, (1, self.in_dim), repeats=self.latency_repeats)
            out["latency@cpu"], out["latency_iqr"] = lat["median_ms"], lat["iqr_ms"]
        return out
