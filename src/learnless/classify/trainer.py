"""One trainer for every model: Adam, a fixed number of epochs, the weights of the epoch with the best
validation accuracy (ties: lower validation loss), and test accuracy reported at that epoch.

Two input kinds: a dense feature matrix (precomputed propagation — trained full-batch or in mini-batches of
rows, which is what makes the decoupled models scale), or the graph itself for end-to-end GNNs (full-batch).
"""

from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch.nn import functional as F

from learnless.classify.models import GraphModule
from learnless.runtime.device import check_device


@dataclass
class TrainResult:
    best_epoch: int
    val_acc: float
    test_acc: float
    train_acc: float
    seconds: float
    history: list = field(default_factory=list)  # (epoch, train loss, val acc) per epoch
    # the predicted class of each validation node at the best epoch, in the split's order: model selection
    # compares two models node by node
    val_pred: np.ndarray | None = None


def _to(inputs, device):
    if isinstance(inputs, tuple):
        return tuple(t.to(device) for t in inputs)
    return inputs.to(device)


def _rows(module, inputs, idx: torch.Tensor | None, batch: int | None = None) -> torch.Tensor:
    """Logits for the rows `idx` (all rows if None)."""
    if isinstance(module, GraphModule):
        out = module(*inputs)
        return out if idx is None else out[idx]
    x = inputs
    if idx is None:
        idx = torch.arange(x.shape[0], device=x.device)
    if batch is None or len(idx) <= batch:
        return module(x[idx])
    return torch.cat([module(x[idx[s : s + batch]]) for s in range(0, len(idx), batch)])


@torch.no_grad()
def evaluate(
    module, inputs, y: torch.Tensor, idx: torch.Tensor, batch: int | None = None
) -> tuple[float, float]:
    """(accuracy, mean cross-entropy) on `idx`; (nan, nan) when it is empty."""
    if len(idx) == 0:
        return float("nan"), float("nan")
    module.eval()
    logits = _rows(module, inputs, idx, batch)
    return (float((logits.argmax(1) == y[idx]).float().mean()), float(F.cross_entropy(logits, y[idx])))


def train(
    module,
    inputs,
    y: np.ndarray,
    train_idx: np.ndarray,
    val_idx: np.ndarray,
    test_idx: np.ndarray,
    lr: float,
    weight_decay: float,
    epochs: int,
    batch_size: int | None = None,
    seed: int = 0,
    param_groups: list | None = None,
    eval_batch: int = 65536,
    progress=None,
    threads: int | None = None,
    device: str = "cpu",
    monitor=None,
) -> TrainResult:
    """Train `module` in place and load the weights of the best validation epoch into it.

    threads: torch threads while training (None: 1 for small problems, where thread start-up and contention
    with other processes cost far more than they save — 20x on a loaded 2-core machine — else every core).
    device: "cpu" or "cuda"; module and tensors are moved there for training and the module back to the CPU
    afterwards. monitor(epoch, best validation accuracy so far) is called after every epoch and may raise to
    stop training (model selection prunes poor trials this way)."""
    check_device(device)
    previous = torch.get_num_threads()
    if threads is None:
        rows = len(train_idx) if batch_size is None else min(batch_size, len(train_idx))
        width = inputs[0].shape[1] if isinstance(inputs, tuple) else inputs.shape[1]
        rows = inputs[0].shape[0] if isinstance(inputs, tuple) else rows
        threads = 1 if rows * width < 5_000_000 else (os.cpu_count() or 1)
    torch.set_num_threads(threads)
    try:
        module.to(device)
        return _train(
            module,
            _to(inputs, device),
            y,
            train_idx,
            val_idx,
            test_idx,
            lr,
            weight_decay,
            epochs,
            batch_size,
            seed,
            param_groups,
            eval_batch,
            progress,
            device,
            monitor,
        )
    finally:
        module.to("cpu")
        torch.set_num_threads(previous)


def _train(
    module,
    inputs,
    y,
    train_idx,
    val_idx,
    test_idx,
    lr,
    weight_decay,
    epochs,
    batch_size,
    seed,
    param_groups,
    eval_batch,
    progress,
    device="cpu",
    monitor=None,
) -> TrainResult:
    start = time.perf_counter()
    gen = torch.Generator().manual_seed(seed)
    yt = torch.as_tensor(y).to(device)
    tr, va, te = (torch.as_tensor(i, dtype=torch.long).to(device) for i in (train_idx, val_idx, test_idx))
    opt = torch.optim.Adam(param_groups or module.parameters(), lr=lr, weight_decay=weight_decay)
    graph_mode = isinstance(module, GraphModule)
    best = (-1.0, float("inf"))
    best_state, best_epoch, history = None, -1, []
    for epoch in range(epochs):
        module.train()
        if graph_mode or batch_size is None or len(tr) <= batch_size:
            batches = [tr]
        else:
            perm = tr[torch.randperm(len(tr), generator=gen).to(device)]
            batches = list(torch.split(perm, batch_size))
        total = 0.0
        for b in batches:
            opt.zero_grad()
            loss = F.cross_entropy(_rows(module, inputs, b), yt[b])
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
        val_acc, val_loss = evaluate(module, inputs, yt, va, eval_batch)
        history.append((epoch, total / max(len(tr), 1), val_acc))
        if (val_acc, -val_loss) > (best[0], -best[1]):
            best, best_epoch = (val_acc, val_loss), epoch
            best_state = copy.deepcopy(module.state_dict())
        if progress is not None:
            progress(epoch)
        if monitor is not None:
            monitor(epoch, best[0])
    if best_state is not None:
        module.load_state_dict(best_state)
    test_acc, _ = evaluate(module, inputs, yt, te, eval_batch)
    train_acc, _ = evaluate(module, inputs, yt, tr, eval_batch)
    with torch.no_grad():
        module.eval()
        val_pred = _rows(module, inputs, va, eval_batch).argmax(1).cpu().numpy() if len(va) else None
    return TrainResult(best_epoch, best[0], test_acc, train_acc, time.perf_counter() - start, history,
                       val_pred)
