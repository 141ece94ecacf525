"""`learnless recommend run|compare|top`: GTE and the trained baselines on one evaluation."""

from __future__ import annotations

import time
import warnings
from typing import Annotated

import typer
from rich.table import Table

from learnless.cli.common import (
    AddressOption,
    BackendOption,
    DataDirOption,
    FormatOption,
    JsonOption,
    OutOption,
    WorkersOption,
    console_for,
    emit_metrics,
)
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True)

DatasetOption = Annotated[str, typer.Option("--dataset", help="Registered name (amazon_beauty, tmall, ...) or a path with --format.")]
ModelOption = Annotated[str, typer.Option("--model", help="gte | lightgcn | bprmf | itemknn | ease.")]
KOption = Annotated[int, typer.Option("--k", help="GTE propagation layers.")]
TopkOption = Annotated[list[str] | None, typer.Option("--topk", help="Cut-offs K (repeat, or comma-separated): default 20,40.")]
ProtocolOption = Annotated[str, typer.Option("--protocol", help="exact (seen items never ranked) or official (HKUDS/GTE evaluation).")]
BudgetOption = Annotated[float | None, typer.Option("--time-budget", help="Training wall-time budget in seconds (lightgcn, bprmf).")]
EpochsOption = Annotated[int, typer.Option("--max-epochs", help="Training epochs at most (lightgcn, bprmf).")]
BlockOption = Annotated[int | None, typer.Option("--block-size", help="Users per scoring block (exact protocol).")]
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed for trained models.")]


def _parse_topk(values) -> list[int]:
    if not values:
        return [20, 40]
    out = []
    for v in values:
        for part in str(v).replace(",", " ").split():
            try:
                out.append(int(part))
            except ValueError:
                raise ConfigError(f"--topk: expected integers, got {part!r}") from None
    return out


