"""`learnless classify`: run DGMLP or a baseline over seeds, GSL vs depth, and the depth study. Each command
validates its arguments, loads the graph, and calls the library (`learnless.classify.runs`,
`.depth_study`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from learnless.classify import MODELS
from learnless.cli.common import (
    AddressOption,
    BackendOption,
    DataDirOption,
    DatasetOption,
    DeviceOption,
    ForceOption,
    FormatOption,
    JsonOption,
    MemoryBudgetOption,
    OutOption,
    QuietOption,
    SeedsOption,
    SetOption,
    TimeBudgetOption,
    apply_memory_budget,
    console_for,
    emit_metrics,
    option,
    parse_set,
    quiet_progress,
)
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True, help="DGMLP and baselines: decoupled deep GNN node classification.")


def _register_extra_commands() -> None:
    from learnless.cli.classify_advise import advise_command
    from learnless.cli.classify_auto import predict_command

    app.command("advise")(advise_command)
    app.command("predict")(predict_command)


_register_extra_commands()

ModelOption = Annotated[str, option("--model", f"One of {', '.join(MODELS.names())}.")]
WorkersOne = Annotated[int, option("--workers", "Over seeds / points (1: seeds share one propagation "
                                                 "cache).")]
SplitKind = Annotated[str | None, option("--split", "per-class uses --train-per-class / --val-per-class.")]
TrainPerClass = Annotated[int | None, option("--train-per-class")]
ValPerClass = Annotated[int | None, option("--val-per-class")]
TestSize = Annotated[int | None, option("--test-size")]
PRESETS = ("tuned", "none")


def _load(dataset, fmt, data_dir, row_normalize: bool):
    from learnless.classify.advise import check_features_vary
    from learnless.classify.transforms import row_normalize as rn
    from learnless.data import load_graph

    g = load_graph(dataset, format=fmt, data_dir=data_dir)
    check_features_vary(g)
    return rn(g) if row_normalize else g


def _inputs(dataset: str) -> dict | None:
    return {"dataset": dataset} if Path(str(dataset)).is_file() else None


def resolve_run_params(
    model: str, variant, prop_depth, trans_depth, set_, use_preset: bool, dataset: str, fmt
) -> tuple[str, dict]:
    """(preset key, hyper-parameters): the preset, then the explicit options, then --set; validated."""
    from learnless.classify.presets import preset
    from learnless.classify.runs import EXTRA_KEYS, make_estimator

    MODELS.path(model)  # unknown model: a ConfigError listing the valid ones
    cls = MODELS[model]
    if model != "dgmlp" and (variant or trans_depth is not None):
        raise ConfigError("--variant/--trans-depth apply to --model dgmlp only")
    if prop_depth is not None and "prop_depth" not in cls._get_param_names():
        raise ConfigError(f"--prop-depth does not apply to {model}")
    key = f"dgmlp-{variant or 'robust'}" if model == "dgmlp" else model
    params = preset(key, Path(str(dataset)).name) if use_preset and not fmt else {}
    explicit = {"variant": variant, "prop_depth": prop_depth, "trans_depth": trans_depth}
    params.update({k: v for k, v in explicit.items() if v is not None})
    params.update(parse_set(set_, cls, extra_keys=EXTRA_KEYS))
    make_estimator(key, params)  # every hyper-parameter checked before any data is loaded
    return key, params


@app.command()
def run(
    ctx: typer.Context,
    dataset: DatasetOption,
    model: ModelOption = "dgmlp",
    seeds: SeedsOption = 10,
    seed: Annotated[int, option("--seed", "On a dataset with published splits, seed i uses split i.")] = 0,
    variant: Annotated[str | None, option("--variant")] = None,
    prop_depth: Annotated[int | None, option("--prop-depth")] = None,
    trans_depth: Annotated[int | None, option("--trans-depth")] = None,
    set_: SetOption = None,
    preset_name: Annotated[str, option("--preset", "tuned: the tuned preset for this dataset "
                                                   "(learnless.classify.presets); none: the estimator's "
                                                   "defaults.")] = "tuned",
    row_normalize: Annotated[bool, option("--row-normalize/--raw-features")] = False,
    memory_budget: MemoryBudgetOption = None,
    split: SplitKind = None,
    train_per_class: TrainPerClass = None,
    val_per_class: ValPerClass = None,
    test_size: TestSize = None,
    time_budget: TimeBudgetOption = None,
    device: DeviceOption = "cpu",
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
    backend: BackendOption = "local",
    workers: WorkersOne = 1,
    address: AddressOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Train a model over seeds and print mean ± std test accuracy (at the best validation epoch).

    --model auto chooses the model, depth, feature scaling and hyper-parameters per seed by validation
    accuracy within --time-budget seconds (default 50, so that the whole command on a graph like Cora
    takes under a minute): it keeps the earliest trial within one standard error of the best, averaged with
    up to two of the best others where validation says the average is better; the choice is saved as
    choice.json.

    Finished seeds are journaled in the run directory: the same command with the same --out resumes."""
    from learnless.classify.base import check_features
    from learnless.classify.runs import check_seeds, make_estimator, run_model, seed_list
    from learnless.classify.splits import check_split_options, resolve_split
    from learnless.runtime import RunDir, get_executor, write_json_atomic
    from learnless.runtime.device import check_device

    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    apply_memory_budget(memory_budget)
    if preset_name not in PRESETS:
        raise ConfigError(f"--preset: unknown {preset_name!r}; expected one of {', '.join(PRESETS)}")
    use_preset = preset_name == "tuned"
    if time_budget is not None and model != "auto":
        raise ConfigError("--time-budget: applies to --model auto (other models train for --set epochs=N)")
    key, params = resolve_run_params(model, variant, prop_depth, trans_depth, set_, use_preset, dataset, fmt)
    if time_budget is not None:
        params["time_budget"] = float(time_budget)
    wanted = seed_list(seeds, seed)
    check_split_options(split, train_per_class, val_per_class, test_size)
    check_device(device)
    graph = _load(dataset, fmt, data_dir, row_normalize)
    split_spec = resolve_split(graph, split, train_per_class, val_per_class, test_size)
    if split_spec["kind"] == "published":
        check_seeds(graph, wanted)
    est = make_estimator(key, params)
    check_features(graph)  # one class, or labels that do not match: refused before a run directory exists
    # refuse a request that cannot fit before propagating anything
    est.check_memory(graph, budget=memory_budget)
    resolved = {
        "dataset": str(dataset),
        "format": fmt,
        "model": key,
        "seeds": wanted,
        "split": split_spec,
        "row_normalize": row_normalize or bool(params.get("row_normalize", False)),
        "estimator": {k: v for k, v in est.get_params(deep=False).items() if k != "seed"},
    }
    run_dir = RunDir.open(
        "classify",
        f"{model}-{graph.name}",
        out,
        command=ctx.command_path,
        params=resolved,
        force=force,
        inputs=_inputs(dataset),
    )
    with get_executor(backend, workers, address) as executor:
        res = run_model(
            graph,
            key,
            params,
            wanted,
            journal=run_dir.path / "journal.jsonl",
            executor=executor,
            split=split_spec,
            device=device,
        )
    summary = (
        f"{model} on {graph.name} ({res['split']}): test accuracy "
        f"{res['test_acc_mean'] * 100:.2f} ± {res['test_acc_std'] * 100:.2f} % "
        f"(val {res['val_acc_mean'] * 100:.2f} %, {len(wanted)} seeds, {res['seconds']:.1f} s"
        f"{', ' + device if device != 'cpu' else ''})"
    )
    run_dir.log(summary)
    if not quiet:
        console.print(summary, markup=False)
        console.print(f"run directory: {run_dir.path}")
    metrics = {k: res[k] for k in ("test_acc_mean", "test_acc_std", "val_acc_mean", "seconds", "seeds")}
    metrics.update(split=res["split"], device=device)
    write_json_atomic(run_dir.path / "per_seed.json", res["per_seed"])
    if model == "auto":
        from learnless.cli.classify_auto import report_choices

        report_choices(res["per_seed"], run_dir, console, quiet)
    emit_metrics(metrics, run_dir, json_output)


