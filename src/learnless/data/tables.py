"""Small typed containers for the non-graph datasets: NAS result tables, latency tables, images and text."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from learnless.errors import DataError


@dataclass
class SubnetTable:
    """Measured sub-networks of a super-network (DyNAS-T result CSVs), one row per unique sub-network.

    `arch[key]` is an (n, len) int array per architecture field of the `Sub-network` dict (OFA: ks, e, d, r);
    `subnets` keeps each row's canonical dict text. `latency` is NaN where the file has 0 (not measured).
    `metric` is top-1 accuracy (%) or BLEU, as `metric_name` says. `source` names each row's file.
    """

    subnets: list[str]
    arch: dict[str, np.ndarray]
    params: np.ndarray
    latency: np.ndarray
    macs: np.ndarray
    metric: np.ndarray
    metric_name: str
    source: np.ndarray
    name: str = "subnets"
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.subnets)

    @property
    def top1(self) -> np.ndarray:
        if not self.metric_name.lower().startswith("top-1"):
            raise DataError(f"{self.name}: the metric is {self.metric_name!r}, not top-1 accuracy")
        return self.metric

    def encoding(self) -> np.ndarray:
        """All architecture fields side by side: an (n, sum of lengths) int array, fields in `arch` order."""
        return np.concatenate([self.arch[k] for k in self.arch], axis=1)

    def __repr__(self) -> str:
        return (f"SubnetTable(name={self.name!r}, rows={len(self)}, fields={list(self.arch)}, "
                f"metric={self.metric_name!r})")


@dataclass
class LatencyTable:
    """Latencies of every architecture of a NAS search space on several devices (HELP).

    `archs[i]` describes architecture i (an OFA config dict, a NAS-Bench-201 cell string, an FBNet op list);
    `latency[device]` is a float64 array aligned with `archs`. `hardware_embedding_index` lists the
    architectures HELP measures on a new device to embed it. `encoding` is an (n, d) int array where the
    files give one (FBNet: op index per layer; OFA: ks, e, d and resolution side by side), else None.
    """

    archs: list
    latency: dict[str, np.ndarray]
    hardware_embedding_index: np.ndarray
    search_space: str
    encoding: np.ndarray | None = None
    name: str = "latency"
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.archs)

    @property
    def devices(self) -> list[str]:
        return list(self.latency)

    def matrix(self, devices: list[str] | None = None) -> np.ndarray:
        """(n archs, n devices) latencies, columns in `devices` order (default: all)."""
        devices = self.devices if devices is None else devices
        missing = [d for d in devices if d not in self.latency]
        if missing:
            raise DataError(f"{self.name}: no latencies for device(s) {missing}; known: {self.devices}")
        return np.stack([self.latency[d] for d in devices], axis=1)

    def __repr__(self) -> str:
        return f"LatencyTable(name={self.name!r}, archs={len(self)}, devices={len(self.latency)})"


@dataclass
class ImageSet:
    """Labelled images: `images` (n, h, w) uint8, `labels` (n,) int64."""

    images: np.ndarray
    labels: np.ndarray
    name: str = "images"
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if len(self.images) != len(self.labels):
            raise DataError(f"{self.name}: {len(self.images)} images but {len(self.labels)} labels")

    def __len__(self) -> int:
        return len(self.labels)

    def flat(self, scale: bool = True) -> np.ndarray:
        """(n, h*w) float32 pixels, in [0, 1] when `scale`."""
        x = self.images.reshape(len(self.images), -1).astype(np.float32)
        return x / 255.0 if scale else x

    def __repr__(self) -> str:
        return f"ImageSet(name={self.name!r}, images={len(self)}, shape={self.images.shape[1:]})"


@dataclass
class TextSet:
    """Labelled sentences. `labels[i]` indexes `classes`; `split[i]` is 'train' / 'dev' / 'test', or None
    when the corpus has no published split (MR: use cross-validation)."""

    texts: list[str]
    labels: np.ndarray
    classes: list[str]
    split: np.ndarray | None = None
    name: str = "text"
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.labels = np.asarray(self.labels, dtype=np.int64)
        if len(self.texts) != len(self.labels):
            raise DataError(f"{self.name}: {len(self.texts)} texts but {len(self.labels)} labels")
        if self.split is not None:
            self.split = np.asarray(self.split)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, split: str) -> TextSet:
        """Only the rows of one published split."""
        if self.split is None:
            raise DataError(f"{self.name}: has no published split")
        if split not in set(self.split.tolist()):
            raise DataError(f"{self.name}: no split {split!r}; has {sorted(set(self.split.tolist()))}")
        idx = np.flatnonzero(self.split == split)
        return TextSet([self.texts[i] for i in idx], self.labels[idx], self.classes, self.split[idx],
                       name=f"{self.name}[{split}]", meta=dict(self.meta))

    def __repr__(self) -> str:
        parts = "" if self.split is None else ", " + ", ".join(
            f"{s}={int((self.split == s).sum())}" for s in dict.fromkeys(self.split.tolist()))
        return f"TextSet(name={self.name!r}, texts={len(self)}, classes={len(self.classes)}{parts})"
