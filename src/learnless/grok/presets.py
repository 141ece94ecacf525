"""The hyper-parameters the paper and its reference code state, as named GrokTrainer presets.

Each preset is a dict of GrokTrainer parameters plus, where the source states them, the data setting
(`group`, `train_frac`) and the number of seeds. `learnless grok train --preset NAME` starts from one;
`--set k=v` overrides any key.
"""

from __future__ import annotations

from learnless.errors import ConfigError

PRESETS: dict[str, dict] = {
    # Fig. 5 (the scaling-law figure): Adam lr 5e-4, weight decay 2e-4, K 2048, 20 seeds.
    "fig5": {"hidden": 2048, "lr": 5e-4, "weight_decay": 2e-4, "seeds": 20},
    # Fig. 3 (G_F dynamics): M 71, K 2048, n 2016 training pairs (40 % of 71^2), weight decay eta 2e-4.
    "fig3": {"group": "Z71", "train_frac": 2016 / 71**2, "hidden": 2048, "weight_decay": 2e-4},
    # Appendix D: lr 0.005, weight decay 5e-5, K 256.
    "appendix_d": {"hidden": 256, "lr": 5e-3, "weight_decay": 5e-5},
    # the reference code's dyn_madd.yaml: M 127, K 512, lr 0.001, wd 1e-4, test_size 0.7; label-centred MSE;
    # W initialised as its nn.Linear(2M, K).
    "dyn_madd": {
        "group": "Z127",
        "train_frac": 0.3,
        "hidden": 512,
        "lr": 1e-3,
        "weight_decay": 1e-4,
        "centring": "label",
        "init_w": "linear",
    },
    # the CPU-sized setting of benchmarks/grok_scaling.py (K 256, Adam lr 0.01, wd 1e-3, 1000 epochs), with
    # the
    # reference code's label-centred loss it was first measured with
    "cpu_scaling": {"hidden": 256, "lr": 1e-2, "weight_decay": 1e-3, "epochs": 1000, "centring": "label"},
}
DATA_KEYS = ("group", "train_frac", "seeds")


def preset(name: str | None) -> dict:
    if name is None:
        return {}
    if name not in PRESETS:
        raise ConfigError(f"--preset: unknown {name!r}; expected one of {', '.join(PRESETS)}")
    return dict(PRESETS[name])


def trainer_params(params: dict) -> dict:
    """The GrokTrainer keys of a preset / --set dict (refusing unknown keys, naming them)."""
    from learnless.grok.trainer import GrokTrainer

    valid = set(GrokTrainer._get_param_names())
    unknown = sorted(set(params) - valid - set(DATA_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown GrokTrainer parameter(s) {', '.join(unknown)}; valid: {', '.join(sorted(valid))}"
        )
    return {k: v for k, v in params.items() if k in valid}