@app.command()
def smoothness(
    ctx: typer.Context,
    dataset: DatasetOption,
    max_depth: Annotated[int, option("--max-depth")] = 64,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """GSL (graph smoothness level) for Dp = 0..max-depth: printed and plotted (gsl.png)."""
    from rich.table import Table

    from learnless.classify.depth_study import plot_gsl
    from learnless.classify.hops import hops_nbytes, refuse_if_too_large
    from learnless.classify.smoothness import gsl
    from learnless.runtime import RunDir

    if max_depth < 0:
        raise ConfigError(f"--max-depth must be >= 0, got {max_depth}")
    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    graph = _load(dataset, fmt, data_dir, False)
    refuse_if_too_large(
        hops_nbytes(graph.num_nodes, graph.x.shape[1], max_depth),
        f"--max-depth {max_depth}: all {max_depth + 1} propagated hops of {graph.name}",
    )
    run_dir = RunDir.open(
        "classify",
        f"smoothness-{graph.name}",
        out,
        command=ctx.command_path,
        params={"dataset": str(dataset), "format": fmt, "max_depth": max_depth},
        force=force,
        inputs=_inputs(dataset),
    )
    start = time.perf_counter()
    values = gsl(graph.adj, graph.x, max_depth)
    png = plot_gsl(values, run_dir.path / "gsl.png", f"GSL vs Dp — {graph.name}")
    if not quiet:
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
def depth_study(
    ctx: typer.Context,
    dataset: DatasetOption,
    seed: Annotated[int, option("--seed", "Its split (seed i: published split i, or a random split drawn "
                                          "with seed i) and the first initialisation seed.")] = 0,
    seeds: Annotated[int, option("--seeds", "Per point.")] = 3,
    quick: Annotated[bool, option("--quick", "Fewer depths and epochs.")] = False,
    split: SplitKind = None,
    train_per_class: TrainPerClass = None,
    val_per_class: ValPerClass = None,
    test_size: TestSize = None,
    device: DeviceOption = "cpu",
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
    backend: BackendOption = "local",
    workers: WorkersOne = 1,
    address: AddressOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Accuracy vs Dp (SGC, DGMLP, with GSL), vs Dt (with/without residual), and GCN with Dp = 2·Dt:
    PNG + CSV.

    Each trained point is journaled in the run directory; re-run with the same --out to resume."""
    from rich.table import Table

    from learnless.classify.depth_study import (
        DepthStudyConfig,
        plot_depth_study,
        run_depth_study,
        summarize,
        write_csv,
    )
    from learnless.classify.runs import graph_for_seed
    from learnless.classify.splits import check_split_options, describe, resolve_split
    from learnless.runtime import RunDir, get_executor
    from learnless.runtime.device import check_device

    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    check_split_options(split, train_per_class, val_per_class, test_size)
    check_device(device)
    graph = _load(dataset, fmt, data_dir, False)
    # one split for the whole study (--seed's): published split i, or a random one as asked
    split_spec = resolve_split(graph, split, train_per_class, val_per_class, test_size)
    if split_spec["kind"] != "published" or graph.num_splits > 1:
        graph, split_text = graph_for_seed(graph, seed, split_spec)
    else:
        split_text = describe(split_spec)
    cfg = DepthStudyConfig(seeds=seeds, first_seed=seed)
    if quick:
        cfg = DepthStudyConfig(
            prop_depths=(1, 4, 16), trans_depths=(2, 8), gcn_layers=(1, 4), seeds=seeds, epochs=50,
            first_seed=seed,
        )
    start = time.perf_counter()
    run_dir = RunDir.open(
        "classify",
        f"depth-study-{graph.name}",
        out,
        command=ctx.command_path,
        params={"dataset": str(dataset), "format": fmt, "split": split_spec, **cfg.__dict__},
        force=force,
        inputs=_inputs(dataset),
    )
    with get_executor(backend, workers, address) as executor:
        rows = run_depth_study(
            graph, cfg, journal_path=run_dir.path / "journal.jsonl", executor=executor, device=device,
            split=split_spec,
        )
    csv_path = write_csv(rows, run_dir.path / "depth_study.csv")
    png = plot_depth_study(rows, run_dir.path / "depth_study.png", f"depth study — {graph.name}")
    summary = summarize(rows)
    if not quiet:
        table = Table(title=f"depth study — {graph.name}, {split_text} (test accuracy %, {seeds} seeds)")
        for col in ("experiment", "model", "Dp", "Dt", "accuracy", "train acc", "GSL"):
            table.add_column(col)
        for s in summary:
            table.add_row(
                s["experiment"],
                s["model"],
                str(s["prop_depth"]),
                str(s["trans_depth"]),
                f"{s['test_acc_mean'] * 100:.1f} ± {s['test_acc_std'] * 100:.1f}",
                f"{s['train_acc_mean'] * 100:.1f}",
                f"{s['gsl']:.3f}" if s["gsl"] != "" else "",
            )
        console.print(table)
        console.print(f"csv: {csv_path}\nplot: {png}")
    metrics = {"seconds": time.perf_counter() - start, "points": len(summary), "split": split_text}
    for s in summary:
        metrics[f"{s['experiment']}/{s['model']}/dp{s['prop_depth']}/dt{s['trans_depth']}"] = s[
            "test_acc_mean"
        ]
    emit_metrics(metrics, run_dir, json_output)