def _validate(models, protocol, k):
    """Argument mistakes are reported before any data is loaded."""
    from learnless.recommend.evaluate import PROTOCOLS
    from learnless.recommend.gte import GTE
    from learnless.recommend.models import MODELS

    for name in models:
        if name not in MODELS:
            raise ConfigError(f"model: unknown {name!r}; expected one of {', '.join(MODELS)}")
    if protocol not in PROTOCOLS:
        raise ConfigError(f"protocol: unknown {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    GTE(k)._validate_params()


def _load(dataset, data_dir, fmt):
    from learnless.data import load_interactions

    return load_interactions(dataset, format=fmt, data_dir=data_dir)


def _fit_and_evaluate(name, data, k, topk, protocol, time_budget, max_epochs, seed, executor, block_size):
    import resource

    from learnless.recommend.evaluate import evaluate
    from learnless.recommend.models import fit_info, make_model

    model = make_model(name, k=k, time_budget=time_budget, max_epochs=max_epochs, seed=seed)
    start = time.perf_counter()
    model.fit(data, val=data.val)
    fit_seconds = time.perf_counter() - start
    metrics = evaluate(model, data, topk=topk, protocol=protocol, executor=executor, block_size=block_size)
    metrics.update({"model": name, "dataset": data.name, "fit_seconds": fit_seconds,
                    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **fit_info(model)})
    return model, metrics


@app.command()
def run(dataset: DatasetOption, model: ModelOption = "gte", k: KOption = 3, topk: TopkOption = None,
        protocol: ProtocolOption = "exact", time_budget: BudgetOption = None, max_epochs: EpochsOption = 1000,
        block_size: BlockOption = None, seed: SeedOption = 0, data_dir: DataDirOption = None,
        format: FormatOption = None, backend: BackendOption = "local", address: AddressOption = None,
        workers: WorkersOption = 1, out: OutOption = None, json_output: JsonOption = False):
    """Fit one model and evaluate it by full ranking; writes metrics.json (recall@K, ndcg@K, ...)."""
    from learnless.runtime import RunDir, get_executor

    console = console_for(json_output)
    ks = _parse_topk(topk)
    _validate([model], protocol, k)
    data = _load(dataset, data_dir, format)
    run_dir = RunDir.create("recommend", f"{model}-{data.name}", out)
    run_dir.write_config({"command": "run", "dataset": dataset, "model": model, "k": k, "topk": ks,
                          "protocol": protocol, "time_budget": time_budget, "max_epochs": max_epochs,
                          "seed": seed, "backend": backend, "workers": workers})
    with warnings.catch_warnings(record=True) as caught, get_executor(backend, workers, address) as ex:
        warnings.simplefilter("always")
        _, metrics = _fit_and_evaluate(model, data, k, ks, protocol, time_budget, max_epochs, seed, ex,
                                       block_size)
    for w in caught:
        if "learnless" not in str(w.filename) and "learnless" not in type(w.message).__module__:
            continue  # third-party deprecation chatter (torch, PyG) is not the user's concern
        console.print(f"[yellow]warning:[/yellow] {w.message}")
        run_dir.log(f"warning: {w.message}")
    emit_metrics(metrics, run_dir, json_output)
    if not json_output:
        table = Table(title=f"{model} on {data.name} ({protocol} protocol)")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key, value in metrics.items():
            table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
        console.print(table)
        console.print(f"run directory: {run_dir.path}")


@app.command()
def compare(dataset: DatasetOption, models: Annotated[str | None, typer.Option("--models", help="Comma-separated subset (default: all).")] = None,
            k: KOption = 3, topk: TopkOption = None, protocol: ProtocolOption = "exact",
            time_budget: BudgetOption = 300.0, max_epochs: EpochsOption = 1000, seed: SeedOption = 0,
            data_dir: DataDirOption = None, format: FormatOption = None, backend: BackendOption = "local",
            address: AddressOption = None, workers: WorkersOption = 1, out: OutOption = None,
            json_output: JsonOption = False):
    """Run every model on one dataset and print one table (trained models get --time-budget seconds each)."""
    from learnless.recommend.models import MODELS
    from learnless.runtime import RunDir, get_executor

    console = console_for(json_output)
    ks = _parse_topk(topk)
    names = [m.strip() for m in models.split(",")] if models else list(MODELS)
    _validate(names, protocol, k)
    data = _load(dataset, data_dir, format)
    run_dir = RunDir.create("recommend", f"compare-{data.name}", out)
    run_dir.write_config({"command": "compare", "dataset": dataset, "models": names, "k": k, "topk": ks,
                          "protocol": protocol, "time_budget": time_budget, "seed": seed})
    flat, rows = {}, []
    with get_executor(backend, workers, address) as ex:
        for name in names:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _, m = _fit_and_evaluate(name, data, k, ks, protocol, time_budget, max_epochs, seed, ex, None)
            except ConfigError as exc:  # e.g. EASE on a catalogue too large for its dense matrices
                console.print(f"[yellow]{name} skipped:[/yellow] {exc}")
                run_dir.log(f"{name} skipped: {exc}")
                rows.append((name, None))
                continue
            rows.append((name, m))
            flat.update({f"{name}/{key}": v for key, v in m.items()
                         if key.startswith(("recall@", "ndcg@")) or key in ("fit_seconds", "eval_seconds")})
    emit_metrics(flat, run_dir, json_output)
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


@app.command()
def top(dataset: DatasetOption, users: Annotated[str, typer.Option("--users", help="Comma-separated user ids (row positions).")],
        n: Annotated[int, typer.Option("-n", "--n", help="Recommendations per user.")] = 10,
        model: ModelOption = "gte", k: KOption = 3, time_budget: BudgetOption = 120.0, seed: SeedOption = 0,
        data_dir: DataDirOption = None, format: FormatOption = None, json_output: JsonOption = False):
    """Print each user's top-n unseen items with their scores."""
    import json
    import sys

    import numpy as np

    from learnless.recommend.models import make_model

    console = console_for(json_output)
    try:
        ids = [int(u) for u in users.replace(" ", "").split(",") if u]
    except ValueError:
        raise ConfigError(f"--users: expected comma-separated integer ids, got {users!r}") from None
    if not ids:
        raise ConfigError("--users: give at least one user id")
    _validate([model], "exact", k)
    data = _load(dataset, data_dir, format)
    m = make_model(model, k=k, time_budget=time_budget, seed=seed).fit(data, val=data.val)
    items, scores = m.recommend(np.array(ids), N=n)
    item_ids = data.item_ids if data.item_ids is not None else np.arange(data.n_items)
    if json_output:
        out = {str(u): [[int(item_ids[i]), float(s)] for i, s in zip(row, srow) if i >= 0]
               for u, row, srow in zip(ids, items, scores)}
        sys.stdout.write(json.dumps(out) + "\n")
        return
    for u, row, srow in zip(ids, items, scores):
        table = Table(title=f"user {u} ({int(data.train[u].nnz)} seen): {model}")
        table.add_column("rank", justify="right")
        table.add_column("item")
        table.add_column("score", justify="right")
        for r, (i, s) in enumerate(zip(row, srow), 1):
            if i >= 0:
                table.add_row(str(r), str(item_ids[i]), f"{s:g}")
        console.print(table)
