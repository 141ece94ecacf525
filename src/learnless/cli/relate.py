"""`learnless relate ...`: compare two embedding spaces, check invariance, zero-shot stitching."""

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
    SeedsOption,
    console_for,
    emit_metrics,
)
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True)

AnchorsOption = Annotated[
    int, typer.Option("--anchors", min=1, help="Number of anchors (rows sampled as anchors).")
]


def _print(console, metrics: dict, title: str) -> None:
    from rich.table import Table

    t = Table(title=title)
    t.add_column("metric")
    t.add_column("value", justify="right")
    t.add_column("shuffled null", justify="right")
    for k, v in metrics.items():
        if k.endswith(".null"):
            continue
        null = metrics.get(f"{k}.null")
        fmt = lambda x: f"{x:.4f}" if isinstance(x, float) else str(x)
        t.add_row(k, fmt(v), "" if null is None else fmt(null))
    console.print(t)


@app.command()
def compare(
    a: Annotated[
        Path, typer.Argument(help="Embeddings of space A: .npy, .npz[:KEY], .pt or .csv (rows = samples).")
    ],
    b: Annotated[Path, typer.Argument(help="Embeddings of space B, the same samples in the same order.")],
    anchors: AnchorsOption = 300,
    k: Annotated[int, typer.Option("--k", min=1, help="Neighbours for Jaccard@k.")] = 10,
    anchor_method: Annotated[
        str, typer.Option("--anchor-method", help="uniform, farthest or kmeans.")
    ] = "uniform",
    seed: SeedOption = 0,
    json_output: JsonOption = False,
):
    """Similarity of two parallel embedding spaces: absolute and relative Jaccard@k / MRR / cosine (absolute
    ones only when the dimensions agree), linear CKA, each beside its shuffled-correspondence null."""
    from learnless.relate.anchors import SAMPLERS
    from learnless.relate.checks import check_anchor_count, check_parallel
    from learnless.relate.io import read_matrix
    from learnless.relate.metrics import compare_spaces

    if anchor_method not in SAMPLERS or anchor_method == "stratified":
        raise ConfigError(f"--anchor-method: {anchor_method!r} is not one of uniform, farthest, kmeans")
    xa, xb = read_matrix(a), read_matrix(b)
    check_parallel(xa, xb, (str(a), str(b)))
    try:
        check_anchor_count(anchors, len(xa))
    except ConfigError as exc:
        raise ConfigError(f"--anchors: {exc}".replace("n_anchors: ", "")) from None
    metrics = compare_spaces(xa, xb, n_anchors=anchors, k=k, seed=seed, anchor_method=anchor_method)
    emit_metrics(metrics, None, json_output)
    if not json_output:
        _print(console_for(False), metrics, f"{a.name} vs {b.name}")


@app.command()
def invariance(
    seeds: SeedsOption = 5,
    anchors: AnchorsOption = 300,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """rel(x) under a random orthogonal map + rescale (and + translation): max absolute change, with and
    without centring on the anchor mean."""
    from learnless.relate.experiments import invariance as run_invariance
    from learnless.report import markdown_table
    from learnless.runtime import RunDir

    params = {"seeds": seeds, "anchors": anchors}
    run = RunDir.open(
        "relate", "invariance", out, command="learnless relate invariance", params=params, force=force
    )
    rows = run_invariance(seeds=seeds, n_anchors=anchors)
    (run.path / "invariance.md").write_text(markdown_table(rows))
    metrics = {}
    for center in (False, True):
        for what in ("rotation + rescale", "+ translation"):
            worst = max(r["max_abs_diff"] for r in rows if r["center"] == center and r["transform"] == what)
            metrics[f"{'centered' if center else 'plain'}.{what.replace(' ', '').replace('+', '_')}"] = worst
    emit_metrics(metrics, run, json_output)
    if not (json_output or quiet):
        _print(console_for(False), metrics, "max |rel(x) - rel(Tx)| over seeds")
        console_for(False).print(f"run directory: {run.path}")


@app.command()
def stitch(
    dataset: Annotated[
        str,
        typer.Option(
            "--dataset",
            "-d",
            help="digits (bundled with scikit-learn) or mnist (the 10k MNIST test images, "
            "split 8,000 / 2,000).",
        ),
    ] = "digits",
    seeds: SeedsOption = 5,
    anchors: AnchorsOption = 300,
    arch: Annotated[
        list[str] | None, typer.Option("--arch", help="Encoders: mlp and/or cnn (repeatable; default both).")
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", min=1, help="Training epochs (default 40 digits, 8 mnist).")
    ] = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Zero-shot classification stitching: encoder of one model + head of another (other seed / other
    architecture), absolute vs relative heads, beside the non-stitched models."""
    from learnless.relate.experiments import stitching
    from learnless.relate.plots import stitching_matrix
    from learnless.relate.stitching import ARCHS, DATASETS
    from learnless.report import markdown_table
    from learnless.runtime import RunDir

    archs = tuple(arch or ARCHS)
    for a in archs:
        if a not in ARCHS:
            raise ConfigError(f"--arch: {a!r} is not one of {', '.join(ARCHS)}")
    if dataset not in DATASETS:
        raise ConfigError(f"--dataset: {dataset!r} is not one of {', '.join(DATASETS)}")
    params = {"dataset": dataset, "seeds": seeds, "anchors": anchors, "archs": list(archs), "epochs": epochs}
    run = RunDir.open(
        "relate", f"stitch-{dataset}", out, command="learnless relate stitch", params=params, force=force
    )
    r = stitching(
        dataset,
        archs=archs,
        seeds=seeds,
        n_anchors=anchors,
        epochs=epochs,
        out=run.path,
        journal=run.path / "journal.jsonl",
    )
    (run.path / "summary.md").write_text(markdown_table(r["summary"]))
    (run.path / "pairs.md").write_text(markdown_table(r["pairs"]))
    stitching_matrix(r["pairs"], run.path / "stitching.png", f"zero-shot stitching on {dataset}")
    emit_metrics(r["numbers"], run, json_output)
    if not (json_output or quiet):
        console = console_for(False)
        _print(console, r["numbers"], f"stitching on {dataset} ({seeds} seeds)")
        console.print(f"run directory: {run.path}")
