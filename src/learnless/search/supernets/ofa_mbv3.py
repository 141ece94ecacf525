"""`ofa-mbv3`: the OFA MobileNetV3 (width 1.0) super-network — ks x20 {3,5,7}, expand x20 {3,4,6}, depth x5
{2,3,4} at 224x224.

Metrics:
  macs, params        millions, exact, from a closed-form per-block table (no forward pass); equal to
                      torch.utils.flop_counter on the built sub-network and to DyNAS-T's measured columns;
  accuracy            ImageNet top-1 (%) from a surrogate — an MLP regressor on the masked one-hot features —
                      fitted on DyNAS-T's 2,223 measured sub-networks (a family the search's predictors lack);
  latency@<device>    ms, from a gradient-boosted model fitted on HELP's measured latencies of 5,000 OFA
                      configurations (devices 2080ti, titan_rtx, titan_xp, v100 at batch 1/32/64;
                      `latency@v100` means batch 1);
  latency@cpu         ms, measured here: median of timed forward passes of the built module (batch 1, 1
  thread).
"""

from __future__ import annotations

import functools

import numpy as np

from learnless.search.supernets.ofa_build import DEPTH, EXPAND, KS, MAX_DEPTH

N_BLOCKS, N_STAGES = 20, 5
HELP_DEVICES = tuple(f"{g}_{b}" for g in ("2080ti", "titan_rtx", "titan_xp", "v100") for b in (1, 32, 64))


def space_dict() -> dict:
    out = {f"ks_{i}": list(KS) for i in range(N_BLOCKS)}
    out.update({f"e_{i}": list(EXPAND) for i in range(N_BLOCKS)})
    out.update({f"d_{s}": list(DEPTH) for s in range(N_STAGES)})
    return out


def arch_of(config: dict) -> tuple[list, list, list]:
    return (
        [config[f"ks_{i}"] for i in range(N_BLOCKS)],
        [config[f"e_{i}"] for i in range(N_BLOCKS)],
        [config[f"d_{s}"] for s in range(N_STAGES)],
    )


def config_of(ks, e, d) -> dict:
    cfg = {f"ks_{i}": int(v) for i, v in enumerate(ks)}
    cfg.update({f"e_{i}": int(v) for i, v in enumerate(e)})
    cfg.update({f"d_{s}": int(v) for s, v in enumerate(d)})
    return cfg


def active_mask(X: np.ndarray) -> np.ndarray:
    """Index vectors (ks_0..19, e_0..19, d_0..4 order) -> active slots; block i of a stage with depth d is
    active when i < d."""
    X = np.atleast_2d(X)
    depth = np.asarray(DEPTH)[X[:, 2 * N_BLOCKS :]]  # (n, 5)
    blocks = np.repeat(depth, MAX_DEPTH, axis=1) > np.tile(np.arange(MAX_DEPTH), N_STAGES)  # (n, 20)
    return np.hstack([blocks, blocks, np.ones((len(X), N_STAGES), dtype=bool)])


