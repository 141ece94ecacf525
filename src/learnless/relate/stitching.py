"""Zero-shot stitching: encoder of model A + classification head of model B.

Each model is encoder -> (absolute latent | relative projection onto anchors embedded by the same encoder at
every step) -> head. The head of B sees only B's own space in training; at test time it receives A's
latents of the test images. Relative heads get A's relative representation (A's encoder applied to the
same anchor images), absolute heads A's raw latents."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import numpy as np

from learnless.errors import ConfigError

ARCHS = ("mlp", "cnn")
HEADS = ("mlp", "paper")
DATASETS = ("digits", "mnist", "mnist1d")


def load_images(name: str, seed: int = 0):
    """(x_train, y_train, x_test, y_test) as float32 (n, 1, h, w) in [0, 1] ((n, 1, 40) for mnist1d).
    digits: scikit-learn's 1,797 bundled 8x8 digits; mnist: the 10,000 MNIST test images, split 8,000 /
    2,000 (stratified, fixed seed 0: the 60k training images are not available offline); mnist1d: the
    generated MNIST-1D set (4,000 / 1,000, its own split), see `load_mnist1d`."""
    from sklearn.model_selection import train_test_split

    if name == "mnist1d":
        return load_mnist1d()
    if name == "digits":
        from sklearn.datasets import load_digits

        d = load_digits()
        x, y, test = d.images.astype(np.float32) / 16.0, d.target.astype(np.int64), 0.3
    elif name == "mnist":
        from learnless.data import load

        ims = load("mnist-test")
        x, y, test = ims.images.astype(np.float32) / 255.0, ims.labels.astype(np.int64), 0.2
    else:
        raise ConfigError(f"--dataset: {name!r} is not one of {', '.join(DATASETS)}")
    xtr, xte, ytr, yte = train_test_split(x[:, None], y, test_size=test, stratify=y, random_state=0)
    return xtr, ytr, xte, yte


@functools.lru_cache(maxsize=1)
def _mnist1d_arrays():
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as exc:
        raise ConfigError(f"--dataset mnist1d needs the mnist1d package (pip install 'learnless[relate]'): "
                          f"{exc}") from None
    # make_dataset only computes (get_dataset would download a pickle, and writes one to the working
    # directory); it reseeds the global `random` / NumPy generators, so their states are put back.
    state_py, state_np = random.getstate(), np.random.get_state()
    try:
        d = make_dataset(get_dataset_args())
    finally:
        random.setstate(state_py)
        np.random.set_state(state_np)
    return d["x"], d["y"], d["x_test"], d["y_test"]


def load_mnist1d():
    """MNIST-1D (Greydanus 2020) generated with the package's default arguments (5,000 signals of length
    40, seed 42, its 4,000 / 1,000 split), rescaled to [0, 1] with the training split's min and max (test
    values outside are clipped) so that the reconstruction decoders' sigmoid can reach them."""
    xtr, ytr, xte, yte = _mnist1d_arrays()
    lo, hi = float(xtr.min()), float(xtr.max())
    scale = lambda x: np.clip((x - lo) / (hi - lo), 0.0, 1.0).astype(np.float32)[:, None, :]
    return scale(xtr), ytr.astype(np.int64), scale(xte), yte.astype(np.int64)


def make_encoder(arch: str, shape: tuple[int, ...], latent: int):
    """(n, 1, h, w) images -> 2-D layers; (n, 1, length) signals (mnist1d) -> the 1-D equivalents."""
    from torch import nn

    if arch == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(int(np.prod(shape)), 256), nn.ReLU(),
                             nn.Linear(256, latent))
    if arch == "cnn" and len(shape) == 1:
        return nn.Sequential(nn.Conv1d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                             nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool1d(2),
                             nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(4),
                             nn.Flatten(), nn.Linear(128, latent))
    if arch == "cnn":
        return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
                             nn.Flatten(), nn.Linear(128, latent))
    raise ConfigError(f"--arch: {arch!r} is not one of {', '.join(ARCHS)}")


def _batch_standardize():
    from torch import nn

    class BatchStandardize(nn.Module):
        """Each feature standardised over the batch it arrives in (also at test time): the paper's
        `InstanceNorm1d` applied to the transposed batch (lucmos/relreps, vision_stitching.ipynb)."""

        def forward(self, x):
            return (x - x.mean(dim=0)) / (x.var(dim=0, unbiased=False) + 1e-5).sqrt()

    return BatchStandardize()


def make_head(width: int, classes: int, kind: str = "mlp"):
    """mlp: LayerNorm -> 128 -> ReLU -> classes. paper: the relative head of the paper's vision stitching
    (LayerNorm -> width x width -> Tanh -> batch-wise standardisation -> classes)."""
    from torch import nn

    if kind == "paper":
        return nn.Sequential(nn.LayerNorm(width), nn.Linear(width, width), nn.Tanh(), _batch_standardize(),
                             nn.Linear(width, classes))
    if kind != "mlp":
        raise ConfigError(f"--head: {kind!r} is not one of {', '.join(HEADS)}")
    # LayerNorm first: rescales the (relative or absolute) input to a common range; the paper's heads
    # normalise the relative representation in the same place.
    return nn.Sequential(nn.LayerNorm(width), nn.Linear(width, 128), nn.ReLU(), nn.Linear(128, classes))


