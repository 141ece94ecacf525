"""`cnn-elastic`: a weight-sharing MobileNet-style CNN super-network on MNIST with 4.6 x 10^8 sub-networks.

Architecture: a 3x3 stride-2 stem (28 -> 14, 8 channels), three stages of inverted-residual blocks (1x1
expand, depthwise k x k, 1x1 project; ReLU; the first block of stages 1 and 2 has stride 2), global average
pooling and a linear head. Per stage: depth {1, 2, 3}, width {0.5, 0.75, 1.0} x (8, 16, 32) channels; per
block: kernel {3, 5} and expansion {1, 2, 3}. A sub-network takes the first channels of every shared weight
and the centre of every shared 5x5 depthwise kernel (OFA's elastic kernel without its transform matrices).
Every conv is followed by a shared batch norm, sliced like the conv; training normalises by each batch's
statistics, and a sub-network is evaluated (and exported) with statistics recalibrated for it on a fixed
calibration set of training images (`CALIBRATION`), as OFA does.

Data: the 10,000 MNIST test images of the shared data (`learnless.data.load("mnist-test")`; the 60k training
images are not available offline), split 9,000 train / 1,000 held-out, stratified by `seed`.

Training (once, lazily, or `fit()`; `epochs` 12 by default, about three minutes on one core): Adam (one-cycle
learning rate) with the sandwich rule — every step the largest (on the labels), the smallest and `n_random`
random sub-networks (on the largest's predictions: in-place distillation) each add their gradient. The
trained weights are kept in the user cache (`learnless.data.paths.cache_dir() / "search"`), keyed by the
settings, with a SHA-256 checksum beside them: a missing or corrupt file is rebuilt (training is seeded and
single-threaded, so deterministically).

Metrics: `accuracy` (%, the held-out images, shared weights, no retraining), `macs` / `params` (millions,
counted), `latency@cpu` (ms, batch 1, one thread, median after warm-up; measured on the search's pinned
latency worker) with `latency_iqr`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from learnless.errors import ConfigError

STAGES = 3
MAX_DEPTH = 3
BASE_WIDTHS = (8, 16, 32)
STRIDES = (1, 2, 2)
DEPTHS = [1, 2, 3]
WIDTH_MULTS = [0.5, 0.75, 1.0]
KERNELS = [3, 5]
EXPANDS = [1, 2, 3]
STEM = 8
HELD_OUT = 1000
CALIBRATION = 500  # training images whose statistics a sub-network's batch norms use at evaluation
BN_EPS = 1e-5
METRICS = ["accuracy", "macs", "params", "latency@cpu", "latency_iqr"]


def space_dict() -> dict:
    out = {}
    for s in range(STAGES):
        out[f"d_{s}"] = list(DEPTHS)
        out[f"w_{s}"] = list(WIDTH_MULTS)
        for b in range(MAX_DEPTH):
            out[f"k_{s}_{b}"] = list(KERNELS)
            out[f"e_{s}_{b}"] = list(EXPANDS)
    return out


NAMES = list(space_dict())


def active_mask(X: np.ndarray) -> np.ndarray:
    """Index vectors -> active slots: block b of stage s is active when b < d_s."""
    X = np.atleast_2d(X)
    mask = np.ones(X.shape, dtype=bool)
    per_stage = 2 + 2 * MAX_DEPTH
    for s in range(STAGES):
        depth = np.asarray(DEPTHS)[X[:, s * per_stage]]
        for b in range(MAX_DEPTH):
            j = s * per_stage + 2 + 2 * b
            mask[:, j] = mask[:, j + 1] = b < depth
    return mask


def _channels(config: dict, s: int) -> int:
    return max(1, round(BASE_WIDTHS[s] * config[f"w_{s}"]))


def _blocks(config: dict):
    """(stage, block, in channels, out channels, stride, kernel, expansion) of every active block."""
    cin = STEM
    for s in range(STAGES):
        cout = _channels(config, s)
        for b in range(config[f"d_{s}"]):
            yield s, b, cin, cout, (STRIDES[s] if b == 0 else 1), config[f"k_{s}_{b}"], config[f"e_{s}_{b}"]
            cin = cout


def _shared_modules(seed: int):
    """The largest network's weights: stem, per (stage, block) expand / depthwise / project convs, head."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    mods = nn.ModuleDict({"stem": nn.Conv2d(1, STEM, 3, stride=2, padding=1)})
    mods["n_stem"] = nn.BatchNorm2d(STEM, eps=BN_EPS, track_running_stats=False)
    cin = STEM
    for s in range(STAGES):
        cout = BASE_WIDTHS[s]
        for b in range(MAX_DEPTH):
            mid = cin * max(EXPANDS)
            mods[f"x_{s}_{b}"] = nn.Conv2d(cin, mid, 1)
            mods[f"dw_{s}_{b}"] = nn.Conv2d(mid, mid, max(KERNELS), padding=max(KERNELS) // 2, groups=mid)
            mods[f"p_{s}_{b}"] = nn.Conv2d(mid, cout, 1)
            for part, width in (("x", mid), ("dw", mid), ("p", cout)):
                mods[f"n_{part}_{s}_{b}"] = nn.BatchNorm2d(width, eps=BN_EPS, track_running_stats=False)
            cin = cout
    mods["head"] = nn.Linear(BASE_WIDTHS[-1], 10)
    for m in mods.values():  # He initialisation for the ReLU convs
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return mods


def _slices(mods, s: int, b: int, cin: int, cout: int, k: int, e: int):
    """The sliced weights of one block: expand (mid x cin), depthwise centre (mid x 1 x k x k), project."""
    mid = cin * e
    x, dw, p = mods[f"x_{s}_{b}"], mods[f"dw_{s}_{b}"], mods[f"p_{s}_{b}"]
    off = (max(KERNELS) - k) // 2
    return (
        (x.weight[:mid, :cin], x.bias[:mid]),
        (dw.weight[:mid, :, off : off + k, off : off + k], dw.bias[:mid]),
        (p.weight[:cout, :mid], p.bias[:cout]),
    )


def _norm(mods, name: str, z, stats=None, collect=None):
    """The shared batch norm `name`, sliced to z's channels: by z's own batch statistics (training, and
    calibration, which records them in `collect`), or by a sub-network's calibrated `stats`."""
    import torch.nn.functional as F

    bn = mods[name]
    c = z.shape[1]
    if stats is not None:
        mean, var = stats[name]
        return F.batch_norm(z, mean, var, bn.weight[:c], bn.bias[:c], training=False, eps=BN_EPS)
    if collect is not None:
        collect[name] = (z.mean(dim=(0, 2, 3)).detach(), z.var(dim=(0, 2, 3), unbiased=False).detach())
    return F.batch_norm(z, None, None, bn.weight[:c], bn.bias[:c], training=True, eps=BN_EPS)


def forward(mods, x, config: dict, stats=None, collect=None):
    """A sub-network's logits with the shared weights (batch norms: see `_norm`)."""
    import torch.nn.functional as F

    h = F.relu(_norm(mods, "n_stem", mods["stem"](x), stats, collect))
    for s, b, cin, cout, stride, k, e in _blocks(config):
        (xw, xb), (dw, db), (pw, pb) = _slices(mods, s, b, cin, cout, k, e)
        z = F.relu(_norm(mods, f"n_x_{s}_{b}", F.conv2d(h, xw, xb), stats, collect))
        z = F.conv2d(z, dw, db, stride=stride, padding=k // 2, groups=cin * e)
        z = F.relu(_norm(mods, f"n_dw_{s}_{b}", z, stats, collect))
        z = _norm(mods, f"n_p_{s}_{b}", F.conv2d(z, pw, pb), stats, collect)
        h = z + h if stride == 1 and cin == cout else z
    h = h.mean(dim=(2, 3))
    c = h.shape[1]
    return F.linear(h, mods["head"].weight[:, :c], mods["head"].bias)


def calibrate(mods, x, config: dict) -> dict:
    """The batch-norm statistics of `config` on the images x: name -> (mean, variance)."""
    import torch

    collect: dict = {}
    with torch.no_grad():
        forward(mods, x, config, collect=collect)
    return collect


def _folded(mods, conv_weight, conv_bias, name: str, stats: dict):
    """A conv followed by batch norm `name` (calibrated stats) as one conv's weight and bias."""
    bn = mods[name]
    c = conv_weight.shape[0]
    mean, var = stats[name]
    scale = bn.weight[:c] / (var + BN_EPS).sqrt()
    return conv_weight * scale.reshape(-1, 1, 1, 1), (conv_bias - mean) * scale + bn.bias[:c]


def build_module(mods, config: dict, stats: dict):
    """The sub-network as a standalone torch module: its own small convs, weights copied from the shared
    ones with the calibrated batch norms folded in (so the module is plain convolutions)."""
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride, k, e):
            super().__init__()
            mid = cin * e
            self.expand = nn.Conv2d(cin, mid, 1)
            self.depthwise = nn.Conv2d(mid, mid, k, stride=stride, padding=k // 2, groups=mid)
            self.project = nn.Conv2d(mid, cout, 1)
            self.residual = stride == 1 and cin == cout

        def forward(self, h):
            z = self.project(torch.relu(self.depthwise(torch.relu(self.expand(h)))))
            return z + h if self.residual else z

    class SubCNN(nn.Module):
        def __init__(self, blocks, width):
            super().__init__()
            self.stem = nn.Conv2d(1, STEM, 3, stride=2, padding=1)
            self.blocks = nn.Sequential(*blocks)
            self.head = nn.Linear(width, 10)

        def forward(self, x):
            h = self.blocks(torch.relu(self.stem(x)))
            return self.head(h.mean(dim=(2, 3)))

    specs = list(_blocks(config))
    blocks = [Block(cin, cout, stride, k, e) for _, _, cin, cout, stride, k, e in specs]
    net = SubCNN(blocks, specs[-1][3])
    with torch.no_grad():
        w, bias = _folded(mods, mods["stem"].weight, mods["stem"].bias, "n_stem", stats)
        net.stem.weight.copy_(w)
        net.stem.bias.copy_(bias)
        for blk, (s, b, cin, cout, _, k, e) in zip(blocks, specs):
            for conv, part, (w, bias) in zip((blk.expand, blk.depthwise, blk.project), ("x", "dw", "p"),
                                             _slices(mods, s, b, cin, cout, k, e)):
                w, bias = _folded(mods, w, bias, f"n_{part}_{s}_{b}", stats)
                conv.weight.copy_(w)
                conv.bias.copy_(bias)
        net.head.weight.copy_(mods["head"].weight[:, : specs[-1][3]])
        net.head.bias.copy_(mods["head"].bias)
    return net.eval()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CNNElastic:
    """The `cnn-elastic` super-network (see the module docstring)."""

    def __init__(self, seed: int = 0, epochs: int = 12, batch_size: int = 128, lr: float = 3e-3,
                 n_random: int = 2, latency_repeats: int = 10, cache_dir: str | Path | None = None,
                 train_rows: int | None = None, device: str = "cpu"):
        if int(epochs) < 1:
            raise ConfigError(f"cnn-elastic: epochs must be >= 1, got {epochs}")
        self.seed, self.epochs, self.batch_size, self.lr = int(seed), int(epochs), int(batch_size), float(lr)
        self.n_random, self.latency_repeats, self.device = int(n_random), int(latency_repeats), device
        self.cache_dir = cache_dir
        self.train_rows = None if train_rows is None else int(train_rows)  # a prefix of the training part
        self._state = None  # (shared modules, held-out images, held-out labels)
        self.rebuilt = False  # whether the last fit() trained (True) or read the cache (False)

    # protocol ---------------------------------------------------------------------------------------------
    def space(self) -> dict:
        return space_dict()

    def inactive(self, config: dict) -> set:
        return {f"{p}_{s}_{b}" for s in range(STAGES) for b in range(config[f"d_{s}"], MAX_DEPTH)
                for p in ("k", "e")}

    def inactive_mask(self, X):
        return active_mask(X)

    def metrics(self) -> list[str]:
        return list(METRICS)

    # data and training ------------------------------------------------------------------------------------
    def _data(self):
        from sklearn.model_selection import train_test_split

        from learnless.data import load

        images = load("mnist-test")
        X = images.flat(scale=True).reshape(-1, 1, 28, 28).astype(np.float32)
        return train_test_split(X, images.labels, test_size=HELD_OUT, stratify=images.labels,
                                random_state=self.seed)

    def _key(self) -> str:
        settings = [space_dict(), self.seed, self.epochs, self.batch_size, self.lr, self.n_random,
                    self.train_rows, "v3-bn-kd"]
        return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]

    def weights_path(self) -> Path:
        from learnless.data.paths import cache_dir

        root = Path(self.cache_dir) if self.cache_dir is not None else cache_dir() / "search"
        return root / f"cnn-elastic-{self._key()}.pt"

    def fit(self):
        """Train once (sandwich rule), or read the cached weights when their checksum holds; idempotent."""
        if self._state is not None:
            return self
        import torch

        from learnless.runtime.device import check_device

        check_device(self.device)
        Xtr, Xte, ytr, yte = self._data()
        Xtr, ytr = Xtr[: self.train_rows], ytr[: self.train_rows]
        mods = _shared_modules(self.seed)
        path = self.weights_path()
        sums = path.with_suffix(".sha256")
        if path.is_file() and sums.is_file() and sums.read_text().strip() == _sha256(path):
            mods.load_state_dict(torch.load(path, weights_only=True))
            self.rebuilt = False
        else:
            old = torch.get_num_threads()
            torch.set_num_threads(1)  # deterministic and fair on a shared machine
            try:
                self._train(mods, Xtr, ytr)
            finally:
                torch.set_num_threads(old)
            self._save(mods, path, sums)
            self.rebuilt = True
        self._state = (mods.eval(), torch.from_numpy(Xte), np.asarray(yte))
        self._calibration = torch.from_numpy(Xtr[:CALIBRATION])
        return self

    def _save(self, mods, path: Path, sums: Path) -> None:
        import os
        import tempfile

        import torch

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        torch.save(mods.state_dict(), tmp)
        digest = _sha256(Path(tmp))
        os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        sums.write_text(digest + "\n")

    def random_config(self, rng) -> dict:
        return {n: c[int(rng.integers(len(c)))] for n, c in space_dict().items()}

    def _epochs(self, mods, n: int, rng, step, device: str = "cpu", description: str | None = None) -> None:
        """Adam with a one-cycle learning rate over `epochs` shuffled passes of n rows (order from `rng`);
        step(batch indices) adds one batch's gradients."""
        import contextlib

        import torch

        from learnless.runtime.progress import track

        opt = torch.optim.Adam(mods.parameters(), lr=self.lr)
        steps = (n + self.batch_size - 1) // self.batch_size
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.lr, total_steps=self.epochs * steps)
        bar_cm = track(description, total=self.epochs * steps) if description else contextlib.nullcontext()
        with bar_cm as bar:
            for _ in range(self.epochs):
                perm = torch.from_numpy(rng.permutation(n)).to(device)
                for start in range(0, n, self.batch_size):
                    opt.zero_grad()
                    step(perm[start : start + self.batch_size])
                    opt.step()
                    sched.step()
                    if bar is not None:
                        bar.advance()

    def _train(self, mods, Xtr, ytr):
        import torch
        import torch.nn.functional as F

        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        mods.to(self.device).train()
        X = torch.from_numpy(Xtr).to(self.device)
        y = torch.from_numpy(np.asarray(ytr)).long().to(self.device)
        largest = {n: c[-1] for n, c in space_dict().items()}
        smallest = {n: c[0] for n, c in space_dict().items()}

        def sandwich(idx):
            # the largest learns from the labels; the others from its predictions (in-place distillation,
            # as BigNAS and OFA train their smaller sub-networks)
            logits = forward(mods, X[idx], largest)
            F.cross_entropy(logits, y[idx]).backward()
            teacher = F.softmax(logits.detach(), dim=1)
            for cfg in [smallest] + [self.random_config(rng) for _ in range(self.n_random)]:
                F.cross_entropy(forward(mods, X[idx], cfg), teacher).backward()

        self._epochs(mods, len(X), rng, sandwich, self.device, "training cnn-elastic (sandwich)")
        mods.to("cpu")

    def train_alone(self, config: dict, seed: int) -> float:
        """Held-out accuracy (%) of `config`'s architecture trained alone from a fresh initialisation (seed),
        with the super-network's data, optimiser and epochs: the yardstick for its shared-weight accuracy."""
        import torch
        import torch.nn.functional as F

        Xtr, Xte, ytr, yte = self._data()
        Xtr, ytr = Xtr[: self.train_rows], ytr[: self.train_rows]
        old = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            config = dict(config)
            mods = _shared_modules(seed).train()  # fresh weights; only `config`'s slices ever train
            rng = np.random.default_rng(seed)
            X, y = torch.from_numpy(Xtr), torch.from_numpy(np.asarray(ytr)).long()
            self._epochs(mods, len(X), rng,
                         lambda idx: F.cross_entropy(forward(mods, X[idx], config), y[idx]).backward())
            mods.eval()
            stats = calibrate(mods, X[:CALIBRATION], config)
            with torch.inference_mode():
                pred = forward(mods, torch.from_numpy(Xte), config, stats=stats).argmax(1).numpy()
        finally:
            torch.set_num_threads(old)
        return float(100 * (pred == np.asarray(yte)).mean())

    # sub-networks -----------------------------------------------------------------------------------------
    def build(self, config: dict):
        """The standalone module of `config`, its batch norms calibrated on the calibration images."""
        self.fit()
        mods = self._state[0]
        return build_module(mods, dict(config), calibrate(mods, self._calibration, dict(config)))

    def export(self, config: dict):
        """The sub-network for learnless.search.export (`build`, which evaluate scores)."""
        return self.build(config)

    def example_input(self, config: dict):
        """Held-out images (N, 1, 28, 28) scaled to [0, 1], as the exported module takes them."""
        self.fit()
        return self._state[1][:8]

    def latency_input_shape(self, config: dict) -> tuple:
        return (1, 1, 28, 28)

    def evaluate(self, config: dict, metrics) -> dict:
        import torch

        from learnless.search.hardware import count_macs_params, measure_latency

        net = self.build(config)
        _, Xte, yte = self._state
        with torch.inference_mode():
            pred = net(Xte).argmax(1).numpy()
        out = {"accuracy": float(100 * (pred == yte).mean())}
        if {"macs", "params"} & set(metrics):  # counting takes a third of an evaluation: only when asked
            macs, params = count_macs_params(net, (1, 1, 28, 28))
            out["macs"], out["params"] = macs / 1e6, params / 1e6
        if {"latency@cpu", "latency_iqr"} & set(metrics):
            lat = measure_latency(net, (1, 1, 28, 28), repeats=self.latency_repeats, warmup=3)
            out["latency@cpu"], out["latency_iqr"] = lat["median_ms"], lat["iqr_ms"]
        return out
