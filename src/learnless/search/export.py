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

With the `onnx` extra, `save_subnetwork(..., "sub.onnx")` writes an ONNX model instead (torch.onnx's
dynamo exporter, the batch dimension dynamic), the same metadata in its `learnless.json` property:

    import onnxruntime
    session = onnxruntime.InferenceSession("sub.onnx")
    logits = session.run(None, {session.get_inputs()[0].name: x})[0]
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from learnless.errors import ConfigError

METADATA = "learnless.json"
FORMATS = (".pt2", ".onnx")


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
    """Write the sub-network atomically to `path`: a torch.export program (.pt2) or an ONNX model (.onnx,
    the `onnx` extra); returns the path."""
    path = check_output(path)
    module, example = export_module(net, config)
    if example.shape[0] < 2:
        raise ConfigError("export: example_input must hold at least 2 rows (a dynamic batch dimension)")
    doc = {
        "config": dict(config),
        "input": {"shape": ["batch", *example.shape[1:]], "dtype": str(example.dtype).removeprefix("torch.")},
        "load": ("onnxruntime.InferenceSession(path)" if path.suffix == ".onnx"
                 else "torch.export.load(path).module()"),
        **(metadata or {}),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    try:
        writer = _write_onnx if path.suffix == ".onnx" else _write_program
        writer(module, example, tmp, json.dumps(doc, default=str))
        os.replace(tmp, path)  # a reader sees no file or the whole one
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def check_output(path: str | os.PathLike) -> Path:
    """`path` as a Path when its suffix names a format this installation can write; else ConfigError."""
    path = Path(path)
    if path.suffix not in FORMATS:
        raise ConfigError(f"--output: {path} must end in .pt2 (torch.export) or .onnx (ONNX)")
    if path.suffix == ".onnx":
        _check_onnx()
    return path


def _check_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError:
        raise ConfigError("--output .onnx: needs the onnx extra (pip install 'learnless[onnx]')") from None


def _write_program(module, example, path: str, doc: str) -> None:
    import torch

    batch = torch.export.Dim("batch")
    with torch.no_grad():
        program = torch.export.export(module, (example,), dynamic_shapes=({0: batch},))
    torch.export.save(program, path, extra_files={METADATA: doc})


def _write_onnx(module, example, path: str, doc: str) -> None:
    import contextlib
    import io

    import onnx
    import torch

    batch = torch.export.Dim("batch")
    # the exporter narrates its steps on stdout, which belongs to --json
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()):
        program = torch.onnx.export(module, (example,), dynamo=True, dynamic_shapes=({0: batch},),
                                    verbose=False)
    model = program.model_proto
    entry = model.metadata_props.add()
    entry.key, entry.value = METADATA, doc
    onnx.save(model, path)


def load_subnetwork(path: str | os.PathLike):
    """(module, metadata) of a .pt2 file written by save_subnetwork (what a user does without learnless)."""
    import torch

    extra = {METADATA: ""}
    program = torch.export.load(str(path), extra_files=extra)
    return program.module(), json.loads(extra[METADATA] or "{}")


def load_onnx(path: str | os.PathLike):
    """(onnxruntime session, metadata) of a .onnx file written by save_subnetwork."""
    import onnx
    import onnxruntime

    model = onnx.load(str(path))
    meta = {p.key: p.value for p in model.metadata_props}
    return onnxruntime.InferenceSession(str(path)), json.loads(meta.get(METADATA) or "{}")
