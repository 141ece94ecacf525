"""`learnless classify`: run DGMLP or a baseline over seeds, GSL vs depth, and the depth study."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.table import Table

from learnless.cli.common import DataDirOption, FormatOption, JsonOption, OutOption, console_for, emit_metrics
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True, help="DGMLP and baselines: decoupled deep GNN node classification.")

DatasetOption = Annotated[str, typer.Option("--dataset", help="Registered name (cora, citeseer, actor, ...) or a path with --format.")]


def _load(dataset, fmt, data_dir, row_normalize: bool):
    from learnless.classify import row_normalize as rn
    from learnless.data import load_graph

    g = load_graph(dataset, format=fmt, data_dir=data_dir)
    return rn(g) if row_normalize else g


def _parse_set(values: list[str]) -> dict:
    out = {}
    for item in values or []:
        if "=" not in item:
            raise ConfigError(f"--set: expected key=value, got {item!r}")
        key, raw = item.split("=", 1)
        try:
            out[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            out[key.strip()] = raw
    return out


def graph_for_seed(graph, seed: int):
    """Published splits: seed i uses split i (mod their number); no split: a seeded random split."""
    from learnless.data.splits import random_split

    if graph.train_mask is None:
        split = random_split(graph, train_per_class=20, n_val=500, n_test=1000, seed=seed)
        return split, f"random split (seed {seed}, 20 per class / 500 / 1000)"
    if graph.num_splits > 1:
        i = seed % graph.num_splits
        return graph.split(i), f"published split {i}"
    return graph, "published split"


def check_params(cls, model: str, params: dict) -> None:
    params = {k: v for k, v in params.items() if k != "row_normalize"}
    try:
        est = cls(**params)
    except TypeError as exc:
        raise ConfigError(f"{model}: bad hyper-parameter ({exc})") from None
    est._validate()


def run_model(graph, model: str, params: dict, seeds: int, progress_desc: str | None = None) -> dict:
    """Fit `model` once per seed; mean ± std of the test accuracy at the best validation epoch."""
    from learnless.classify import MODELS, row_normalize
    from learnless.runtime.progress import progress

    cls = MODELS[model.split("-")[0]]
    params = dict(params)
    if params.pop("row_normalize", False):  # a preset may ask for Kipf & Welling's feature preprocessing
        graph = row_normalize(graph)
    check_params(cls, model, params)
    start = time.perf_counter()
    per_seed, splits = [], set()
    for seed in progress(range(seeds), progress_desc or f"{model} seeds"):
        g, split = graph_for_seed(graph, seed)
        splits.add(split.split(" (")[0] if "random" in split else split)
        r = cls(**{**params, "seed": seed}).fit(g).result_
        per_seed.append({"seed": seed, "split": split, "val_acc": r.val_acc, "test_acc": r.test_acc,
                         "best_epoch": r.best_epoch, "seconds": r.seconds})
    test = np.array([p["test_acc"] for p in per_seed])
    val = np.array([p["val_acc"] for p in per_seed])
    return {"model": model, "test_acc_mean": float(test.mean()), "test_acc_std": float(test.std()),
            "val_acc_mean": float(val.mean()), "seconds": time.perf_counter() - start, "seeds": seeds,
            "split": ", ".join(sorted(splits)) if len(splits) < 4 else f"{len(splits)} splits",
            "per_seed": per_seed}


@app.command()
def run(dataset: DatasetOption = "cora",
        model: Annotated[str, typer.Option("--model", help="dgmlp, gcn, appnp, gcnii, sgc, sign, s2gc, mlp, resmlp.")] = "dgmlp",
        seeds: Annotated[int, typer.Option("--seeds", help="Seeds (published splits: seed i uses split i).")] = 10,
        variant: Annotated[str | None, typer.Option("--variant", help="DGMLP: paper or released.")] = None,
        prop_depth: Annotated[int | None, typer.Option("--prop-depth", help="Propagation depth Dp.")] = None,
        trans_depth: Annotated[int | None, typer.Option("--trans-depth", help="DGMLP transformation depth Dt.")] = None,
        set_: Annotated[list[str] | None, typer.Option("--set", help="Any hyper-parameter, key=value (repeatable).")] = None,
        use_preset: Annotated[bool, typer.Option("--preset/--no-preset", help="Start from the tuned preset for this dataset.")] = True,
        row_normalize: Annotated[bool, typer.Option("--row-normalize/--raw-features", help="Scale feature rows to sum 1.")] = False,
        fmt: FormatOption = None, data_dir: DataDirOption = None, out: OutOption = None,
        json_output: JsonOption = False):
    """Train a model over seeds and print mean ± std test accuracy (at the best validation epoch)."""
    from learnless.classify import MODELS
    from learnless.classify.presets import preset
    from learnless.runtime import RunDir

    console = console_for(json_output)
    if model not in MODELS:
        raise ConfigError(f"--model: unknown model {model!r}; expected one of {', '.join(MODELS)}")
    if seeds < 1:
        raise ConfigError(f"--seeds must be >= 1, got {seeds}")
    if model != "dgmlp" and (variant or trans_depth is not None):
        raise ConfigError("--variant/--trans-depth apply to --model dgmlp only")
    key = f"dgmlp-{variant or 'paper'}" if model == "dgmlp" else model
    params = preset(key, Path(str(dataset)).name) if use_preset and not fmt else {}
    explicit = {"variant": variant, "prop_depth": prop_depth, "trans_depth": trans_depth}
    params.update({k: v for k, v in explicit.items() if v is not None})
    params.update(_parse_set(set_))
    if "prop_depth" in params and model in ("gcn", "appnp", "gcnii", "mlp", "resmlp"):
        raise ConfigError(f"--prop-depth does not apply to {model}")
    check_params(MODELS[model], model, params)
    graph = _load(dataset, fmt, data_dir, row_normalize)
    run_dir = RunDir.create("classify", f"{model}-{graph.name}", out)
    run_dir.write_config({"command": "run", "dataset": str(dataset), "model": model, "seeds": seeds,
                          "params": params, "row_normalize": row_normalize})
    res = run_model(graph, key if model == "dgmlp" else model, params, seeds)
    console.print(f"{model} on {graph.name} ({res['split']}): test accuracy "
                  f"[bold]{res['test_acc_mean'] * 100:.2f} ± {res['test_acc_std'] * 100:.2f}[/bold] % "
                  f"(val {res['val_acc_mean'] * 100:.2f} %, {seeds} seeds, {res['seconds']:.1f} s)")
    console.print(f"run directory: {run_dir.path}")
    metrics = {k: res[k] for k in ("test_acc_mean", "test_acc_std", "val_acc_mean", "seconds", "seeds")}
    from learnless.runtime import write_json_atomic

    write_json_atomic(run_dir.path / "per_seed.json", res["per_seed"])
    emit_metrics(metrics, run_dir, json_output)


@app.command()
def smoothness(dataset: DatasetOption = "cora",
               max_depth: Annotated[int, typer.Option("--max-depth", help="Largest propagation depth Dp.")] = 64,
               fmt: FormatOption = None, data_dir: DataDirOption = None, out: OutOption = None,
               json_output: JsonOption = False):
    """GSL (graph smoothness level) for Dp = 0..max-depth: printed and plotted (gsl.png)."""
    from learnless.classify.depth_study import plot_gsl
    from learnless.classify.smoothness import gsl
    from learnless.runtime import RunDir

    if max_depth < 0:
        raise ConfigError(f"--max-depth must be >= 0, got {max_depth}")
    console = console_for(json_output)
    graph = _load(dataset, fmt, data_dir, False)
    start = time.perf_counter()
    values = gsl(graph.adj, graph.x, max_depth)
    run_dir = RunDir.create("classify", f"smoothness-{graph.name}", out)
    run_dir.write_config({"command": "smoothness", "dataset": str(dataset), "max_depth": max_depth})
    png = plot_gsl(values, run_dir.path / "gsl.png", f"GSL vs Dp — {graph.name}")
    table = Table(title=f"GSL — {graph.name}")
    table.add_column("Dp", justify="right")
    table.add_column("GSL", justify="right")
    shown = sorted({0, 1, 2, 4, 8, 10, 16, 32, 64, 128, max_depth} & set(range(max_depth + 1)))
    for k in shown:
        table.add_row(str(k), f"{values[k]:.4f}")
    console.print(table)
    console.print(f"plot: {png}")
    metrics = {f"gsl_{k}": float(values[k]) for k in range(max_depth + 1)}
    metrics["seconds"] = time.perf_counter() - start
    emit_metrics(metrics, run_dir, json_output)


@app.command("depth-study")
def depth_study(dataset: DatasetOption = "cora",
                seeds: Annotated[int, typer.Option("--seeds", help="Seeds per point.")] = 3,
                quick: Annotated[bool, typer.Option("--quick", help="Fewer depths and epochs (smoke test).")] = False,
                fmt: FormatOption = None, data_dir: DataDirOption = None, out: OutOption = None,
                json_output: JsonOption = False):
    """Accuracy vs Dp (SGC, DGMLP, with GSL), vs Dt (with/without residual), and GCN with Dp = 2·Dt: PNG + CSV.

    Each trained point is journaled in the run directory; re-run with the same --out to resume."""
    from learnless.classify.depth_study import (
        DepthStudyConfig,
        plot_depth_study,
        run_depth_study,
        summarize,
        write_csv,
    )
    from learnless.runtime import RunDir

    if seeds < 1:
        raise ConfigError(f"--seeds must be >= 1, got {seeds}")
    console = console_for(json_output)
    graph = _load(dataset, fmt, data_dir, False)
    if graph.train_mask is None or graph.num_splits > 1:
        graph = graph_for_seed(graph, 0)[0]
    cfg = DepthStudyConfig(seeds=seeds)
    if quick:
        cfg = DepthStudyConfig(prop_depths=(1, 4, 16), trans_depths=(2, 8), gcn_layers=(1, 4), seeds=seeds, epochs=50)
    start = time.perf_counter()
    run_dir = RunDir.create("classify", f"depth-study-{graph.name}", out)
    run_dir.write_config({"command": "depth-study", "dataset": str(dataset), **cfg.__dict__})
    # every trained point is journaled at once: re-running with the same --out resumes a killed study
    rows = run_depth_study(graph, cfg, journal_path=run_dir.path / "journal.jsonl")
    csv_path = write_csv(rows, run_dir.path / "depth_study.csv")
    png = plot_depth_study(rows, run_dir.path / "depth_study.png", f"depth study — {graph.name}")
    summary = summarize(rows)
    table = Table(title=f"depth study — {graph.name} (test accuracy %, {seeds} seeds)")
    for col in ("experiment", "model", "Dp", "Dt", "accuracy", "train acc", "GSL"):
        table.add_column(col)
    for s in summary:
        table.add_row(s["experiment"], s["model"], str(s["prop_depth"]), str(s["trans_depth"]),
                      f"{s['test_acc_mean'] * 100:.1f} ± {s['test_acc_std'] * 100:.1f}",
                      f"{s['train_acc_mean'] * 100:.1f}",
                      f"{s['gsl']:.3f}" if s["gsl"] != "" else "")
    console.print(table)
    console.print(f"csv: {csv_path}\nplot: {png}")
    metrics = {"seconds": time.perf_counter() - start, "points": len(summary)}
    for s in summary:
        metrics[f"{s['experiment']}/{s['model']}/dp{s['prop_depth']}/dt{s['trans_depth']}"] = s["test_acc_mean"]
    emit_metrics(metrics, run_dir, json_output)
