"""`--model auto` in the CLI: what `classify run` prints and saves about the choice (choice.json), and
`learnless classify predict`, which retrains a saved choice — no search — and writes every node's class."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from learnless.cli.common import DataDirOption, DatasetOption, FormatOption, JsonOption, QuietOption, option
from learnless.errors import ConfigError, DataError


def report_choices(per_seed: list[dict], run_dir, console, quiet: bool) -> None:
    """choice.json: seed -> {family, params, feature_scaling, val_acc (the kept trial), ensemble (the trials
    whose probabilities are averaged, the kept trial first), reason}; printed unless quiet."""
    from learnless.runtime import write_json_atomic

    choices = {str(r["seed"]): {**r["choice"], "ensemble": r["ensemble"], "reason": r["reason"]}
               for r in per_seed if "choice" in r}
    write_json_atomic(run_dir.path / "choice.json", choices)
    for seed, c in choices.items():
        run_dir.log(f"auto, seed {seed}: {c['reason']}")
        if not quiet:
            console.print(f"auto chose (seed {seed}): {c['reason']}", markup=False)


def load_choice(run: Path, seed: int | None) -> tuple[int, dict]:
    import json

    path = Path(run) / "choice.json"
    if not path.is_file():
        raise DataError(f"{path}: no saved choice; make one with `learnless classify run --model auto "
                        f"--out {run}`")
    try:
        choices = json.loads(path.read_text())
    except ValueError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    if not choices or not isinstance(choices, dict):
        raise DataError(f"{path}: holds no choice (expected {{seed: choice}})")
    key = str(seed) if seed is not None else min(choices, key=int)
    if key not in choices:
        held = ", ".join(sorted(choices, key=int))
        raise ConfigError(f"--choice-seed: {path} holds seeds {held}, not {seed}")
    choice = choices[key]
    members = (choice.get("ensemble") or [choice]) if isinstance(choice, dict) else [choice]
    for member in [choice, *members]:
        if not (isinstance(member, dict) and {"family", "params", "feature_scaling"} <= set(member)):
            raise DataError(f"{path}: seed {key}: a choice needs family, params and feature_scaling; "
                            f"got {str(member)[:120]}")
    return int(key), {**choice, "ensemble": members}


def predict_command(
    dataset: DatasetOption,
    run: Annotated[Path, option("--run", "Here: of `classify run --model auto`.")],
    output: Annotated[Path, option("--output", "A CSV: node,class.")],
    seed: Annotated[int | None, option("--choice-seed")] = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Fit the models `--model auto` chose (saved in the run directory) on the graph's split of that seed
    and write the predicted class of every node (the mean of their probabilities) — no new search."""
    import json
    import os

    from learnless.classify.advise import check_features_vary
    from learnless.classify.auto import average_proba, estimator_for, scaled_graph
    from learnless.classify.base import split_indices
    from learnless.classify.runs import graph_for_seed
    from learnless.classify.splits import resolve_split
    from learnless.cli.common import console_for
    from learnless.data import load_graph
    from learnless.runtime.rundir import write_bytes_atomic

    if quiet:
        os.environ["LEARNLESS_PROGRESS"] = "0"
    console = console_for(json_output)
    seed_used, choice = load_choice(run, seed)
    cfg_path = Path(run) / "config.json"
    config = json.loads(cfg_path.read_text()) if cfg_path.is_file() else {}
    graph = load_graph(dataset, format=fmt, data_dir=data_dir)
    check_features_vary(graph)  # the saved choice would fit, and predict nothing, on constant features
    split = (config.get("params") or {}).get("split") or resolve_split(graph)
    g, _ = graph_for_seed(graph, seed_used, split)
    members = choice["ensemble"]
    models = [estimator_for(c, seed=seed_used).fit(scaled_graph(g, c["feature_scaling"])) for c in members]
    pred = average_proba(models, members, g).argmax(1)
    names = graph.meta.get("classes")
    labels = [names[p] for p in pred] if names else [int(p) for p in pred]
    text = "node,class\n" + "".join(f"{i},{c}\n" for i, c in enumerate(labels))
    write_bytes_atomic(output, text.encode())
    val_idx = split_indices(g)[1]
    val = float((pred[val_idx] == g.y[val_idx]).mean())
    families = [c["family"] for c in members]
    if json_output:
        print(json.dumps({"output": str(output), "nodes": len(pred), "val_acc": val,
                          "family": choice["family"], "ensemble": families, "seed": seed_used}))
    elif not quiet:
        what = choice["family"] if len(members) == 1 else f"the mean of {', '.join(families)}"
        console.print(f"{what} (seed {seed_used}, validation {val:.1%}): {len(pred)} predictions -> {output}",
                      markup=False)
