"""LightGCN / NGCF text data: `train.txt`/`test.txt` (`user item item ...` per line), and LightGCN-PyTorch's
gowalla, whose training graph is shipped only inside `s_adj_mat.npz` (the normalised (users+items)² adjacency:
its non-zero user→item block is exactly the training pairs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.errors import DataError, MissingFileError
from learnless.graph.containers import Interactions


def read_adjacency_lists(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(users, items) pairs of a `user item item ...` file; errors name the file and line."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: missing interaction list")
    users, items = [], []
    with open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            try:
                ids = [int(p) for p in parts]
            except ValueError as exc:
                raise DataError(f"{path}:{lineno}: expected integer ids, got {line.strip()[:60]!r}") from exc
            if min(ids) < 0:
                raise DataError(f"{path}:{lineno}: negative id")
            users.extend([ids[0]] * (len(ids) - 1))
            items.extend(ids[1:])
    return np.asarray(users, np.int64), np.asarray(items, np.int64)


def _matrix(users, items, shape, path) -> sp.csr_matrix:
    if users.size and (users.max() >= shape[0] or items.max() >= shape[1]):
        raise DataError(f"{path}: ids out of range for {shape[0]} users x {shape[1]} items")
    return sp.csr_matrix((np.ones(len(users), np.float32), (users, items)), shape=shape)


def read_lightgcn_txt(folder: str | Path, name: str | None = None) -> Interactions:
    """Plain LightGCN `train.txt` + `test.txt`; sizes are the largest ids + 1 over both files."""
    folder = Path(folder)
    tr_u, tr_i = read_adjacency_lists(folder / "train.txt")
    te_u, te_i = read_adjacency_lists(folder / "test.txt")
    shape = (int(max(tr_u.max(initial=-1), te_u.max(initial=-1))) + 1,
             int(max(tr_i.max(initial=-1), te_i.max(initial=-1))) + 1)
    return Interactions(_matrix(tr_u, tr_i, shape, folder / "train.txt"), _matrix(te_u, te_i, shape,
                                                                                  folder / "test.txt"),
                        name=name or folder.name, meta={"format": "lightgcn-txt"})


def read_lightgcn_gowalla(folder: str | Path, n_users: int | None = None,
                          name: str = "gowalla") -> Interactions:
    """LightGCN-PyTorch's gowalla: train pairs from the user→item
    block of `s_adj_mat.npz`, test from `test.txt`.

    The user count is that of `user_list.txt` when present (29,858), else `n_users` must be given.
    """
    folder = Path(folder)
    adj_path = folder / "s_adj_mat.npz"
    if not adj_path.exists():
        raise MissingFileError(f"{adj_path}: missing LightGCN adjacency")
    if n_users is None:
        ulist = folder / "user_list.txt"
        if not ulist.exists():
            raise MissingFileError(f"{ulist}: needed to split the adjacency into users and items")
        with open(ulist) as fh:
            n_users = sum(1 for line in fh if line.strip()) - 1  # header line "org_id remap_id"
    with np.load(adj_path, allow_pickle=False) as z:
        adj = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
    n_items = adj.shape[0] - n_users
    if n_items <= 0:
        raise DataError(f"{adj_path}: {adj.shape[0]} nodes cannot hold {n_users} users")
    train = adj[:n_users, n_users:].tocsr()
    te_u, te_i = read_adjacency_lists(folder / "test.txt")
    test = _matrix(te_u, te_i, (n_users, n_items), folder / "test.txt")
    return Interactions(train, test, name=name, meta={"format": "lightgcn-gowalla"})
