"""HKUDS pickled scipy matrices: GTE `train_mat.pkl`/`test_mat.pkl` and AutoCF `trnMat/valMat/tstMat.pkl`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.data.safe_pickle import safe_load
from learnless.errors import DataError, MissingFileError
from learnless.graph.containers import Interactions


def read_sparse_pickle(path: str | Path) -> sp.csr_matrix:
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: missing interaction matrix")
    obj = safe_load(path, encoding="latin1")
    if not sp.issparse(obj):
        raise DataError(f"{path}: expected a pickled scipy sparse matrix, got {type(obj).__name__}")
    m = sp.csr_matrix(obj, dtype=np.float32)
    m.sum_duplicates()
    return m


def read_gte_pkl(folder: str | Path, name: str | None = None) -> Interactions:
    folder = Path(folder)
    train = read_sparse_pickle(folder / "train_mat.pkl")
    test = read_sparse_pickle(folder / "test_mat.pkl")
    return Interactions(train, test, name=name or folder.name,
                        meta={"format": "gte-pkl", "test_shape_published": list(test.shape)})


def read_autocf_pkl(folder: str | Path, name: str | None = None) -> Interactions:
    folder = Path(folder)
    train = read_sparse_pickle(folder / "trnMat.pkl")
    val = read_sparse_pickle(folder / "valMat.pkl")
    test = read_sparse_pickle(folder / "tstMat.pkl")
    return Interactions(train, test, val=val, name=name or folder.name, meta={"format": "autocf-pkl"})