def _space(encoder, x, anchors_x, relative: bool):
    import torch.nn.functional as F

    z = encoder(x)
    if not relative:
        return z
    a = encoder(anchors_x)
    return F.normalize(z, dim=1) @ F.normalize(a, dim=1).T


def train_model(config: dict, seed: int) -> dict:
    """Train one encoder + head (module level: a unit of the Experiment runner) on config["device"] (cpu
    by default). Saves the test-set latents of the encoder and the head's weights (on the CPU) to
    `config['out']`; returns test accuracy and the file path."""
    import torch

    from learnless.runtime.seed import seed_everything

    seed_everything(seed)
    torch.set_num_threads(1)
    device = torch.device(config.get("device", "cpu"))
    xtr, ytr, xte, yte = load_images(config["dataset"])
    anchor_idx = np.asarray(config["anchor_idx"])  # shared by every model: the parallel anchors
    xtr_t, ytr_t = torch.from_numpy(xtr).to(device), torch.from_numpy(ytr).to(device)
    xte_t = torch.from_numpy(xte).to(device)
    anchors = xtr_t[torch.from_numpy(anchor_idx).to(device)]
    relative = config["space"] == "relative"
    enc = make_encoder(config["arch"], xtr.shape[2:], config["latent"]).to(device)
    kind = config.get("head", "mlp")
    head = make_head(len(anchor_idx) if relative else config["latent"], int(ytr.max()) + 1, kind).to(device)
    params = list(enc.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=config.get("lr", 1e-3))
    gen = torch.Generator().manual_seed(seed)
    bs = config.get("batch", 128)
    for _ in range(config["epochs"]):
        enc.train()
        head.train()
        for batch in torch.randperm(len(xtr_t), generator=gen).split(bs):
            batch = batch.to(device)
            loss = torch.nn.functional.cross_entropy(head(_space(enc, xtr_t[batch], anchors, relative)),
                                                     ytr_t[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
    enc.eval()
    head.eval()
    with torch.no_grad():
        z = _space(enc, xte_t, anchors, relative)
        acc = float((head(z).argmax(1).cpu().numpy() == yte).mean())
        anchor_latents = enc(anchors).cpu().numpy()  # what a translator between two encoders is fitted on
    path = Path(config["out"]) / f"{config['arch']}-{config['space']}-seed{seed}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"latents": z.cpu().numpy(), "head": {k: v.cpu() for k, v in head.state_dict().items()},
                "head_kind": kind, "anchor_latents": anchor_latents}, path)
    return {"accuracy": acc, "file": str(path)}


def head_accuracy(head_state: dict, latents: np.ndarray, y: np.ndarray, kind: str = "mlp") -> float:
    """Accuracy of a saved head on `latents` (all in one batch: the paper head standardises over it)."""
    import torch

    width = head_state["0.weight"].shape[0]
    classes = head_state["4.weight" if kind == "paper" else "3.weight"].shape[0]
    if latents.shape[1] != width:
        return float("nan")
    head = make_head(width, classes, kind)
    head.load_state_dict(head_state)
    head.eval()
    with torch.no_grad():
        return float((head(torch.from_numpy(latents)).argmax(1).numpy() == y).mean())


def stitch_table(models: list[dict], y_test: np.ndarray, translators=()) -> list[dict]:
    """Every ordered pair (encoder A, head B) of models in the same space, A != B: accuracy of B's head on
    A's test latents. With `translators` (orthogonal / affine / linear), also every pair of absolute models
    with A's test latents carried into B's space by that map fitted on the two encoders' anchor latents
    (space "absolute+<kind>"). `models`: dicts with arch, space, seed, file."""
    import torch

    from learnless.relate.translators import translate

    loaded = {(m["arch"], m["space"], m["seed"]): torch.load(m["file"], weights_only=False) for m in models}
    rows = []
    for (arch_a, space_a, seed_a), enc in loaded.items():
        for (arch_b, space_b, seed_b), dec in loaded.items():
            if space_a != space_b or (arch_a, seed_a) == (arch_b, seed_b):
                continue
            pair = {"encoder": f"{arch_a}#{seed_a}", "head": f"{arch_b}#{seed_b}",
                    "cross_arch": arch_a != arch_b, "same_seed": seed_a == seed_b}
            kind = dec.get("head_kind", "mlp")
            rows.append({"space": space_a, **pair,
                         "accuracy": head_accuracy(dec["head"], enc["latents"], y_test, kind)})
            if space_a != "absolute":
                continue
            for via in translators:
                if "anchor_latents" not in enc or "anchor_latents" not in dec:
                    raise ConfigError("--via: these models were saved without their anchor latents; "
                                      "retrain them (a new --out, or --force)")
                z = translate(enc["latents"], enc["anchor_latents"], dec["anchor_latents"], via)
                rows.append({"space": f"absolute+{via}", **pair,
                             "accuracy": head_accuracy(dec["head"], z.astype(np.float32), y_test, kind)})
    return rows
