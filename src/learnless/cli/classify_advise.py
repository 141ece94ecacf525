"""`learnless classify advise`: homophily, feature informativeness, smoothness over depth, degrees and a
recommendation for a graph, before any training and from its training labels only."""

from __future__ import annotations

from typing import Annotated

from learnless.cli.common import (
    DataDirOption,
    DatasetOption,
    ForceOption,
    FormatOption,
    JsonOption,
    OutOption,
    QuietOption,
    SeedOption,
    option,
)


def advise_command(
    dataset: DatasetOption,
    seed: SeedOption = 0,
    split: Annotated[str | None, option("--split")] = None,
    train_per_class: Annotated[int | None, option("--train-per-class")] = None,
    val_per_class: Annotated[int | None, option("--val-per-class")] = None,
    fmt: FormatOption = None,
    data_dir: DataDirOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Before training: edge / node / class-insensitive / adjusted homophily from the training labels,
    a linear probe of the raw and propagated features (CV on the training nodes), GSL over depth, degree
    statistics, and which propagation to use — with its reason."""
    import json
    import os

    import numpy as np

    from learnless.classify.advise import advise, check_features_vary
    from learnless.classify.runs import graph_for_seed
    from learnless.classify.splits import check_split_options, resolve_split
    from learnless.cli.common import console_for
    from learnless.data import load_graph

    if quiet:
        os.environ["LEARNLESS_PROGRESS"] = "0"
    check_split_options(split, train_per_class, val_per_class)
    console = console_for(json_output)
    graph = load_graph(dataset, format=fmt, data_dir=data_dir)
    check_features_vary(graph)
    spec = resolve_split(graph, split, train_per_class, val_per_class)
    g, split_text = graph_for_seed(graph, seed, spec)
    run = None
    if out is not None:
        from learnless.runtime import RunDir

        run = RunDir.open("classify", "advise", out, command="learnless classify advise",
                          params={"dataset": str(dataset), "format": fmt, "seed": seed, "split": split_text},
                          force=force)
    a = advise(g, np.flatnonzero(g.train_mask & (g.y >= 0)), seed=seed)
    if run is not None:
        run.write_metrics({"dataset": str(dataset), "split": split_text, **a.to_dict()})
    if json_output:
        print(json.dumps({"dataset": str(dataset), "split": split_text, **a.to_dict()}))
        return
    if quiet:
        console.print(f"{a.recommendation} depth {a.depth}", markup=False)
        return
    from rich.table import Table

    obs, est = a.homophily_observed, a.homophily_estimated
    t = Table(title=f"advise — {g.name} ({split_text}, {a.training_nodes} training labels)")
    t.add_column("measure")
    t.add_column("value", justify="right")

    def fmt_(v):
        return "n/a" if v is None else f"{v:.3f}"

    t.add_row("edge homophily (estimated, paths ≤ 3)", fmt_(est["edge"]))
    t.add_row("adjusted homophily (estimated)", fmt_(est["adjusted"]))
    t.add_row("class-insensitive homophily (estimated)", fmt_(est["class_insensitive"]))
    t.add_row(f"edge / node homophily ({obs['edges']} training-training edges)",
              f"{fmt_(obs['edge'])} / {fmt_(obs['node'])}")
    t.add_row("probe CV accuracy, raw features (chance)", f"{a.feature_probe:.3f} ({a.chance:.3f})")
    for d, v in a.probe_by_depth.items():
        if d != "0":
            t.add_row(f"probe CV accuracy, Â^{d}X (GSL {a.gsl_by_depth[d]:.3f})", f"{v:.3f}")
    t.add_row("probe CV accuracy, [X, (I−Â)X, (I−Â)²X]", f"{a.probe_high_pass:.3f}")
    deg = a.degrees
    t.add_row("nodes / edges", f"{deg['nodes']} / {deg['edges']}")
    t.add_row("degree mean / median / max / isolated",
              f"{deg['mean_degree']:.1f} / {deg['median_degree']:.0f} / {deg['max_degree']} / "
              f"{deg['isolated_nodes']}")
    console.print(t)
    what = {"mlp": "no propagation (MLP)", "low-pass": f"low-pass propagation to depth {a.depth}",
            "heterophily": "heterophily-aware propagation (hops of Â and I − Â)"}[a.recommendation]
    console.print(f"recommendation: {what}\nwhy: {a.reason}", markup=False)
