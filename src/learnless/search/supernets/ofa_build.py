"""OFA MobileNetV3 (width 1.0) sub-networks as plain torch modules, following the published specification of
Once-for-All (Cai et al., ICLR 2020; the MIT-licensed `ofa` package): a 3x3 stem (16 ch, stride 2, h-swish),
one
fixed 3x3 MBConv (expand 1), five stages of up to four elastic MBConv blocks (widths 24/40/80/112/160, strides
2/2/2/1/2, ReLU/ReLU/h-swish/h-swish/h-swish, squeeze-excite in stages 2, 4, 5), a 1x1 conv to 960, global
pooling, a 1x1 conv to 1280 (no BN, no bias) and the 1000-way classifier. Weights are random: they change
neither MACs, parameters nor latency."""

from __future__ import annotations

import torch
from torch import nn

WIDTHS = (24, 40, 80, 112, 160)
STRIDES = (2, 2, 2, 1, 2)
ACTS = ("relu", "relu", "h_swish", "h_swish", "h_swish")
SE = (False, True, False, True, True)
MAX_DEPTH = 4
KS, EXPAND, DEPTH = [3, 5, 7], [3, 4, 6], [2, 3, 4]


def make_divisible(v: float, divisor: int = 8, min_val: int | None = None) -> int:
    min_val = divisor if min_val is None else min_val
    new_v = max(min_val, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _act(name: str) -> nn.Module:
    return nn.ReLU(inplace=True) if name == "relu" else nn.Hardswish(inplace=True)


class SEModule(nn.Module):
    def __init__(self, channel: int):
        super().__init__()
        mid = make_divisible(channel // 4)
        self.fc = nn.Sequential(
            nn.Conv2d(channel, mid, 1),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid, channel, 1),
            nn.Hardsigmoid(inplace=True),
        )

    def forward(self, x):
        return x * self.fc(x.mean((2, 3), keepdim=True))


class MBConv(nn.Module):
    def __init__(
        self,
        cin: int,
        cout: int,
        ks: int,
        expand: float,
        stride: int,
        act: str,
        se: bool,
        mid: int | None = None,
    ):
        super().__init__()
        mid = mid if mid is not None else make_divisible(round(cin * expand))
        layers = []
        if expand != 1:
            layers += [nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), _act(act)]
        layers += [
            nn.Conv2d(mid, mid, ks, stride, ks // 2, groups=mid, bias=False),
            nn.BatchNorm2d(mid),
            _act(act),
        ]
        if se:
            layers.append(SEModule(mid))
        layers += [nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def stem() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, 2, 1, bias=False),
        nn.BatchNorm2d(16),
        nn.Hardswish(inplace=True),
        MBConv(16, 16, 3, 1, 1, "relu", False, mid=16),
    )


def head(n_classes: int = 1000) -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(160, 960, 1, bias=False),
        nn.BatchNorm2d(960),
        nn.Hardswish(inplace=True),
        nn.AdaptiveAvgPool2d(1),
        nn.Conv2d(960, 1280, 1, bias=False),
        nn.Hardswish(inplace=True),
        nn.Flatten(),
        nn.Dropout(0.1),
        nn.Linear(1280, n_classes),
    )


def block(stage: int, index: int, ks: int, expand: int) -> MBConv:
    """Block `index` (0-3) of `stage` (0-4)."""
    cin = 16 if stage == 0 and index == 0 else (WIDTHS[stage - 1] if index == 0 else WIDTHS[stage])
    return MBConv(cin, WIDTHS[stage], ks, expand, STRIDES[stage] if index == 0 else 1, ACTS[stage], SE[stage])


def build(ks: list[int], e: list[int], d: list[int], n_classes: int = 1000) -> nn.Module:
    """The sub-network with kernel sizes `ks` (20), expand ratios `e` (20) and stage depths `d` (5)."""
    layers = [stem()]
    for s in range(5):
        for i in range(d[s]):
            j = s * MAX_DEPTH + i
            layers.append(block(s, i, ks[j], e[j]))
    layers.append(head(n_classes))
    return nn.Sequential(*layers)


def input_size(stage: int, index: int, resolution: int = 224) -> int:
    """Spatial size entering a block (the stem halves the input; each stage's first block may stride)."""
    size = (resolution + 1) // 2
    for s in range(stage + (1 if index > 0 else 0)):
        size = (size + STRIDES[s] - 1) // STRIDES[s]
    return size


__all__ = ["block", "build", "head", "input_size", "make_divisible", "stem", "torch"]
