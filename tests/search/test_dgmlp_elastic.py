"""dgmlp-elastic: protocol, masking, sandwich training on a small graph, metrics, the CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from learnless.errors import ConfigError
from learnless.search import Search, load_supernet, space_of
from learnless.search.supernets.dgmlp_elastic import DGMLPElastic
from tests.conftest import require_shared

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).with_name("learnless")
SMALL = {"prop_depths": [1, 2, 4], "trans_depths": [1, 2, 3], "hidden": [8, 32]}


def small_graph():
    from learnless.data import sbm_graph

    return sbm_graph(n_nodes=400, n_classes=3, n_features=24, p_in=0.04, p_out=0.004, feature_signal=0.8,
                     train_per_class=20, n_val=120, n_test=200, seed=1)


def tiny(epochs: int = 40, **kw):
    """A dgmlp-elastic on a 400-node synthetic graph (also the CLI test's `module:factory`)."""
    return DGMLPElastic(small_graph(), epochs=epochs, latency_repeats=3, **{**SMALL, **kw})


@pytest.fixture(scope="module")
def net():
    return tiny().fit()


def config(dp, dt, h):
    return {"prop_depth": dp, "trans_depth": dt, "hidden": h}


def test_builtin_is_cheap_and_conforms():
    n = load_supernet("dgmlp-elastic")
    assert n._graph is None and n._state is None  # building it loads no data, trains nothing
    sp = space_of(n)
    assert sp.names == ["prop_depth", "trans_depth", "hidden"]
    assert {"accuracy", "test_accuracy", "latency", "latency_iqr", "macs", "params"} <= set(n.metrics())
    with pytest.raises(ConfigError, match="not one of"):
        DGMLPElastic("pubmed-typo")


def test_inactive_slots_masking():
    n = tiny()
    assert n.inactive(config(2, 1, 32)) == {"hidden"} and n.inactive(config(2, 3, 32)) == set()
    sp = space_of(n)
    X = np.array(np.meshgrid(*[range(s) for s in sp.sizes], indexing="ij")).reshape(3, -1).T
    generic = np.ones(X.shape, bool)
    for i, x in enumerate(X):
        for name in n.inactive(sp.to_config(x)):
            generic[i, sp.names.index(name)] = False
    assert (sp.mask(X) == generic).all()  # the vectorised mask agrees with inactive()
    # Dt = 1 configs differing only in hidden are one sub-network
    assert sp.key(sp.to_vector(config(2, 1, 8))) == sp.key(sp.to_vector(config(2, 1, 32)))


def test_sandwich_training_beats_chance(net):
    chance = 100 / 3
    for cfg in (config(4, 3, 32), config(1, 1, 8)):  # the largest and the smallest sub-network
        m = net.evaluate(cfg, ["accuracy"])
        assert m["accuracy"] > chance + 15 and m["test_accuracy"] > chance + 15, (cfg, m)
    untrained = tiny(epochs=1).fit().evaluate(config(4, 3, 32), ["accuracy"])["accuracy"]
    assert net.evaluate(config(4, 3, 32), ["accuracy"])["accuracy"] > untrained


def test_evaluate_metrics_and_standalone_shape(net):
    m = net.evaluate(config(2, 2, 32), ["accuracy", "latency", "macs", "params", "latency_total"])
    for k in ("accuracy", "test_accuracy", "latency", "latency_iqr", "macs", "params", "latency_total"):
        assert np.isfinite(m[k]), k
    assert m["latency"] > 0 and m["latency_total"] > m["latency"]
    # the built sub-network has exactly the parameters of classify's DGMLP with that architecture
    from learnless.classify import DGMLP

    alone = DGMLP(prop_depth=2, trans_depth=2, hidden=32, epochs=2).fit(net.graph())
    assert m["params"] * 1e6 == pytest.approx(sum(p.numel() for p in alone.module_.parameters()))
    with pytest.raises(ConfigError, match="unknown metric"):
        net.evaluate(config(2, 2, 32), ["accuracy", "flops"])
    with pytest.raises(ConfigError, match="not provided"):
        Search(net, ["flops:min"], "random", population=4)


def test_weights_cached_on_disk(tmp_path, net):
    a = tiny(cache_dir=tmp_path).fit()
    b = tiny(cache_dir=tmp_path).fit()
    assert a.history_ and not b.history_  # the second loaded the weights instead of training
    cfg = config(4, 3, 32)
    assert a.evaluate(cfg, ["accuracy"])["accuracy"] == b.evaluate(cfg, ["accuracy"])["accuracy"]


def test_device_is_checked():
    with pytest.raises(ConfigError, match="--device"):
        tiny(device="tpu").fit()


def test_real_cora_small_space():
    require_shared("planetoid/ind.cora.x")
    n = DGMLPElastic("cora", epochs=30, prop_depths=[2], trans_depths=[1, 2], hidden=[16], latency_repeats=3)
    m = n.evaluate(config(2, 2, 16), ["accuracy", "latency"])
    assert m["accuracy"] > 50 and m["test_accuracy"] > 50  # 7 classes


def cli(*args):
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "LEARNLESS_PROGRESS": "0"}
    return subprocess.run([str(EXE), "search", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300, check=False)


def test_cli_spaces_lists_dgmlp_elastic():
    r = cli("spaces", "--json")
    assert r.returncode == 0, r.stderr
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert "dgmlp-elastic" in rows and "latency" in rows["dgmlp-elastic"]["metrics"]


def test_cli_run_tiny(tmp_path):
    out = tmp_path / "run"
    r = cli("run", "--supernet", "tests.search.test_dgmlp_elastic:tiny", "--objectives", "accuracy:max",
            "latency:min", "--tactic", "random", "--evals", "8", "--population", "4", "--out", str(out),
            "--json", "--quiet")
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    # 15 distinct sub-networks: a random batch may repeat one (equal up to an inactive slot)
    assert 4 <= m["evaluations"] <= 8 and m["failed"] == 0 and m["front_size"] >= 1
    assert (out / "front.csv").read_text().startswith("prop_depth")


def test_training_is_the_same_in_another_process():
    """The shared weights' initialisation is seeded like the training: two processes, the same metrics."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = ("import json; from tests.search.test_dgmlp_elastic import tiny; net = tiny(epochs=5); "
            "print(json.dumps(net.evaluate({'prop_depth': 2, 'trans_depth': 3, 'hidden': 8}, ['accuracy'])))")
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}:{root}", "LEARNLESS_PROGRESS": "0"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root,
                           check=True).stdout.strip().splitlines()[-1] for _ in range(2)]
    assert json.loads(runs[0]) == json.loads(runs[1])
