"""`learnless relate swap`: search an index embedded by encoder A with queries embedded by encoder B,
through anchors both encoders embedded — no re-embedding of the index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import (
    ForceOption,
    JsonOption,
    OutOption,
    QuietOption,
    console_for,
    emit_metrics,
    option,
)

MatrixArg = "Embeddings: .npy, .npz[:KEY], .pt or .csv (rows = samples)."


def swap(
    index: Annotated[Path, typer.Argument(help="The index, embedded by encoder A. " + MatrixArg)],
    queries: Annotated[Path, typer.Argument(help="The queries, embedded by encoder B. " + MatrixArg)],
    anchors_a: Annotated[Path, option("--anchors-a")],
    anchors_b: Annotated[Path, option("--anchors-b")],
    via: Annotated[list[str] | None, option("--via", "One of them (default relative).")] = None,
    top_n: Annotated[int, option("--top-n", "Neighbours returned per query.")] = 10,
    truth: Annotated[Path | None, option("--truth")] = None,
    oracle_index: Annotated[Path | None, option("--oracle-index")] = None,
    center: Annotated[bool, option("--center/--no-center", "Relative only.")] = False,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Query an index built with encoder A using encoder B: writes neighbours.npy (queries x n index rows)
    and scores.npy; with --truth, recall@n and MRR@n, beside the re-embedding oracle with --oracle-index."""
    import numpy as np

    from learnless.errors import ConfigError, DataError
    from learnless.relate.io import read_matrix
    from learnless.relate.swap import retrieval_scores, search, swap_search
    from learnless.relate.translators import VIAS
    from learnless.runtime import RunDir
    from learnless.runtime.rundir import write_bytes_atomic

    if via and len(via) > 1:
        raise ConfigError(f"--via: relate swap takes one, got {', '.join(via)}")
    via = via[0] if via else "relative"
    if via not in VIAS:
        raise ConfigError(f"--via: {via!r} is not one of {', '.join(VIAS)}")
    xi, xq = read_matrix(index), read_matrix(queries)
    aa, ab = read_matrix(anchors_a), read_matrix(anchors_b)
    if len(aa) != len(ab):
        raise DataError(f"--anchors-a has {len(aa)} rows but --anchors-b has {len(ab)}: they must be the "
                        "same anchors in the same order")
    want = None
    if truth is not None:
        if truth.suffix == ".npy" and truth.exists():
            try:
                want = np.load(truth, allow_pickle=False).reshape(-1)
            except ValueError as exc:
                raise DataError(f"--truth: {truth}: not a numeric array ({exc})") from None
        else:
            want = read_matrix(truth).reshape(-1)
        if len(want) != len(xq):
            raise DataError(f"--truth: {len(want)} entries for {len(xq)} queries")
        if not np.all((want >= 0) & (want < len(xi)) & (want == np.round(want))):
            raise DataError(f"--truth: entries must be index rows 0..{len(xi) - 1}")
        want = want.astype(np.int64)
    oracle = read_matrix(oracle_index) if oracle_index is not None else None
    if oracle is not None:
        if want is None:
            raise ConfigError("--oracle-index: needs --truth to score it")
        if len(oracle) != len(xi):
            raise DataError(f"--oracle-index has {len(oracle)} rows but the index has {len(xi)}")
    params = {"index": str(index), "queries": str(queries), "anchors_a": str(anchors_a),
              "anchors_b": str(anchors_b), "via": via, "top_n": top_n, "center": center,
              "truth": str(truth) if truth else None,
              "oracle_index": str(oracle_index) if oracle_index else None}
    run = RunDir.open("relate", "swap", out, command="learnless relate swap", params=params, force=force)
    top, scores = swap_search(xi, xq, aa, ab, via=via, top_n=top_n, center=center)
    for name, arr in (("neighbours.npy", top), ("scores.npy", scores)):
        import io

        buf = io.BytesIO()
        np.save(buf, arr)
        write_bytes_atomic(run.path / name, buf.getvalue())
    metrics = {"queries": len(xq), "index": len(xi), "anchors": len(aa), "via": via}
    if want is not None:
        metrics.update({f"swap.{k}": v for k, v in retrieval_scores(top, want, top_n).items()})
    if oracle is not None:
        otop, _ = search(oracle, xq, top_n)
        o = retrieval_scores(otop, want, top_n)
        metrics.update({f"oracle.{k}": v for k, v in o.items()})
        if o[f"recall@{top_n}"] > 0:
            metrics[f"recall@{top_n} / oracle"] = metrics[f"swap.recall@{top_n}"] / o[f"recall@{top_n}"]
    emit_metrics(metrics, run, json_output)
    if not (json_output or quiet):
        console = console_for(False)
        for k, v in metrics.items():
            console.print(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}")
        console.print(f"run directory: {run.path}")
