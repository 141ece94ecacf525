"""`learnless grok construct`: a hidden layer built from the Li2 energy (stages I-III), no back-propagation
through the network; optionally beside a trained GrokTrainer of the same width."""

from __future__ import annotations

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
from learnless.errors import ConfigError


def construct_split(group: str, train_frac: float, seed: int):
    """(group, split) with train_frac in (0, 1]; 1 trains on the full table (no test pairs)."""
    import numpy as np

    from learnless.grok.groups import Split, parse_group, split_pairs

    g = parse_group(group)
    if not 0.0 < train_frac <= 1.0:
        raise ConfigError(f"--train-frac: must be in (0, 1], got {train_frac!r}")
    if train_frac == 1.0:
        return g, Split(train=np.arange(g.order**2), test=np.arange(0))
    return g, split_pairs(g, train_frac, seed=seed)


def register(app: typer.Typer) -> None:
    @app.command()
    def construct(
        ctx: typer.Context,
        group: Annotated[str, option("--group")] = "Z23",
        train_frac: Annotated[float | None, option("--train-frac", "1: the full table, no test pairs.")
                              ] = None,
        set_: Annotated[list[str] | None, option("--set")] = None,
        compare_trained: Annotated[bool, option("--compare-trained")] = False,
        seed: SeedOption = 0,
        out: OutOption = None,
        force: ForceOption = False,
        json_output: JsonOption = False,
        quiet: QuietOption = False,
    ):
        """Build V sigma(W x) from the energy: random nodes + ridge top layer (I), each node up its own energy
        (II), blocks re-placed up the energy of the residual the rest leaves (III), ridge top layer. Reports
        per stage the components covered, train/test accuracy and node-gradient evaluations."""
        import math

        import numpy as np

        from learnless.cli.common import parse_set
        from learnless.grok.construct import EnergyConstruction
        from learnless.runtime.rundir import RunDir

        console = console_for(json_output)
        train_frac = 0.4 if train_frac is None else train_frac
        est = EnergyConstruction(**{**parse_set(set_, EnergyConstruction), "seed": seed}).validate()
        g, split = construct_split(group, train_frac, seed)
        params = {"group": g.name, "train_frac": train_frac, "compare_trained": compare_trained,
                  **est.get_params()}
        run = RunDir.open("grok", f"construct-{g.name}", out, command=ctx.command_path, params=params,
                          force=force)
        if not quiet:
            console.print(f"constructing on {g.name}: {len(split.train)} train / {len(split.test)} test "
                          f"pairs, K={est.hidden}, stage {est.stage}")
        est.fit(g, split)
        last = est.stage_history_[-1]
        metrics = {
            "group": g.name,
            "n_train": len(split.train),
            "ratio": len(split.train) / (g.order * math.log(g.order)),
            "stage": est.stage,
            "train_acc": est.train_acc_,
            "test_acc": est.test_acc_,
            "components_covered": last["components_covered"],
            "components_total": last["components_total"],
            "covered": last["covered"],
            "gradient_evals": est.gradient_evals_,
            "blocks_accepted": est.accepted_,
            "seconds": round(est.seconds_, 2),
            "stages": est.stage_history_,
        }
        if compare_trained:
            metrics["trained"] = trained_cost(g, split, int(est.hidden), seed)
        np.savez(run.path / "model.npz", W=est.W_, V=est.V_.numpy(), intercept=est.intercept_.numpy())
        emit_metrics(metrics, run, json_output)
        if not (json_output or quiet):
            from rich.table import Table

            t = Table(title=f"grok construct {g.name}")
            for c in ("stage", "train_acc", "test_acc", "components covered", "node-gradient evals"):
                t.add_column(c)
            for h in est.stage_history_:
                t.add_row(h["stage"], f"{h['train_acc']:.3f}",
                          "-" if h["test_acc"] is None else f"{h['test_acc']:.3f}",
                          f"{h['components_covered']} / {h['components_total']}", str(h["gradient_evals"]))
            if compare_trained:
                tr = metrics["trained"]
                t.add_row("trained", f"{tr['train_acc']:.3f}",
                          "-" if tr["test_acc"] is None else f"{tr['test_acc']:.3f}", "",
                          str(tr["gradient_evals"]))
            console.print(t)
            console.print(f"run directory: {run.path}")


def trained_cost(g, split, hidden: int, seed: int) -> dict:
    """A GrokTrainer of the same width (cpu_scaling preset, stopped at grokking): accuracies, grok epoch and
    its cost in node-gradient evaluations (epochs run x K: each full-batch epoch back-propagates into every
    node)."""
    from learnless.grok.presets import preset, trainer_params
    from learnless.grok.trainer import GrokTrainer

    if len(split.test) == 0:  # no test pairs to grok on: train the preset's full budget
        kw = {}
    else:
        kw = {"stop_after_grok": 0}
    params = {**trainer_params(preset("cpu_scaling")), "hidden": hidden, "seed": seed,
              "diag_every": 10**9, **kw}
    tr = GrokTrainer(**params).fit(g, split)
    return {
        "train_acc": tr.train_acc_,
        "test_acc": tr.test_acc_ if len(split.test) else None,
        "grok_epoch": tr.grok_epoch_,
        "epochs_run": tr.epochs_run_,
        "gradient_evals": int(tr.epochs_run_) * hidden,
        "seconds": round(tr.seconds_, 2),
    }
