"""`learnless search export RUN --rank N -o sub.pt2`: one front member of a finished search as a standalone
torch.export program (learnless.search.export)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import JsonOption, QuietOption, console_for, option
from learnless.errors import ConfigError, DataError


def read_front(run_dir: Path) -> list[dict]:
    """front.csv's rows, numbers as floats and other values (operation names) as text."""
    path = run_dir / "front.csv"
    if not path.is_file():
        raise DataError(f"{run_dir}: no front.csv (the search has not finished; `learnless search resume`)")
    if not path.stat().st_size:
        return []
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [{k: _number(v) for k, v in row.items()} for row in rows]


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def config_of(row: dict, space: dict) -> dict:
    """The search-space config of a front.csv row (its values matched to the choices as written)."""
    config = {}
    for name, choices in space.items():
        if name not in row:
            raise DataError(f"front.csv: no column {name!r} of the super-network's space")
        by_text = {str(c): c for c in choices} | {str(float(c)): c for c in choices if _is_number(c)}
        value = row[name]
        key = str(value)
        if key not in by_text:
            raise DataError(f"front.csv: {name}={value!r} is not one of {choices}")
        config[name] = by_text[key]
    return config


def _is_number(c) -> bool:
    return isinstance(c, int | float) and not isinstance(c, bool)


def export(
    run_dir: Annotated[Path, typer.Argument(help="A finished search run directory.")],
    out: Annotated[Path, option("--output", "The sub-network: a torch.export program (.pt2), or an ONNX "
                                            "model (.onnx, with the onnx extra).")],
    rank: Annotated[int, option("--rank")] = 1,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Write one front member as a torch.export program (or an ONNX model) that runs without learnless;
    re-evaluates it and refuses when the rebuilt super-network no longer gives the journaled accuracy."""
    from learnless.cli.search import _read_config, _supernet
    from learnless.search.export import check_output, export_module, save_subnetwork

    check_output(out)
    if rank < 1:
        raise ConfigError(f"--rank: must be >= 1, got {rank}")
    params = _read_config(run_dir)
    front = read_front(run_dir)
    if not 1 <= rank <= len(front):
        raise ConfigError(f"--rank: {rank} is not between 1 and the front's size ({len(front)})")
    net = _supernet(str(params["supernet"]), "cpu", params.get("supernet_params"))
    space = net.space()
    row = front[rank - 1]
    config = config_of(row, space)
    journaled = {k: v for k, v in row.items() if k not in space}
    export_module(net, config)  # refuses a super-network without weights before anything is evaluated
    checked = {}
    if "accuracy" in journaled:
        now = float(net.evaluate(dict(config), ["accuracy"])["accuracy"])
        checked = {"accuracy_journaled": journaled["accuracy"], "accuracy_now": now}
        if abs(now - journaled["accuracy"]) > 1e-6:
            raise DataError(
                f"{run_dir}: the rebuilt super-network gives accuracy {now:.4f} for rank {rank}, the search "
                f"journaled {journaled['accuracy']:.4f}; its weights are not the searched ones"
            )
    path = save_subnetwork(net, config, out, {"rank": rank, "metrics": journaled, "run": str(run_dir),
                                              "supernet": params["supernet"]})
    doc = {"path": str(path), "rank": rank, "config": config, "metrics": journaled, **checked}
    if json_output:
        typer.echo(json.dumps(doc, default=str))
    elif not quiet:
        console_for(False).print(
            f"wrote {path}: rank {rank}, {', '.join(f'{k}={v}' for k, v in config.items())}; load it with "
            + ("onnxruntime.InferenceSession(path)" if path.suffix == ".onnx"
               else "torch.export.load(path).module()")
        )
