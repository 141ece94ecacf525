"""`learnless grok ...`: train, energy, features, scaling — the Li2 grokking lab."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.table import Table

from learnless.cli.common import (
    AddressOption,
    BackendOption,
    JsonOption,
    OutOption,
    WorkersOption,
    console_for,
    emit_metrics,
)
from learnless.errors import ConfigError
from learnless.runtime.rundir import RunDir, write_json_atomic

app = typer.Typer(no_args_is_help=True)

GroupOption = Annotated[str, typer.Option("--group", help="Z71, Z2xZ3xZ4, D5 (order 10), S4 (n <= 5).")]


@app.command()
def train(group: GroupOption = "Z71",
          train_frac: Annotated[float, typer.Option("--train-frac", help="Share of the |G|^2 pairs to train on.")] = 0.27,
          hidden: Annotated[int, typer.Option("--hidden", help="Hidden width K.")] = 512,
          act: Annotated[str, typer.Option("--act", help="sqr (x^2), relu or silu.")] = "sqr",
          loss: Annotated[str, typer.Option("--loss", help="mse (centred) or ce.")] = "mse",
          optimizer: Annotated[str, typer.Option("--optimizer", help="adam, adamw, sgd, or muon (W; Adam on V).")] = "adam",
          lr: Annotated[float, typer.Option("--lr")] = 0.01,
          wd: Annotated[float, typer.Option("--wd", help="Weight decay.")] = 1e-4,
          epochs: Annotated[int, typer.Option("--epochs")] = 3000,
          ridge: Annotated[float | None, typer.Option("--ridge", help="Solve the top layer by ridge with this eta every step.")] = None,
          seed: Annotated[int, typer.Option("--seed")] = 0,
          eval_every: Annotated[int, typer.Option("--eval-every", help="Epochs between test evaluations.")] = 10,
          stop_after_grok: Annotated[int | None, typer.Option("--stop-after-grok", help="Stop this many epochs after grokking.")] = None,
          out: OutOption = None, json_output: JsonOption = False):
    """Train V sigma(W x) on a group's table; writes metrics.json (train_acc, test_acc, grok_epoch, memorize_epoch,
    seconds), history.json, model.npz and grokking_curve.png."""
    from learnless.grok import plots
    from learnless.grok.runs import build, save_run, summary, train_config

    console = console_for(json_output)
    config = train_config(group, train_frac, hidden, act, loss, optimizer, lr, wd, epochs, ridge, seed, eval_every,
                          max(eval_every, 50), stop_after_grok)
    g, split, trainer = build(config)
    run = RunDir.create("grok", f"train-{g.name}-{train_frac}", out=out)
    run.write_config(config)
    console.print(f"training on {g.name}: {len(split.train)} train / {len(split.test)} test pairs, K={hidden}")
    trainer.fit(g, split)
    save_run(run, trainer, split)
    metrics = summary(trainer, g, split)
    plots.grokking_curve(trainer.history_, trainer.stages(), run.path / "grokking_curve.png",
                         f"{g.name}, {train_frac:.0%} train, K={hidden}, {act}, {loss}", trainer.diagnostics_)
    run.log(f"metrics {metrics}")
    emit_metrics(metrics, run, json_output)
    if not json_output:
        _table(console, metrics, "grok train")
        console.print(f"run directory: {run.path}")


@app.command()
def energy(group: GroupOption = "Z71",
           train_frac: Annotated[float, typer.Option("--train-frac")] = 0.27,
           act: Annotated[str, typer.Option("--act")] = "sqr",
           starts: Annotated[int, typer.Option("--starts", help="Random starting points.")] = 64,
           steps: Annotated[int, typer.Option("--steps", help="Gradient-ascent steps.")] = 1000,
           seed: Annotated[int, typer.Option("--seed")] = 0,
           out: OutOption = None, json_output: JsonOption = False):
    """Gradient ascent on the node energy E(w) = 1/2 ||Y~^T sigma(X w)||^2 from random starts; the structure of
    its maxima (share on one frequency / irrep)."""
    from learnless.grok import plots
    from learnless.grok.energy import EnergyAscent
    from learnless.grok.groups import parse_group, split_pairs
    from learnless.grok.model import check_activation

    console = console_for(json_output)
    g = parse_group(group)
    split = split_pairs(g, train_frac, seed=seed)
    check_activation(act)
    run = RunDir.create("grok", f"energy-{g.name}", out=out)
    run.write_config({"group": group, "train_frac": train_frac, "act": act, "starts": starts, "steps": steps, "seed": seed})
    asc = EnergyAscent(act=act, starts=starts, steps=steps, seed=seed).fit(g, split)
    an = asc.analysis_
    metrics = {"group": g.name, "n_train": len(split.train), "starts": starts,
               "maxima_concentrated_frac": an["concentrated_frac"], "maxima_mean_top_share": an["mean_top_share"],
               "maxima_components": an["emerged"], "n_distinct_components": an["n_emerged"],
               "energy_max": float(asc.energy_.max()), "energy_median": float(np.median(asc.energy_)),
               "best_component": asc.component_labels_[int(np.argmax(asc.component_energy_))],
               "component_stability_median": float(np.median(asc.component_stability_[1:])),
               "components_stable_frac": float(np.mean(asc.component_stability_[1:] >= 0.9))}
    write_json_atomic(run.path / "energy.json", {**metrics, "energies": asc.energy_,
                                                 "component_labels": asc.component_labels_,
                                                 "component_energy": asc.component_energy_,
                                                 "component_stability": asc.component_stability_,
                                                 "top_component": an["top_component"], "top_share": an["top_share"]})
    np.save(run.path / "maxima.npy", asc.W_)
    plots.spectrum_heatmap(an["spectrum"], an["labels"], run.path / "maxima_spectrum.png",
                           f"energy maxima on {g.name} ({len(split.train)} pairs)")
    plots.component_energy_bar(asc.component_labels_, asc.component_energy_, run.path / "component_energy.png",
                               f"best energy within each component, {g.name}")
    emit_metrics(metrics, run, json_output)
    if not json_output:
        _table(console, metrics, "grok energy")
        console.print(f"run directory: {run.path}")


@app.command()
def features(run_dir: Annotated[Path, typer.Argument(help="A directory written by `learnless grok train`.")],
             energy_starts: Annotated[int, typer.Option("--energy-starts", help="Energy-ascent starts for the match (0: skip).")] = 64,
             json_output: JsonOption = False):
    """Fourier spectrum (abelian) or irrep projection (non-abelian) of every hidden node of a trained model;
    the share concentrated on one component, which emerged, and the match with the energy maxima."""
    from learnless.grok import plots
    from learnless.grok.energy import EnergyAscent, match_with_maxima
    from learnless.grok.features import analyse_features
    from learnless.grok.runs import load_run

    console = console_for(json_output)
    config, g, split, W, _V = load_run(run_dir)
    if energy_starts < 0:
        raise ConfigError(f"--energy-starts: must be >= 0, got {energy_starts}")
    an = analyse_features(g, W)
    metrics = {"group": g.name, "hidden": int(W.shape[0]), "active_nodes": an["active_nodes"],
               "concentrated_frac": an["concentrated_frac"], "concentrated_frac_all": an["concentrated_frac_all"],
               "mean_top_share": an["mean_top_share"], "n_emerged": an["n_emerged"], "emerged": an["emerged"],
               "irrep_dims": g.irrep_dims()}
    if energy_starts:
        asc = EnergyAscent(act=config["act"], starts=energy_starts, within_components=False,
                           seed=config["seed"]).fit(g, split)
        m = match_with_maxima(g, split, W, asc, config["act"])
        metrics.update(learned_in_maxima_frac=m["learned_in_maxima_frac"], maxima_components=m["maxima_components"],
                       node_energy_rel_median=m["node_energy_rel_median"])
    run = RunDir(path=Path(run_dir))
    write_json_atomic(run.path / "features.json", {**metrics, "labels": an["labels"],
                                                   "top_component": an["top_component"], "top_share": an["top_share"]})
    kind = "frequency" if g.abelian_orders and len(g.abelian_orders) == 1 else "irrep"
    plots.spectrum_heatmap(an["spectrum"][an["active"]], an["labels"], run.path / "spectrum.png",
                           f"{g.name}: weight energy per {kind} ({an['active_nodes']} active nodes)")
    if json_output:
        emit_metrics(metrics, None, True)
    else:
        _table(console, metrics, "grok features")
        console.print(f"wrote {run.path / 'features.json'} and spectrum.png")


@app.command()
def scaling(groups: Annotated[str, typer.Option("--groups", help="Comma-separated, e.g. Z23,Z31,Z47,Z71.")] = "Z23,Z31,Z47,Z71",
            seeds: Annotated[int, typer.Option("--seeds")] = 3,
            hidden: Annotated[int, typer.Option("--hidden")] = 512,
            epochs: Annotated[int, typer.Option("--epochs", help="Budget per run.")] = 3000,
            lr: Annotated[float, typer.Option("--lr")] = 0.01,
            wd: Annotated[float, typer.Option("--wd")] = 1e-4,
            ratios: Annotated[str | None, typer.Option("--ratios", help="Grid of n / (M ln M), comma-separated.")] = None,
            backend: BackendOption = "local", workers: WorkersOption = None, address: AddressOption = None,
            out: OutOption = None, json_output: JsonOption = False):
    """Smallest generalising training-set size n* per group and seed; fit n* = c M ln M with a 95 % interval.

    Each finished (group, seed) is journaled in the run directory; re-run with the same --out to resume."""
    from learnless.grok import plots
    from learnless.grok.scaling import DEFAULT_RATIOS, scaling_sweep

    console = console_for(json_output)
    names = [s.strip() for s in groups.split(",") if s.strip()]
    try:
        grid = DEFAULT_RATIOS if ratios is None else [float(r) for r in ratios.split(",") if r.strip()]
    except ValueError:
        raise ConfigError(f"--ratios: expected comma-separated numbers, got {ratios!r}") from None
    run = RunDir.create("grok", "scaling", out=out)
    # journal.jsonl in the run directory: re-running with the same --out resumes a killed sweep
    res = scaling_sweep(names, seeds=seeds, ratios=grid, hidden=hidden, lr=lr, weight_decay=wd, epochs=epochs,
                        backend=backend, workers=workers, address=address, journal_path=run.path / "journal.jsonl")
    if res["resumed"]:
        console.print(f"resumed: {res['resumed']} (group, seed) searches taken from {run.path / 'journal.jsonl'}")
    run.write_config({k: res[k] for k in ("groups", "seeds", "ratios", "train")})
    write_json_atomic(run.path / "scaling.json", res)
    if res["c"] is not None:
        plots.scaling_plot(res["points"], res["c"], res["c_low"], res["c_high"], run.path / "scaling.png",
                           f"n* = c M ln M ({len(names)} groups x {seeds} seeds)")
    metrics = {"c": res["c"], "c_low": res["c_low"], "c_high": res["c_high"], "c_grid_low": res["c_grid_low"],
               "n_points": res["n_points"],
               "runs": res["runs"], "seconds": res["seconds"],
               "n_star": {f"{p['group']}/s{p['seed']}": p["n_star"] for p in res["points"]}}
    emit_metrics(metrics, run, json_output)
    if not json_output:
        _table(console, metrics, "grok scaling")
        console.print(f"run directory: {run.path}")


def _table(console, metrics: dict, title: str) -> None:
    t = Table(title=title)
    t.add_column("metric")
    t.add_column("value")
    for k, v in metrics.items():
        t.add_row(k, f"{v:.4g}" if isinstance(v, float) else str(v))
    console.print(t)
