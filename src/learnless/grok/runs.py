"""One training run on disk: config.json, metrics.json, history.json, model.npz (W, V and the split), plots.
`learnless grok features RUN_DIR` reads it back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from learnless.errors import ConfigError, DataError, MissingFileError
from learnless.grok.groups import Group, Split, parse_group, split_pairs
from learnless.grok.trainer import GrokTrainer
from learnless.runtime.rundir import RunDir, write_json_atomic

MODEL_FILE = "model.npz"


def train_config(group: str, train_frac: float, **params) -> dict:
    """The resolved config of one training run: the group, the fraction and every GrokTrainer parameter
    (defaults from the class; unknown or bad ones are refused here, before any run directory exists)."""
    from learnless.grok.presets import trainer_params

    trainer = GrokTrainer(**trainer_params(params)).validate()
    parse_group(group)
    return {"group": group, "train_frac": train_frac, **trainer.get_params()}


def build(config: dict) -> tuple[Group, Split, GrokTrainer]:
    group = parse_group(config["group"])
    split = split_pairs(group, config["train_frac"], seed=config["seed"])
    keys = GrokTrainer._get_param_names()
    trainer = GrokTrainer(**{k: config[k] for k in keys if k in config}).validate()
    return group, split, trainer


def summary(trainer: GrokTrainer, group: Group, split: Split) -> dict:
    return {
        "group": group.name,
        "order": group.order,
        "n_train": len(split.train),
        "n_test": len(split.test),
        "train_acc": trainer.train_acc_,
        "test_acc": trainer.test_acc_,
        "grok_epoch": trainer.grok_epoch_,
        "memorize_epoch": trainer.memorize_epoch_,
        "feature_epoch": trainer.feature_epoch_,
        "epochs_run": trainer.epochs_run_,
        "seconds": round(trainer.seconds_, 3),
    }


def save_run(run: RunDir, trainer: GrokTrainer, split: Split) -> None:
    m = trainer.model_
    np.savez(
        run.path / MODEL_FILE,
        W=m.W.detach().numpy(),
        V=m.V.detach().numpy(),
        train=split.train,
        test=split.test,
    )
    write_json_atomic(
        run.path / "history.json",
        {"history": trainer.history_, "diagnostics": trainer.diagnostics_, "stages": trainer.stages()},
    )


def load_run(path) -> tuple[dict, Group, Split, np.ndarray, np.ndarray]:
    """(config, group, split, W, V) of a saved run; MissingFileError when the directory has no model."""
    path = Path(path)
    if not path.is_dir():
        raise ConfigError(f"run_dir: {str(path)!r} is not a directory")
    for name in ("config.json", MODEL_FILE):
        if not (path / name).is_file():
            raise MissingFileError(
                f"{path / name}: no saved model in this run directory (make one with `learnless grok train`)"
            )
    from learnless.data.reading import reading

    with reading(path / "config.json"), open(path / "config.json") as fh:
        try:
            config = json.load(fh)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path / 'config.json'}: not valid JSON ({exc})") from None
    config = config.get("params", config) if isinstance(config, dict) else {}
    if "group" not in config:
        raise DataError(f"{path / 'config.json'}: not the config of a `learnless grok train` run (no group)")
    group = parse_group(config["group"])
    with reading(path / MODEL_FILE), np.load(path / MODEL_FILE, allow_pickle=False) as z:
        missing = sorted({"W", "V", "train", "test"} - set(z.keys()))
        if missing:
            raise DataError(f"{path / MODEL_FILE}: no array(s) {', '.join(missing)}")
        W, V, train, test = z["W"], z["V"], z["train"], z["test"]
    return config, group, Split(train=train, test=test), W, V
