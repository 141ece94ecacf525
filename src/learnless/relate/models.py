"""Small named models for `learnless relate extract --model learnless.relate.models:NAME` (load trained
weights with --weights)."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np


def mnist_cnn():
    """(n, 1, 28, 28) -> 10 logits, in named blocks: conv1, conv2 (3x3 conv, ReLU, 2x2 max-pool), flatten,
    fc1 (Linear 1568 -> 128, ReLU), fc2 (Linear 128 -> 10)."""
    from torch import nn

    return nn.Sequential(OrderedDict(
        conv1=nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        conv2=nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
        flatten=nn.Flatten(),
        fc1=nn.Sequential(nn.Linear(32 * 7 * 7, 128), nn.ReLU()),
        fc2=nn.Linear(128, 10),
    ))


def train_classifier(model, x: np.ndarray, y: np.ndarray, *, seed: int, epochs: int = 2, lr: float = 1e-3,
                     batch: int = 128):
    """Adam + cross-entropy on (x, y); the seed fixes the initialisation and the batch order."""
    import torch

    from learnless.runtime.seed import seed_everything

    seed_everything(seed)
    model = model() if callable(model) and not isinstance(model, torch.nn.Module) else model
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(xt), generator=gen).split(batch):
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model
