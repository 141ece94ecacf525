"""Pickles and torch files can name any callable; the loaders must refuse such files before anything runs."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data.formats import read_format
from learnless.data.loaders.help_latency import torch_load_data
from learnless.data.safe_pickle import safe_load
from learnless.errors import DataError, UnsafePickleError


class Payload:
    """Unpickling this with plain pickle.load would create `marker` (via os.system, then via open)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f"touch '{self.marker}'",)


class OpenPayload(Payload):
    def __reduce__(self):
        return open, (self.marker, "w")


@pytest.mark.parametrize("cls", [Payload, OpenPayload])
def test_pickle_outside_allow_list_is_refused_and_its_payload_never_runs(tmp_path, cls):
    marker = tmp_path / "pwned"
    blob = pickle.dumps({"data": np.arange(3), "evil": cls(marker)}, protocol=2)
    (tmp_path / "train_mat.pkl").write_bytes(blob)
    (tmp_path / "test_mat.pkl").write_bytes(pickle.dumps(sp.coo_matrix(np.eye(2)), protocol=2))
    with pytest.raises(UnsafePickleError,
                       match=r"train_mat\.pkl: refuses to load '(posix|builtins|io)\.\w+'"):
        read_format(tmp_path, "gte-pkl")
    with pytest.raises(UnsafePickleError, match="nothing in the file was executed"):
        safe_load(blob)
    assert not marker.exists()
    # The check is meaningful: an unrestricted pickle.loads of the same bytes does run the payload.
    pickle.loads(blob)
    assert marker.exists()


def test_torch_file_with_code_is_refused(tmp_path):
    import torch

    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save([1.0, Payload(marker)], path)
    with pytest.raises(DataError, match=r"evil\.pt: refused or unreadable torch file"):
        torch_load_data(path)
    assert not marker.exists()


def test_garbage_pickle_is_a_data_error(tmp_path):
    (tmp_path / "x.pkl").write_bytes(b"\x80\x02not a pickle at all")
    with pytest.raises(DataError, match=r"x\.pkl: not a readable pickle"):
        safe_load(tmp_path / "x.pkl")
