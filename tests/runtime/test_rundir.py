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


def _open(out, **params):
    return RunDir.open("probe", "x", out, command="learnless probe run", params=params,
                       force=params.pop("force", False))


def test_force_over_another_run_drops_its_metrics(tmp_path):
    from learnless.errors import ConfigError

    first = _open(tmp_path / "r", k=1)
    first.write_metrics({"acc": 0.9})
    first.close()
    with pytest.raises(ConfigError, match="add --force"):
        _open(tmp_path / "r", k=2)
    assert json.loads((tmp_path / "r" / "metrics.json").read_text()) == {"acc": 0.9}  # refused: untouched
    second = _open(tmp_path / "r", k=2, force=True)
    second.close()
    assert not (tmp_path / "r" / "metrics.json").exists()
    assert json.loads((tmp_path / "r" / "config.json").read_text())["params"] == {"k": 2}
    assert "--force: replacing the run of `learnless probe run`" in (tmp_path / "r" / "run.log").read_text()


def test_unreadable_config_is_refused_unless_forced(tmp_path):
    from learnless.errors import ConfigError

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "config.json").write_text("{not json")
    with pytest.raises(ConfigError, match="an unknown command"):
        _open(tmp_path / "r", k=1)
    run = _open(tmp_path / "r", k=1, force=True)
    run.close()
    assert not run.resumed and json.loads((tmp_path / "r" / "config.json").read_text())["params"] == {"k": 1}


def test_config_json_holds_params_and_provenance(tmp_path):
    run = RunDir.open("probe", "x", tmp_path / "r", command="learnless probe run", params={"k": np.int64(3)},
                      inputs={"data": tmp_path / "in.txt"})
    run.close()
    config = json.loads((tmp_path / "r" / "config.json").read_text())
    assert config["command"] == "learnless probe run" and config["params"] == {"k": 3}
    assert {"learnless_version", "git_commit", "date", "cpus"} <= set(config["provenance"])
