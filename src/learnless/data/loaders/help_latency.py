"""HELP's measured latency tables (Lee et al., NeurIPS 2021): `torch.save`
files of plain lists/dicts, read with
`torch.load(weights_only=True)` — only tensors, containers and NumPy scalars can come back, nothing runs.

Layout per search space: `latency/<device>.pt` (one latency per architecture, in architecture order) and
`hardware_embedding_index.pt`, plus the architecture list: `ofa/ofa_archs.pt` (dict with 'arch': OFA configs),
`nasbench201/str_arch2idx.pt` (cell string -> index), `fbnet/metainfo.pt` (dict with 'arch': op lists) and
`fbnet/arch.pt` (the same architectures as op indices)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from learnless.data.tables import LatencyTable
from learnless.errors import DataError, MissingFileError

SPACES = ("ofa", "nasbench201", "fbnet")


def _safe_globals():
    import numpy.dtypes as npd

    try:
        from numpy._core.multiarray import scalar
    except ImportError:  # pragma: no cover - NumPy 1.x
        from numpy.core.multiarray import scalar
    # NumPy scalars inside the lists (OFA's resolution 'r') pickle as scalar(dtype, bytes): data, not code.
    return [(scalar, "numpy.core.multiarray.scalar"), np.dtype] + [
        getattr(npd, n) for n in dir(npd) if n.endswith("DType")]


def torch_load_data(path: Path):
    import pickle

    import torch

    if not path.exists():
        raise MissingFileError(f"{path}: missing HELP file")
    try:
        with torch.serialization.safe_globals(_safe_globals()):
            return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        reason = str(exc).splitlines()[-1][:160]
        raise DataError(f"{path}: refused or unreadable torch file ({reason})") from exc
    except (RuntimeError, EOFError, ValueError) as exc:
        raise DataError(f"{path}: not a readable torch file ({exc})") from exc


def _plain(value):
    """NumPy scalars to Python numbers, recursively (OFA configs mix int and np.int64)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _archs(folder: Path, space: str) -> list:
    if space == "ofa":
        obj = torch_load_data(folder / "ofa_archs.pt")
        return [_plain(a) for a in obj["arch"]]
    if space == "nasbench201":
        mapping = torch_load_data(folder / "str_arch2idx.pt")
        archs = [None] * len(mapping)
        for s, i in mapping.items():
            if not 0 <= i < len(archs) or archs[i] is not None:
                raise DataError(f"{folder / 'str_arch2idx.pt'}: index {i} out of range or repeated")
            archs[i] = s
        return archs
    if space == "fbnet":
        obj = torch_load_data(folder / "metainfo.pt")
        return [list(a["arch_str"]) for a in obj["arch"]]
    raise DataError(f"{folder}: unknown HELP search space {space!r}; expected one of {SPACES}")


def read_help(folder: str | Path, space: str | None = None, name: str | None = None) -> LatencyTable:
    """The architectures of a HELP search space and their latency on every device file in `latency/`."""
    folder = Path(folder)
    space = space or folder.name
    archs = _archs(folder, space)
    files = sorted((folder / "latency").glob("*.pt"))
    if not files:
        raise MissingFileError(f"{folder / 'latency'}: no latency files")
    latency = {}
    for f in files:
        values = np.asarray(_plain(torch_load_data(f)), dtype=np.float64)
        if values.shape != (len(archs),):
            raise DataError(f"{f}: {values.shape[0] if values.ndim else 0} latencies for {len(archs)} "
                            f"architectures")
        latency[f.stem] = values
    index = np.asarray(torch_load_data(folder / "hardware_embedding_index.pt"), dtype=np.int64)
    encoding = _encoding(folder, space, archs)
    if index.size and (index.min() < 0 or index.max() >= len(archs)):
        raise DataError(f"{folder / 'hardware_embedding_index.pt'}: index out of range for {len(archs)} "
                        f"archs")
    return LatencyTable(archs=archs, latency=latency, hardware_embedding_index=index, search_space=space,
                        encoding=encoding, name=name or f"help-{space}", meta={"format": "help-pt"})


def _encoding(folder: Path, space: str, archs: list) -> np.ndarray | None:
    if space == "ofa":
        return np.asarray([a["ks"] + a["e"] + a["d"] + [a["r"]] for a in archs], dtype=np.int64)
    if space == "fbnet":
        path = folder / "arch.pt"
        enc = np.asarray(_plain(torch_load_data(path)), dtype=np.int64)
        if enc.shape[0] != len(archs):
            raise DataError(f"{path}: {enc.shape[0]} architectures, metainfo.pt has {len(archs)}")
        return enc
    return None