def block_cost(stage: int, index: int, ks: int, expand: int) -> tuple[int, int]:
    """(MACs, params) of one MBConv block in closed form (1x1 expand, depthwise k x k, SE, 1x1 project; BN
    contributes 2 parameters per channel and no MACs, as flop_counter counts them)."""
    from learnless.search.supernets.ofa_build import SE, STRIDES, WIDTHS, input_size, make_divisible

    cin = 16 if stage == 0 and index == 0 else (WIDTHS[stage - 1] if index == 0 else WIDTHS[stage])
    cout, h = WIDTHS[stage], input_size(stage, index)
    stride = STRIDES[stage] if index == 0 else 1
    ho = (h + stride - 1) // stride
    mid = make_divisible(round(cin * expand))
    macs = cin * mid * h * h + ks * ks * mid * ho * ho + mid * cout * ho * ho
    params = cin * mid + 2 * mid + ks * ks * mid + 2 * mid + mid * cout + 2 * cout
    if SE[stage]:
        se = make_divisible(mid // 4)
        macs += 2 * mid * se
        params += 2 * mid * se + se + mid
    return macs, params


@functools.lru_cache(maxsize=1)
def cost_tables() -> tuple[int, int, np.ndarray, np.ndarray]:
    """(base MACs, base params, macs[20, 3, 3], params[20, 3, 3]): the fixed stem and head, and every
    (block, kernel, expand) block's cost."""
    stem_macs = 3 * 16 * 9 * 112 * 112 + 9 * 16 * 112 * 112 + 16 * 16 * 112 * 112
    stem_params = 3 * 16 * 9 + 2 * 16 + 9 * 16 + 2 * 16 + 16 * 16 + 2 * 16
    head_macs = 160 * 960 * 7 * 7 + 960 * 1280 + 1280 * 1000
    head_params = 160 * 960 + 2 * 960 + 960 * 1280 + 1280 * 1000 + 1000
    macs = np.zeros((N_BLOCKS, 3, 3), dtype=np.int64)
    params = np.zeros_like(macs)
    for j in range(N_BLOCKS):
        s, i = divmod(j, MAX_DEPTH)
        for a, k in enumerate(KS):
            for b, e in enumerate(EXPAND):
                macs[j, a, b], params[j, a, b] = block_cost(s, i, k, e)
    return stem_macs + head_macs, stem_params + head_params, macs, params


def analytic_costs(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(MACs, params) of index vectors X, from the block tables (vectorised; no forward pass)."""
    base_m, base_p, macs, params = cost_tables()
    X = np.atleast_2d(X)
    act = active_mask(X)[:, :N_BLOCKS]
    j = np.arange(N_BLOCKS)
    m = (macs[j, X[:, :N_BLOCKS], X[:, N_BLOCKS : 2 * N_BLOCKS]] * act).sum(axis=1) + base_m
    p = (params[j, X[:, :N_BLOCKS], X[:, N_BLOCKS : 2 * N_BLOCKS]] * act).sum(axis=1) + base_p
    return m, p


def _vectors(ks, e, d) -> np.ndarray:
    return np.hstack([np.searchsorted(KS, ks), np.searchsorted(EXPAND, e), np.searchsorted(DEPTH, d)])


@functools.lru_cache(maxsize=1)
def _space():
    from learnless.search.space import SearchSpace

    return SearchSpace(space_dict(), mask_fn=active_mask)


def dynast_table():
    from learnless.data import load

    return load("dynast-ofa-mbnv3")


def dynast_vectors(table) -> np.ndarray:
    return _vectors(table.arch["ks"], table.arch["e"], table.arch["d"])


def accuracy_model(seed: int = 0):
    """The accuracy surrogate (unfitted): an MLP on the masked one-hot features."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    mlp = MLPRegressor(
        hidden_layer_sizes=(64,), alpha=1.0, learning_rate_init=1e-3, max_iter=500, random_state=seed
    )
    return TransformedTargetRegressor(regressor=mlp, transformer=StandardScaler())


@functools.lru_cache(maxsize=2)
def accuracy_surrogate(seed: int = 0):
    table = dynast_table()
    feats = _space().features(dynast_vectors(table))
    return accuracy_model(seed).fit(feats, table.top1)


def help_features(table) -> tuple[np.ndarray, np.ndarray]:
    ks = np.array([a["ks"] for a in table.archs])
    e = np.array([a["e"] for a in table.archs])
    d = np.array([a["d"] for a in table.archs])
    r = np.array([a["r"] for a in table.archs], dtype=float)
    return np.hstack([_space().features(_vectors(ks, e, d)), (r[:, None] / 224.0) ** 2]), r


def latency_model(seed: int = 0):
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(
        max_iter=400, learning_rate=0.1, max_leaf_nodes=31, random_state=seed
    )


@functools.lru_cache(maxsize=16)
def latency_surrogate(device: str, seed: int = 0):
    from learnless.data import load

    table = load("help-ofa")
    feats, _ = help_features(table)
    return latency_model(seed).fit(feats, np.log(table.latency[device]))


def resolve_device(name: str) -> str:
    from learnless.errors import ConfigError

    if name == "cpu" or name in HELP_DEVICES:
        return name
    if f"{name}_1" in HELP_DEVICES:
        return f"{name}_1"
    raise ConfigError(
        f"ofa-mbv3: unknown device {name!r} in latency@{name}; known: cpu, "
        f"{', '.join(HELP_DEVICES)} (a GPU name alone means batch 1)"
    )


class OFAMobileNetV3:
    """The `ofa-mbv3` super-network (see the module docstring)."""

    def __init__(self, seed: int = 0, latency_repeats: int = 10):
        self.seed = seed
        self.latency_repeats = latency_repeats

    def space(self) -> dict:
        return space_dict()

    def data_fingerprint(self) -> dict:
        """sha256 of the tables the surrogates are fitted on: part of a search's identity, so a search
        never resumes onto changed data."""
        from learnless.runtime.identity import dataset_fingerprint

        return dataset_fingerprint("dynast-ofa-mbnv3", "help-ofa")

    def inactive(self, config: dict) -> set:
        names = []
        for s in range(N_STAGES):
            for i in range(config[f"d_{s}"], MAX_DEPTH):
                names += [f"ks_{s * MAX_DEPTH + i}", f"e_{s * MAX_DEPTH + i}"]
        return set(names)

    def inactive_mask(self, X):
        return active_mask(X)

    def features(self, X) -> dict:
        """An extra predictor view: per block, active x (e, e^2, e k^2) — the shape of a block's MACs
        (1x1 convs scale with e, the depthwise conv with e k^2, squeeze-excite with e^2)."""
        X = np.atleast_2d(X)
        act = active_mask(X)[:, :N_BLOCKS]
        e = np.asarray(EXPAND, float)[X[:, N_BLOCKS : 2 * N_BLOCKS]] * act
        k2 = np.asarray(KS, float)[X[:, :N_BLOCKS]] ** 2
        return {"cost": np.hstack([e, e**2, e * k2])}

    def metrics(self) -> list[str]:
        gpus = sorted({d.rsplit("_", 1)[0] for d in HELP_DEVICES})
        return [
            "accuracy",
            "macs",
            "params",
            "latency@cpu",
            *[f"latency@{g}" for g in gpus],
            *[f"latency@{d}" for d in HELP_DEVICES],
        ]

    def build(self, config: dict):
        from learnless.search.supernets.ofa_build import build

        return build(*arch_of(config))

    def latency_input_shape(self, config: dict) -> tuple:
        """What latency@cpu times: one 224 x 224 image (batch 1)."""
        return (1, 3, 224, 224)

    def evaluate(self, config: dict, metrics: list[str]) -> dict:
        return self.evaluate_batch([config], metrics)[0]

    def evaluate_batch(self, configs: list[dict], metrics: list[str]) -> list[dict]:
        X = np.vstack([_vectors(*arch_of(c)) for c in configs])
        out = [{} for _ in configs]
        if {"macs", "params"} & set(metrics):
            m, p = analytic_costs(X)
            for o, mi, pi in zip(out, m, p):
                o["macs"], o["params"] = mi / 1e6, pi / 1e6
        if "accuracy" in metrics:
            acc = accuracy_surrogate(self.seed).predict(_space().features(X))
            for o, a in zip(out, acc):
                o["accuracy"] = float(a)
        for name in metrics:
            if not name.startswith("latency@"):
                continue
            device = resolve_device(name.split("@", 1)[1])
            if device == "cpu":
                from learnless.search.hardware import measure_latency

                for o, c in zip(out, configs):
                    o[name] = measure_latency(self.build(c), (1, 3, 224, 224), repeats=self.latency_repeats)[
                        "median_ms"
                    ]
                continue
            feats = np.hstack([_space().features(X), np.ones((len(X), 1))])
            lat = np.exp(latency_surrogate(device, self.seed).predict(feats))
            for o, v in zip(out, lat):
                o[name] = float(v)
        return out
