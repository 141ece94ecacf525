"""The super-network protocol and how a super-network is found.

Any object with `space() -> dict[str, list]` and `evaluate(config, metrics) -> dict[str, float]` is a
super-network; optional: `inactive(config) -> set[str]` (depth masking), `inactive_mask(X) -> bool array`
(its vectorised form over index vectors), `features(X) -> {view: array}` (extra predictor inputs, which
cross-validation may pick over the masked one-hot), `metrics() -> list[str]` (what evaluate can return,
checked before a search starts), `measured_metrics() -> list[str]` (the metrics `evaluate` times on the
host, validated on the dedicated latency worker; without it, `latency` and `latency@cpu*` are).
Built-ins are registered by name; `builtin:ARG` passes ARG as the built-in's first parameter
(`nasbench-graph:arxiv`: module names have no hyphen, so this never shadows a `module.path:factory`);
anything else is loaded as `module.path:factory`.
"""

from __future__ import annotations

import functools
import importlib

from learnless.errors import ConfigError
from learnless.registry import Registry
from learnless.search.space import SearchSpace

SUPERNETS = Registry(
    "supernet",
    {
        "ofa-mbv3": "learnless.search.supernets.ofa_mbv3:OFAMobileNetV3",
        "mlp-elastic": "learnless.search.supernets.mlp_elastic:MLPElastic",
        "dgmlp-elastic": "learnless.search.supernets.dgmlp_elastic:DGMLPElastic",
        "nasbench-graph": "learnless.search.supernets.nasbench_graph:NASBenchGraph",
        "cnn-elastic": "learnless.search.supernets.cnn_elastic:CNNElastic",
    },
)  # not estimators: the contract-checked "search" registry is PREDICTORS (learnless.search.predictors)


def factory_of(spec: str):
    """The callable that builds --supernet `spec`: a built-in's class (bound to its argument for
    `builtin:ARG`), or the `module.path:factory`."""
    if ":" not in spec:
        return SUPERNETS[spec]
    module, _, attr = spec.partition(":")
    if module in SUPERNETS.names():
        return functools.partial(SUPERNETS[module], attr)
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"--supernet: cannot load {spec!r} ({type(exc).__name__}: {exc})") from None


def load_supernet(spec, **params):
    """A super-network object from a built-in name, a `module:factory` path, or an object already built."""
    if not isinstance(spec, str):
        net = spec
    elif ":" in spec and spec.partition(":")[0] in SUPERNETS.names():
        net = factory_of(spec)(**params)
    elif ":" in spec:
        factory = factory_of(spec)
        try:
            net = factory(**params)
        except Exception as exc:  # noqa: BLE001 - the user's factory; its failure is their config error
            raise ConfigError(f"--supernet: {spec} raised {type(exc).__name__}: {exc}") from None
    else:
        net = SUPERNETS.make(spec, **params)
    missing = [m for m in ("space", "evaluate") if not callable(getattr(net, m, None))]
    if missing:
        raise ConfigError(
            f"--supernet: {type(net).__name__} lacks the method(s) {', '.join(missing)}; a "
            "super-network needs space() and evaluate(config, metrics)"
        )
    return net


def space_of(net) -> SearchSpace:
    try:
        params = net.space()
    except Exception as exc:  # noqa: BLE001
        raise ConfigError(f"supernet space(): raised {type(exc).__name__}: {exc}") from None
    return SearchSpace(
        params, inactive=getattr(net, "inactive", None), mask_fn=getattr(net, "inactive_mask", None)
    )


def provided_metrics(net) -> list[str] | None:
    fn = getattr(net, "metrics", None)
    return list(fn()) if callable(fn) else None


def check_metrics(net, wanted: list[str]) -> None:
    have = provided_metrics(net)
    if have is None:
        return
    missing = [m for m in wanted if m not in have]
    if missing:
        raise ConfigError(
            f"metric(s) {', '.join(missing)} not provided by the super-network; it provides {', '.join(have)}"
        )
