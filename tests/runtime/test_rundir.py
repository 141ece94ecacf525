import json
import os

import numpy as np
import pytest

from learnless.runtime import RunDir, seed_everything, write_json_atomic


def test_run_directory_layout(tmp_path):
    run = RunDir.create("recommend", "gte tmall/k=3", root=tmp_path)
    assert run.path.parent == tmp_path / "recommend"
    assert run.path.name.endswith("-gte-tmall-k-3")
    run.write_config({"k": 3})
    run.write_metrics({"recall@20": np.float32(0.5), "nan": float("nan")})
    run.log("hello")
    run.close()
    assert json.loads((run.path / "config.json").read_text()) == {"k": 3}
    assert json.loads((run.path / "metrics.json").read_text()) == {"recall@20": 0.5, "nan": None}
    assert "hello" in (run.path / "run.log").read_text()


def test_atomic_write_leaves_old_file_intact_on_failure(tmp_path):
    target = tmp_path / "metrics.json"
    write_json_atomic(target, {"a": 1})

    class Unserialisable:
        pass

    with pytest.raises(TypeError):
        write_json_atomic(target, {"a": Unserialisable()})
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]  # no temp file left behind


def test_out_option_is_used_verbatim(tmp_path):
    run = RunDir.create("grok", "x", out=tmp_path / "mine")
    assert run.path == tmp_path / "mine" and run.path.is_dir()


def test_seed_everything_is_reproducible():
    import torch

    a = (seed_everything(3).random(), np.random.rand(), torch.rand(1).item())
    b = (seed_everything(3).random(), np.random.rand(), torch.rand(1).item())
    assert a == b
    assert os.environ.get("PYTHONHASHSEED") is not None
