"""Multi-hop feature propagation X, ÂX, Â²X, ... — the one kernel behind SGC, SIGN, DGMLP and friends.

The adjacency stays a SciPy CSR matrix; the products run through torch's CSR kernel because it uses every
core (SciPy's sparse matmul holds the GIL and runs on one). Features are processed in column chunks so that
the working memory beyond the inputs and the result is bounded.
"""

from __future__ import annotations

import mmap
import os
import warnings
from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError, DataError


def torch_csr(adj: sp.spmatrix):
    """A float32 torch CSR tensor sharing nothing with `adj` (index arrays as int64, as torch expects)."""
    import torch  # imported where used: `learnless.graph` users that never propagate don't pay ~250 MB for it

    a = sp.csr_matrix(adj, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "CSR support is in beta" — it is what we want
        return torch.sparse_csr_tensor(
            torch.from_numpy(a.indptr.astype(np.int64)),
            torch.from_numpy(a.indices.astype(np.int64)),
            torch.from_numpy(np.ascontiguousarray(a.data)),
            size=a.shape,
        )


def default_chunk_size(n_nodes: int, budget_bytes: int = 256 * 2**20) -> int:
    """Columns per chunk so that one chunk's two working buffers (current and next hop) fit the budget."""
    return max(1, int(budget_bytes // (2 * 4 * max(n_nodes, 1))))


def iter_propagate(adj: sp.spmatrix, x: np.ndarray, hops: int, chunk_size: int | None = None,
                   threads: int | None = None) -> Iterator[tuple[slice, int, np.ndarray]]:
    """Yield `(columns, k, Âᵏ X[:, columns])` for every column chunk and every k = 0..hops.

    Streaming form of `propagate`: a consumer that reduces the hops as they come (a weighted sum, a
    file on disk) never holds more than two n x chunk_size float32 buffers besides its own state.
    Within a chunk the hops arrive in order k = 0, 1, ..., hops.
    """
    a, x = _check(adj, x, hops)
    n, f = x.shape
    chunk = chunk_size or default_chunk_size(n)
    if chunk < 1:
        raise ConfigError(f"chunk_size must be >= 1, got {chunk}")
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads or os.cpu_count() or 1)
    try:
        at = torch_csr(a)
        for start in range(0, f, chunk):
            cols = slice(start, min(start + chunk, f))
            h = torch.from_numpy(np.ascontiguousarray(x[:, cols]))
            yield cols, 0, h.numpy()
            for k in range(1, hops + 1):
                h = at @ h
                yield cols, k, h.numpy()
    finally:
        torch.set_num_threads(previous)


def propagate(adj: sp.spmatrix, x: np.ndarray, hops: int, chunk_size: int | None = None,
              out: np.ndarray | None = None, threads: int | None = None) -> np.ndarray:
    """Every hop of feature propagation: returns H with H[k] = Âᵏ X for k = 0..hops, float32.

    `adj` is used as given (normalise it first with `normalize_adjacency`). The result has shape
    (hops + 1, n, f); pass `out` (for example an `np.memmap` on disk) to write it somewhere else.

    Memory bound: besides `adj`, `x` and the result, at most two n x chunk_size float32 buffers
    (the current and the next hop of one chunk) plus a float32/int64 copy of `adj` for the torch kernel
    (12 bytes per non-zero). The default chunk keeps the two buffers under 256 MiB. When `out` is an
    `np.memmap`, the default chunk is all columns (two n x f buffers) and each finished hop is flushed and
    released, so the on-disk result does not stay resident.
    """
    a, x = _check(adj, x, hops)
    n, f = x.shape
    shape = (hops + 1, n, f)
    if out is None:
        out = np.empty(shape, dtype=np.float32)
    elif out.shape != shape or out.dtype != np.float32:
        raise ConfigError(f"out: expected a float32 array of shape {shape}, got {out.dtype} {out.shape}")
    on_disk = isinstance(out, np.memmap)
    if on_disk and chunk_size is None:
        # A column chunk touches every page of every hop (rows are contiguous); full-width chunks write each
        # hop as one contiguous block that can be flushed and dropped from memory as soon as it is done.
        chunk_size = f
    for cols, k, block in iter_propagate(a, x, hops, chunk_size, threads):
        out[k, :, cols] = block
        if on_disk:
            _release_written_pages(out)
    return out


def _release_written_pages(out: np.memmap) -> None:
    """Write a finished chunk to disk and drop its pages from this process: resident file pages count toward
    RSS, so without this an on-disk result would still grow memory to its full size."""
    out.flush()
    mm = getattr(out, "_mmap", None)  # numpy keeps the mmap object here; absent for some subclasses
    if mm is not None and hasattr(mm, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
        mm.madvise(mmap.MADV_DONTNEED)


def _check(adj, x, hops):
    if not isinstance(hops, (int, np.integer)) or hops < 0:
        raise ConfigError(f"hops must be an integer >= 0, got {hops!r}")
    if not sp.issparse(adj):
        raise ConfigError(f"adj: expected a scipy sparse matrix, got {type(adj).__name__}")
    if adj.shape[0] != adj.shape[1]:
        raise DataError(f"adj: must be square, got shape {adj.shape}")
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[0] != adj.shape[0]:
        raise DataError(f"x: has {x.shape[0]} rows but the adjacency has {adj.shape[0]} nodes")
    return adj, x
