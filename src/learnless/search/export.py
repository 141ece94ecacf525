"""Taking a sub-network out of a super-network: a standalone `torch.export` program, run without learnless.

A super-network that can be exported has two optional protocol methods:
  export(config) -> torch.nn.Module        the sub-network with its weights sliced out of the shared ones,
                                            in eval mode, computing exactly what `evaluate` scored;
  example_input(config) -> torch.Tensor    a batch (of >= 2 rows) of what that module takes, used to trace it.

`save_subnetwork` traces the module with `torch.export` (the batch dimension dynamic) and writes one `.pt2`
file with the config, its validated metrics and a description of the input inside (`learnless.json`):

    import torch
    extra = {"learnless.json": ""}
    net = torch.export.load("sub.pt2", extra_files=extra).module()   # no learnless import needed
    logits = net(x)
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from learnless.errors import ConfigError

METADATA = "learnless.json"


def can_export(net) -> bool:
    return callable(getattr(net, "export", None)) and callable(getattr(net, "example_input", None))


def export_module(net, config: dict):
    """(module, example input) of one sub-network; ConfigError when the super-network cannot export."""
    if not can_export(net):
        raise ConfigError(
            f"export: the super-network {type(net).__name__} has no export(config) / example_input(config) "
            "(ofa-mbv3 and nasbench-graph hold no trained weights to take out)"
        )
    module = net.export(dict(config))
    example = net.example_input(dict(config))
    return module.eval(), example


def save_subnetwork(net, config: dict, path: str | os.PathLike, metadata: dict | None = None) -> Path:
    """Trace the sub-network with torch.export and write it atomically to `path` (.pt2); returns the path."""
    import torch

    module, example = export_module(net, config)
    if example.shape[0] < 2:
        raise ConfigError("export: example_input must hold at least 2 rows (a dynamic batch dimension)")
    batch = torch.export.Dim("batch")
    with torch.no_grad():
        program = torch.export.export(module, (example,), dynamic_shapes=({0: batch},))
    doc = {
        "config": dict(config),
        "input": {"shape": ["batch", *example.shape[1:]], "dtype": str(example.dtype).removeprefix("torch.")},
        "load": "torch.export.load(path).module()",
        **(metadata or {}),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.pt2", dir=path.parent)
    os.close(fd)
    try:
        torch.export.save(program, tmp, extra_files={METADATA: json.dumps(doc, default=str)})
        os.replace(tmp, path)  # a reader sees no file or the whole one
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_subnetwork(path: str | os.PathLike):
    """(module, metadata) of a file written by save_subnetwork (what a user does without learnless)."""
    import torch

    extra = {METADATA: ""}
    program = torch.export.load(str(path), extra_files=extra)
    return program.module(), json.loads(extra[METADATA] or "{}")
