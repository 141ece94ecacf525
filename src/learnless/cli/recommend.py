"""`learnless recommend run|compare|top`: GTE and the trained baselines on one evaluation.

Heavy libraries (NumPy, SciPy, torch, torch_geometric) are imported inside the commands, and only the chosen
model's module is imported (learnless.recommend.models.MODELS is lazy), so `--model gte` never loads torch.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Annotated

import typer

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
    SeedOption,
    TopNOption,
    apply_memory_budget,
    console_for,
    emit_metrics,
    option,
    quiet_progress,
)
from learnless.cli.recommend_metrics import MetricsOption, beyond_metrics, parse_groups
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True)

# For help texts only, so that `learnless --help` imports neither NumPy nor SciPy; the commands use
# learnless.recommend.models.MODELS and a test checks both lists agree.
MODEL_NAMES = ("gte", "lightgcn", "bprmf", "itemknn", "ease")
PROTOCOLS = ("exact", "official")  # learnless.recommend.evaluate.PROTOCOLS
_NAMES = ", ".join(MODEL_NAMES)

ModelOption = Annotated[str, option("--model", f"One of {_NAMES}.")]
ModelSetOption = Annotated[list[str] | None, option("--set", "With several models, each key goes to the "
                                                            "models that have it.")]
CutoffsOption = Annotated[list[str], option("--cutoffs")]
ProtocolOption = Annotated[str, option("--protocol")]
BlockOption = Annotated[int | None, option("--block-size")]
TrainBudgetOption = Annotated[float | None, option("--time-budget", "Trained models only (lightgcn, bprmf).")]
ModelsOption = Annotated[str | None, option("--models", f"Models: {_NAMES}.")]
RecommendWorkersOption = Annotated[int | None, option(
    "--workers", "Default: score in this process, one thread per core (--workers 1: one thread; 2 or more: a "
                 "process pool).")]


def _parse_cutoffs(values) -> list[int]:
    out = []
    for v in values:
        for part in str(v).replace(",", " ").split():
            try:
                out.append(int(part))
            except ValueError:
                raise ConfigError(f"--cutoffs: expected integers, got {part!r}") from None
            if out[-1] < 1:
                raise ConfigError(f"--cutoffs: each K must be >= 1, got {out[-1]}")
    if not out:
        raise ConfigError("--cutoffs: give at least one K")
    return out


def _check_protocol(protocol: str) -> None:
    if protocol not in PROTOCOLS:
        raise ConfigError(f"protocol: unknown {protocol!r}; expected one of {', '.join(PROTOCOLS)}")


def _check_device(device: str) -> None:
    """--device: cpu needs no check (and no torch import, so a GTE run stays torch-free); anything else goes
    through the shared check (cuda without a GPU, or an unknown device, is a ConfigError)."""
    if device != "cpu":
        from learnless.runtime.device import check_device

        check_device(device)


def _build(name: str, sets: list[str] | None, seed: int, time_budget: float | None, device: str = "cpu"):
    """The validated, unfitted model: --set keys checked against the model's own parameters, --seed,
    --time-budget and --device passed to the models that take them (the trained ones). Nothing touches data
    here."""
    from learnless.cli.common import parse_set
    from learnless.recommend.models import MODELS

    params = parse_set(sets, MODELS[name])
    _check_device(params.get("device", device))  # `--set device=...` is checked like --device
    return _build_with(name, params, seed, time_budget, device)


def _load(dataset, data_dir, fmt):
    from learnless.data import load_interactions

    return load_interactions(dataset, format=fmt, data_dir=data_dir)


def _inputs(dataset, data_dir, fmt) -> dict | None:
    """The input files (name -> path) whose sha256 config.json records."""
    from pathlib import Path

    if fmt:
        p = Path(dataset)
        return {p.name: p} if p.is_file() else None
    from learnless.data.api import dataset_root
    from learnless.data.registry import get_dataset

    ds = get_dataset(dataset)
    root = dataset_root(ds, data_dir)
    return {f.path: root / f.path for f in ds.files}


def _fit_and_evaluate(model, name, data, topk, protocol, executor, block_size, threads=1):
    import resource

    from learnless.recommend.evaluate import evaluate
    from learnless.recommend.models import fit_info

    start = time.perf_counter()
    model.fit(data, val=data.val)
    fit_seconds = time.perf_counter() - start
    metrics = evaluate(
        model,
        data,
        topk=topk,
        protocol=protocol,
        executor=executor,
        block_size=block_size,
        threads=threads if executor is None else 1,
    )
    metrics.update(
        {
            "model": name,
            "dataset": data.name,
            "fit_seconds": fit_seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            **fit_info(model),
        }
    )
    return metrics


def _executor(backend, workers, address):
    """None (score in this process) for the local default and --workers 1: GTE's whole evaluation takes
    about as long as starting a pool and pickling the model into it. In-process scoring then uses threads
    (see _threads)."""
    from learnless.runtime import get_executor

    if backend == "local" and not address and workers in (None, 1):
        return None
    return get_executor(backend, workers, address)


def _threads(workers) -> int:
    """Evaluation threads in this process: every core by default (like --workers' default), else --workers."""
    import os

    return (os.cpu_count() or 1) if workers is None else max(int(workers), 1)


@app.command()
def run(
    ctx: typer.Context,
    dataset: DatasetOption,
    model: ModelOption = "gte",
    set_: ModelSetOption = None,
    seed: SeedOption = 0,
    time_budget: Annotated[float | None, option(
        "--time-budget", "Trained models only (lightgcn, bprmf); default: no limit, epochs bound it."
    )] = None,
    device: DeviceOption = "cpu",
    cutoffs: CutoffsOption = ["20,40"],  # noqa: B006 (typer reads the default; it is never mutated)
    protocol: ProtocolOption = "exact",
    block_size: BlockOption = None,
    data_dir: DataDirOption = None,
    format: FormatOption = None,
    backend: BackendOption = "local",
    address: AddressOption = None,
    workers: RecommendWorkersOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    memory_budget: MemoryBudgetOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    save_model: Annotated[bool, option("--save-model")] = False,
    metrics_: MetricsOption = None,
):
    """Fit one model and evaluate it by full ranking; writes metrics.json (recall@K, ndcg@K, ...).

    Evaluation blocks are scored in this process, on one thread per core (--workers 1: one thread), unless
    --workers is 2 or more or --backend is ray (GTE's whole evaluation takes about as long as starting a
    worker pool)."""
    from contextlib import nullcontext

    from learnless.runtime import RunDir

    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    ks = _parse_cutoffs(cutoffs)
    _check_protocol(protocol)
    _check_device(device)
    est = _build(model, set_, seed, time_budget, device)
    groups = parse_groups(metrics_)
    apply_memory_budget(memory_budget)
    data = _load(dataset, data_dir, format)
    est.check_memory(data)  # before the run directory: a refused run leaves nothing behind
    params = {
        "dataset": dataset,
        "model": model,
        "model_params": est.get_params(deep=False),
        "topk": ks,
        "protocol": protocol,
        "block_size": block_size,
        "backend": backend,
        "workers": workers,
    }
    run_dir = RunDir.open(
        "recommend",
        f"{model}-{data.name}",
        out,
        command=ctx.command_path,
        params=params,
        force=force,
        inputs=_inputs(dataset, data_dir, format),
    )
    ex = _executor(backend, workers, address)
    with warnings.catch_warnings(record=True) as caught, ex or nullcontext():
        warnings.simplefilter("always")
        metrics = _fit_and_evaluate(est, model, data, ks, protocol, ex, block_size, _threads(workers))
    if "device" in est.get_params(deep=False):
        metrics["device"] = device  # where it trained (models without training have no device)
    metrics.update(beyond_metrics(est, data, ks[0], groups, run_dir, model))
    if save_model:
        from learnless.cli.recommend_update import save_run_model

        save_run_model(est, data, run_dir.path)
    for w in caught:
        if "learnless" not in str(w.filename) and "learnless" not in type(w.message).__module__:
            continue  # third-party deprecation chatter (torch, PyG) is not the user's concern
        if not quiet:  # through the entry point's hook: one `warning:` line on stderr
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        run_dir.log(f"warning: {w.message}")
    emit_metrics(metrics, run_dir, json_output)
    if not json_output and not quiet:
        from rich.table import Table

        table = Table(title=f"{model} on {data.name} ({protocol} protocol)")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key, value in metrics.items():
            table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
        console.print(table)
        console.print(f"run directory: {run_dir.path}")


@app.command()
def compare(
    ctx: typer.Context,
    dataset: DatasetOption,
    models: ModelsOption = None,
    set_: ModelSetOption = None,
    seed: SeedOption = 0,
    time_budget: TrainBudgetOption = 300.0,
    device: DeviceOption = "cpu",
    cutoffs: CutoffsOption = ["20,40"],  # noqa: B006 (typer reads the default; it is never mutated)
    protocol: ProtocolOption = "exact",
    data_dir: DataDirOption = None,
    format: FormatOption = None,
    backend: BackendOption = "local",
    address: AddressOption = None,
    workers: RecommendWorkersOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    metrics_: MetricsOption = None,
):
    """Run every model on one dataset and print one table (trained models get --time-budget seconds each).

    --set keys apply to every model that has them (e.g. `--set dim=128` to lightgcn and bprmf)."""
    from contextlib import nullcontext

    from learnless.cli.common import parse_set
    from learnless.recommend.models import MODELS
    from learnless.runtime import RunDir

    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    ks = _parse_cutoffs(cutoffs)
    _check_protocol(protocol)
    _check_device(device)
    groups = parse_groups(metrics_)
    if models is not None and not models.replace(",", "").strip():
        raise ConfigError(f"--models: empty; give a comma-separated subset of {_NAMES}, or leave it out for "
                          "all")
    names = [m.strip().lower() for m in models.split(",") if m.strip()] if models else MODELS.names()
    for name in names:
        MODELS.path(name)  # unknown names fail here, before any import or data
    shared = parse_set(set_, {name: MODELS[name] for name in names})
    ests = {}
    for name in names:
        own = {k: v for k, v in shared.items() if k in MODELS[name]._get_param_names()}
        ests[name] = _build_with(name, own, seed, time_budget, device)
    data = _load(dataset, data_dir, format)
    params = {
        "dataset": dataset,
        "models": {n: e.get_params(deep=False) for n, e in ests.items()},
        "topk": ks,
        "protocol": protocol,
        "backend": backend,
        "workers": workers,
    }
    run_dir = RunDir.open(
        "recommend",
        f"compare-{data.name}",
        out,
        command=ctx.command_path,
        params=params,
        force=force,
        inputs=_inputs(dataset, data_dir, format),
    )
    flat, rows = {}, []
    ex = _executor(backend, workers, address)
    with ex or nullcontext():
        for name, est in ests.items():
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m = _fit_and_evaluate(est, name, data, ks, protocol, ex, None, _threads(workers))
                    beyond = beyond_metrics(est, data, ks[0], groups, run_dir, name)
            except ConfigError as exc:  # e.g. EASE on a catalogue too large for its dense matrices
                if not quiet:
                    console.print(f"[yellow]{name} skipped:[/yellow] {exc}")
                run_dir.log(f"{name} skipped: {exc}")
                rows.append((name, None))
                continue
            rows.append((name, m))
            flat.update(
                {
                    f"{name}/{key}": v
                    for key, v in m.items()
                    if key.startswith(("recall@", "ndcg@")) or key in ("fit_seconds", "eval_seconds")
                }
            )
            flat.update({f"{name}/{key}": v for key, v in beyond.items()})
    emit_metrics(flat, run_dir, json_output)
    if json_output or quiet:
        return
    from rich.table import Table

    table = Table(title=f"{data.name}: {protocol} protocol")
    table.add_column("model")
    for kk in ks:
        table.add_column(f"Recall@{kk}", justify="right")
        table.add_column(f"NDCG@{kk}", justify="right")
    table.add_column("fit s", justify="right")
    table.add_column("eval s", justify="right")
    for name, m in rows:
        if m is None:
            table.add_row(name, *["skipped"] + [""] * (2 * len(ks) + 1))
            continue
        cells = [f"{m[f'{key}@{kk}']:.4f}" for kk in ks for key in ("recall", "ndcg")]
        table.add_row(name, *cells, f"{m['fit_seconds']:.1f}", f"{m['eval_seconds']:.1f}")
    console.print(table)


from learnless.cli.recommend_update import explain, update  # registered here, kept apart

app.command()(update)
app.command()(explain)


def _build_with(name: str, params: dict, seed: int, time_budget: float | None, device: str = "cpu"):
    from learnless.recommend.models import make_model

    return make_model(name, common={"seed": seed, "time_budget": time_budget, "device": device}, **params)


@app.command()
def top(
    dataset: DatasetOption,
    users: Annotated[str, option("--users")],
    n: TopNOption = 10,
    model: ModelOption = "gte",
    set_: ModelSetOption = None,
    seed: SeedOption = 0,
    time_budget: TrainBudgetOption = 120.0,
    device: DeviceOption = "cpu",
    data_dir: DataDirOption = None,
    format: FormatOption = None,
    out: Annotated[Path | None, option("--out", "Default: none written; with --out, recommendations.json "
                                                "there.")] = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Print each user's top-n unseen items with their scores."""
    import json
    import sys

    import numpy as np

    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    names = [u for u in users.replace(" ", "").split(",") if u]
    if not names:
        raise ConfigError("--users: give at least one user id")
    _check_device(device)
    est = _build(model, set_, seed, time_budget, device)
    data = _load(dataset, data_dir, format)
    rows = _user_rows(names, data.user_ids, data.n_users)
    run_dir = None
    if out is not None:
        from learnless.runtime import RunDir

        params = {"dataset": dataset, "model": model, "model_params": est.get_params(deep=False),
                  "users": names, "top_n": n}
        run_dir = RunDir.open("recommend", f"top-{model}-{data.name}", out, command="learnless recommend top",
                              params=params, force=force, inputs=_inputs(dataset, data_dir, format))
    m = est.fit(data, val=data.val)
    items, scores = m.recommend(rows, data.train[rows], N=n)
    item_ids = data.item_ids if data.item_ids is not None else np.arange(data.n_items)
    recs = {
        u: [[_plain(item_ids[i]), float(s)] for i, s in zip(row, srow) if i >= 0]
        for u, row, srow in zip(names, items, scores)
    }
    if run_dir is not None:
        from learnless.runtime import write_json_atomic

        write_json_atomic(run_dir.path / "recommendations.json", recs)
        run_dir.write_metrics({"users": len(recs), "top_n": n, "model": model})
    if json_output:
        sys.stdout.write(json.dumps(recs) + "\n")
        return
    if quiet:
        return
    from rich.table import Table

    for u, r_u, row, srow in zip(names, rows, items, scores):
        table = Table(title=f"user {u} ({int(data.train[r_u].nnz)} seen): {model}")
        table.add_column("rank", justify="right")
        table.add_column("item")
        table.add_column("score", justify="right")
        for r, (i, s) in enumerate(zip(row, srow), 1):
            if i >= 0:
                table.add_row(str(r), str(item_ids[i]), f"{s:g}")
        console.print(table)


def _user_rows(names: list[str], user_ids, n_users: int):
    """Row positions of the --users ids: looked up among the source file's ids when the data has them."""
    import numpy as np

    if user_ids is None:
        try:
            rows = np.array([int(u) for u in names], dtype=np.int64)
        except ValueError:
            shown = ",".join(names)
            raise ConfigError(f"--users: expected comma-separated integer ids, got {shown!r}") from None
        bad = [str(r) for r in rows if not 0 <= r < n_users]
        if bad:
            shown = ", ".join(bad[:5])
            raise ConfigError(f"--users: unknown user id(s) {shown}; valid ids are 0..{n_users - 1}")
        return rows
    where = {str(u): r for r, u in enumerate(user_ids)}
    unknown = [u for u in names if u not in where]
    if unknown:
        shown = ", ".join(unknown[:5])
        raise ConfigError(f"--users: unknown user id(s) {shown} (not in the data's user ids)")
    return np.array([where[u] for u in names], dtype=np.int64)


def _plain(value):
    """An id as JSON: numbers stay numbers, strings stay strings."""
    return value.item() if hasattr(value, "item") else value
