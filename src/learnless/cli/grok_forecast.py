"""`learnless grok forecast`: before any training, whether a GrokTrainer run memorises, groks or fails, and in
which epoch range it groks (the forecaster fitted on the runs the grok benchmarks journaled)."""

# no `from __future__ import annotations`: the option types are passed in by cli/grok.py and typer must see
# them evaluated
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
from learnless.errors import ConfigError


def register(app: typer.Typer, set_option, preset_option) -> None:
    @app.command()
    def forecast(
        group: Annotated[str | None, option("--group", "Default Z71, or the preset's.")] = None,
        train_frac: Annotated[float | None, option("--train-frac")] = None,
        preset: preset_option = None,
        set_: set_option = None,
        out_dir: OutOption = None,
        force: ForceOption = False,
        json_output: JsonOption = False,
        quiet: QuietOption = False,
    ):
        """Forecast a `grok train` run: outcome (memorise | grok | fail), their probabilities and, for
        grokking, an epoch interval (meant to hold 80 % of grokking runs). Inputs: n / (M ln M), K / M and the
        optimiser settings; --set takes GrokTrainer's keys (hidden, lr, weight_decay, epochs, centring)."""
        import math

        from learnless.cli.common import parse_set
        from learnless.grok.forecast import GrokForecaster, check_request, load_runs
        from learnless.grok.groups import parse_group
        from learnless.grok.presets import preset as get_preset
        from learnless.grok.presets import trainer_params
        from learnless.grok.trainer import GrokTrainer

        console = console_for(json_output)
        base = get_preset(preset)
        base.update(parse_set(set_, GrokTrainer))
        g = parse_group(group or base.get("group", "Z71"))
        train_frac = train_frac if train_frac is not None else base.get("train_frac", 0.4)
        params = {**GrokTrainer().get_params(), **trainer_params(base)}
        check_request(train_frac, params["hidden"])
        GrokTrainer(**params).validate()
        if params["ridge"] is not None:
            raise ConfigError("--set ridge: the forecaster is fitted on runs with a trained top layer "
                              "(ridge=None)")
        for key in ("optimizer", "act", "loss"):
            if params[key] != GrokTrainer().get_params()[key]:
                raise ConfigError(f"--set {key}: the forecaster is fitted on {key}="
                                  f"{GrokTrainer().get_params()[key]!r} runs only")
        n_train = max(1, round(train_frac * g.order**2))
        run = {"group": g.name, "order": g.order, "n_train": n_train, **params}
        runs = load_runs()
        f = GrokForecaster().fit(runs)
        out = {
            "group": g.name,
            "train_frac": train_frac,
            "n_train": n_train,
            "ratio": n_train / (g.order * math.log(g.order)),
            "hidden": params["hidden"],
            "lr": params["lr"],
            "weight_decay": params["weight_decay"],
            "epochs": params["epochs"],
            "centring": params["centring"],
            **f.forecast(run),
            "fitted_on_runs": f.n_runs_,
            "fitted_on_groups": len(f.groups_),
            "seen_group": g.name in f.groups_,
        }
        run_dir = None
        if out_dir is not None:
            from learnless.runtime.rundir import RunDir

            run_dir = RunDir.open("grok", f"forecast-{g.name}", out_dir, command="learnless grok forecast",
                                  params={"group": g.name, "train_frac": train_frac, **params}, force=force)
        emit_metrics(out, run_dir, json_output)
        if not (json_output or quiet):
            console.print(
                f"{g.name}, {n_train} pairs (n/(M ln M) = {out['ratio']:.2f}), K {out['hidden']}: "
                f"[bold]{out['outcome']}[/bold] (p grok {out['p_grok']:.2f}, "
                f"memorise {out['p_memorise']:.2f}, fail {out['p_fail']:.2f}); "
                f"if it groks: epoch {out['grok_epoch']:.0f} "
                f"[{out['grok_epoch_low']:.0f}, {out['grok_epoch_high']:.0f}]"
            )
