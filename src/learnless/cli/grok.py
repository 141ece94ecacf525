"""`learnless grok ...`: train, energy, landscape, features, scaling, presets — the Li2 grokking lab.

Training hyper-parameters are GrokTrainer's own parameters, given as `--set k=v` (same names, same defaults as
the library; `--set help` lists them) on top of an optional `--preset`."""

from __future__ import annotations

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
    console_for,
    emit_metrics,
    ensure_writable,
    option,
    quiet_progress,
)
from learnless.errors import ConfigError

app = typer.Typer(no_args_is_help=True)

GroupOption = Annotated[str, option("--group")]
FracOption = Annotated[float | None, option("--train-frac")]
PresetOption = Annotated[str | None, option("--preset", "fig5, fig3, appendix_d, dyn_madd, cpu_scaling (see "
                                                      "`learnless grok presets`); default: none.")]
TrainerSetOption = Annotated[list[str] | None, option("--set", "GrokTrainer's parameters; the device is "
                                                             "--device.")]
GrokSeedsOption = Annotated[int, option("--seeds")]


def _resolve(preset_name, pairs, group, train_frac, default_group="Z71", device="cpu"):
    """(group, train_frac, trainer params, seeds) from preset < --set < explicit --group/--train-frac; the
    device comes from --device only (checked here: a missing GPU is a one-line error before any run)."""
    from learnless.cli.common import parse_set
    from learnless.grok.presets import preset, trainer_params
    from learnless.grok.trainer import GrokTrainer
    from learnless.runtime.device import check_device

    base = preset(preset_name)
    base.update(parse_set(pairs, GrokTrainer))
    if "seed" in base and pairs and any(p.strip().startswith("seed") for p in pairs):
        raise ConfigError("--set seed: choose the seed with --seed")
    if "device" in base:
        raise ConfigError("--set device: choose the device with --device cpu|cuda")
    check_device(device)
    params = {**trainer_params(base), "device": device}
    GrokTrainer(**params).validate()
    return (
        group or base.get("group", default_group),
        train_frac if train_frac is not None else base.get("train_frac", 0.4),
        params,
        base.get("seeds"),
    )


@app.command()
def train(
    ctx: typer.Context,
    group: Annotated[str | None, option("--group", "Default Z71, or the preset's.")] = None,
    train_frac: FracOption = None,
    preset: PresetOption = None,
    set_: TrainerSetOption = None,
    seed: SeedOption = 0,
    device: DeviceOption = "cpu",
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Train V sigma(W x) on a group's table; writes metrics.json (train_acc, test_acc, grok_epoch,
    memorize_epoch, seconds), history.json, model.npz and grokking_curve.png."""
    from learnless.grok import plots
    from learnless.grok.runs import build, save_run, summary, train_config
    from learnless.runtime.rundir import RunDir

    console = console_for(json_output, quiet)
    quiet_progress(quiet or json_output)
    g_name, frac, params, _ = _resolve(preset, set_, group, train_frac, device=device)
    config = train_config(g_name, frac, **{**params, "seed": seed})
    g, split, trainer = build(config)
    trainer.check_memory(g, split)  # before the run directory: a refused run leaves nothing behind
    run = RunDir.open(
        "grok", f"train-{g.name}-{frac:.3g}", out, command=ctx.command_path, params=config, force=force
    )
    console.print(
        f"training on {g.name}: {len(split.train)} train / {len(split.test)} test pairs, "
        f"K={trainer.hidden}, centring={trainer.centring}, device={trainer.device}"
    )
    trainer.fit(g, split)
    save_run(run, trainer, split)
    metrics = summary(trainer, g, split)
    plots.grokking_curve(
        trainer.history_,
        trainer.stages(),
        run.path / "grokking_curve.png",
        f"{g.name}, {frac:.0%} train, K={trainer.hidden}, {trainer.act}, {trainer.loss}",
        trainer.diagnostics_,
    )
    run.log(f"metrics {metrics}")
    emit_metrics(metrics, run, json_output)
    if not json_output:
        _table(console, metrics, "grok train")
        console.print(f"run directory: {run.path}")


@app.command()
def energy(
    ctx: typer.Context,
    group: GroupOption = "Z71",
    train_frac: FracOption = None,
    set_: Annotated[list[str] | None, option("--set", "EnergyAscent's parameters.")] = None,
    seed: SeedOption = 0,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Gradient ascent on the node energy E(w) = 1/2 ||Y~^T sigma(X w)||^2 (unit sphere) from random starts,
    to convergence; the structure of its maxima and, per component, the best energy against Thm 2's closed
    form."""
    import numpy as np

    from learnless.cli.common import parse_set
    from learnless.grok import plots
    from learnless.grok.energy import EnergyAscent, closed_form_energy
    from learnless.grok.groups import parse_group, split_pairs
    from learnless.runtime.rundir import RunDir, write_json_atomic

    console = console_for(json_output, quiet)
    quiet_progress(quiet or json_output)
    frac = 0.4 if train_frac is None else train_frac
    asc = EnergyAscent(**{**parse_set(set_, EnergyAscent), "seed": seed}).validate()
    g = parse_group(group)
    split = split_pairs(g, frac, seed=seed)
    asc.check_memory(g, split)
    params = {"group": g.name, "train_frac": frac, **asc.get_params()}
    run = RunDir.open("grok", f"energy-{g.name}", out, command=ctx.command_path, params=params, force=force)
    asc.fit(g, split)
    an = asc.analysis_
    metrics = {
        "group": g.name,
        "n_train": len(split.train),
        "starts": asc.starts,
        "converged_frac": float(asc.converged_.mean()),
        "maxima_concentrated_frac": an["concentrated_frac"],
        "maxima_mean_top_share": an["mean_top_share"],
        "maxima_components": an["emerged"],
        "n_distinct_components": an["n_emerged"],
        "energy_max": float(asc.energy_.max()),
        "energy_median": float(np.median(asc.energy_)),
    }
    closed = None
    if asc.within_components:
        closed = np.array([closed_form_energy(g, i, asc.input_norm) for i in range(len(g.components))])
        metrics.update(
            best_component=asc.component_labels_[int(np.argmax(asc.component_energy_))],
            component_stability_median=float(np.median(asc.component_stability_[1:])),
            components_stable_frac=float(np.mean(asc.component_stability_[1:] >= 0.9)),
        )
    write_json_atomic(
        run.path / "energy.json",
        {
            **metrics,
            "energies": asc.energy_,
            "component_labels": getattr(asc, "component_labels_", None),
            "component_energy": getattr(asc, "component_energy_", None),
            "closed_form_energy": closed,
            "component_stability": getattr(asc, "component_stability_", None),
            "top_component": an["top_component"],
            "top_share": an["top_share"],
        },
    )
    np.save(run.path / "maxima.npy", asc.W_)
    plots.spectrum_heatmap(
        an["spectrum"],
        an["labels"],
        run.path / "maxima_spectrum.png",
        f"energy maxima on {g.name} ({len(split.train)} pairs)",
    )
    if asc.within_components:
        plots.component_energy_bar(
            asc.component_labels_,
            asc.component_energy_,
            run.path / "component_energy.png",
            f"best energy within each component, {g.name}, {frac:.0%} of pairs",
            closed,
        )
    emit_metrics(metrics, run, json_output)
    if not json_output:
        _table(console, metrics, "grok energy")
        console.print(f"run directory: {run.path}")


@app.command()
def landscape(
    ctx: typer.Context,
    group: GroupOption = "Z31",
    fracs: Annotated[str, option("--fracs")] = "0.2,0.3,0.4,0.5,0.7,1.0",
    seed: SeedOption = 0,
    seeds: GrokSeedsOption = 1,
    landscape_opts: Annotated[list[str] | None, option("--landscape-opt")] = None,
    backend: BackendOption = "local",
    workers: Annotated[int | None, option("--workers", "Default: all cores.")] = None,
    address: AddressOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Per training fraction: the share of Thm 2's maxima that persist as local maxima of the empirical energy
    (climbed from w* to convergence), their distance from w* and energies, the memorisation maxima's
    energies (Thm 5), and where random starts end. --json prints {"group", "fractions": [...]}."""
    from learnless.cli.common import parse_set
    from learnless.grok import plots
    from learnless.grok.landscape import DEFAULTS, critical_ratio
    from learnless.grok.landscape import landscape as run_landscape
    from learnless.runtime import get_executor
    from learnless.runtime.rundir import RunDir, write_json_atomic

    console = console_for(json_output, quiet)
    quiet_progress(quiet or json_output)
    try:
        fr = [float(f) for f in fracs.split(",") if f.strip()]
    except ValueError:
        raise ConfigError(f"--fracs: expected comma-separated numbers, got {fracs!r}") from None
    options = parse_set(landscape_opts, option_name="--landscape-opt",
                        keys=[(k, type(v).__name__, v) for k, v in DEFAULTS.items()])
    params = {"group": group, "fracs": fr, "seeds": seeds, **options}
    if seed:  # only when given: run directories written before --seed existed resume unchanged
        params["seed"] = seed
    from learnless.grok.groups import parse_group

    parse_group(group)
    run = RunDir.open("grok", f"landscape-{group}", out, command=ctx.command_path, params=params, force=force)
    with get_executor(backend, workers=workers, address=address) as ex:
        res = run_landscape(
            group, fr, seeds=seeds, executor=ex, journal=run.path / "journal.jsonl", first_seed=seed,
            **options,
        )
    res["critical_ratio"] = critical_ratio(res)
    write_json_atomic(run.path / "landscape.json", res)
    plots.landscape_plot(res, run.path / "landscape.png", f"{res['group']}: Thm-2 maxima vs training pairs")
    summary = {
        "group": res["group"],
        "critical_ratio": res["critical_ratio"],
        "fractions": [{k: v for k, v in r.items() if k != "per_seed"} for r in res["fractions"]],
    }
    emit_metrics(summary, run, json_output)
    if not json_output:
        from rich.table import Table

        t = Table(title=f"grok landscape {res['group']}")
        cols = (
            "train_frac",
            "n_train",
            "ratio",
            "persist_frac",
            "maxima_energy",
            "closed_form_energy",
            "memorisation_energy",
            "random_on_component_frac",
            "random_memorising_frac",
        )
        for c in cols:
            t.add_column(c)
        for r in summary["fractions"]:
            t.add_row(
                *[
                    ("-" if r[c] is None else f"{r[c]:.3g}" if isinstance(r[c], float) else str(r[c]))
                    for c in cols
                ]
            )
        console.print(t)
        console.print(f"critical n/(M ln M) (>= half persist from here on): {res['critical_ratio']}")
        console.print(f"run directory: {run.path}")


@app.command()
def features(
    run_dir: Annotated[Path, typer.Argument(help="A directory written by `learnless grok train`.")],
    energy_starts: Annotated[int, option("--energy-starts")] = 64,
    out: Annotated[Path | None, option("--out", "Default: RUN_DIR itself.")] = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Fourier spectrum (abelian) or irrep projection (non-abelian) of every hidden node of a trained model;
    the share concentrated on one component, which emerged, and the match with the energy maxima."""
    from learnless.grok import plots
    from learnless.grok.energy import EnergyAscent, match_with_maxima
    from learnless.grok.features import analyse_features
    from learnless.grok.runs import load_run
    from learnless.runtime.rundir import write_json_atomic

    console = console_for(json_output, quiet)
    quiet_progress(quiet or json_output)
    if energy_starts < 0:
        raise ConfigError(f"--energy-starts: must be >= 0, got {energy_starts}")
    config, g, split, W, _V = load_run(run_dir)
    ensure_writable(Path(out) if out is not None else Path(run_dir))  # before the analysis, not after
    an = analyse_features(g, W)
    metrics = {
        "group": g.name,
        "hidden": int(W.shape[0]),
        "active_nodes": an["active_nodes"],
        "concentrated_frac": an["concentrated_frac"],
        "concentrated_frac_all": an["concentrated_frac_all"],
        "mean_top_share": an["mean_top_share"],
        "n_emerged": an["n_emerged"],
        "emerged": an["emerged"],
        "irrep_dims": g.irrep_dims(),
    }
    if energy_starts:
        params = config.get("params", config)
        asc = EnergyAscent(
            act=params["act"],
            centring=params.get("centring", "sample"),
            starts=energy_starts,
            within_components=False,
            seed=params["seed"],
        ).fit(g, split)
        m = match_with_maxima(g, split, W, asc)
        metrics.update(
            learned_in_maxima_frac=m["learned_in_maxima_frac"],
            maxima_components=m["maxima_components"],
            node_energy_rel_median=m["node_energy_rel_median"],
        )
    path = Path(out) if out is not None else Path(run_dir)
    path.mkdir(parents=True, exist_ok=True)
    write_json_atomic(
        path / "features.json",
        {
            **metrics,
            "labels": an["labels"],
            "top_component": an["top_component"],
            "top_share": an["top_share"],
        },
    )
    kind = "frequency" if g.abelian_orders and len(g.abelian_orders) == 1 else "irrep"
    plots.spectrum_heatmap(
        an["spectrum"][an["active"]],
        an["labels"],
        path / "spectrum.png",
        f"{g.name}: weight energy per {kind} ({an['active_nodes']} active nodes)",
    )
    if json_output:
        emit_metrics(metrics, None, True)
    elif not quiet:
        _table(console, metrics, "grok features")
        console.print(f"wrote {path / 'features.json'} and {path / 'spectrum.png'}")


@app.command()
def scaling(
    ctx: typer.Context,
    groups: Annotated[str, option("--groups")] = "Z23,Z31,Z47,Z71",
    seed: SeedOption = 0,
    seeds: GrokSeedsOption = 3,
    preset: PresetOption = None,
    set_: TrainerSetOption = None,
    ratios: Annotated[str | None, option("--ratios")] = None,
    backend: BackendOption = "local",
    workers: Annotated[int | None, option("--workers", "Default: all cores.")] = None,
    address: AddressOption = None,
    device: DeviceOption = "cpu",
    out: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Smallest generalising training-set size n* per group and seed; fit n* = c M ln M with a 95 % interval.

    Each finished (group, seed) is journaled in the run directory; re-run with the same --out to resume."""
    from learnless.grok import plots
    from learnless.grok.scaling import DEFAULT_RATIOS, scaling_sweep
    from learnless.runtime.rundir import RunDir, write_json_atomic

    console = console_for(json_output, quiet)
    quiet_progress(quiet or json_output)
    names = [s.strip() for s in groups.split(",") if s.strip()]
    try:
        grid = list(DEFAULT_RATIOS) if ratios is None else [float(r) for r in ratios.split(",") if r.strip()]
    except ValueError:
        raise ConfigError(f"--ratios: expected comma-separated numbers, got {ratios!r}") from None
    _, _, params, _ = _resolve(preset, set_, None, None, device=device)
    from learnless.grok.groups import parse_group

    for n in names:
        parse_group(n)
    if seeds < 1:
        raise ConfigError(f"--seeds: must be >= 1, got {seeds}")
    run = RunDir.open(
        "grok",
        "scaling",
        out,
        command=ctx.command_path,
        params={"groups": names, "seeds": seeds, "ratios": grid, "trainer": params,
                **({"seed": seed} if seed else {})},
        force=force,
    )
    res = scaling_sweep(
        names,
        seeds=seeds,
        ratios=grid,
        trainer=params,
        backend=backend,
        workers=workers,
        address=address,
        journal_path=run.path / "journal.jsonl",
        first_seed=seed,
    )
    if res["resumed"]:
        console.print(
            f"resumed: {res['resumed']} (group, seed) searches taken from {run.path / 'journal.jsonl'}"
        )
    write_json_atomic(run.path / "scaling.json", res)
    if res["c"] is not None:
        plots.scaling_plot(
            res["points"],
            res["c"],
            res["c_low"],
            res["c_high"],
            run.path / "scaling.png",
            f"n* = c M ln M ({len(names)} groups x {seeds} seeds)",
        )
    metrics = {
        "c": res["c"],
        "c_low": res["c_low"],
        "c_high": res["c_high"],
        "c_grid_low": res["c_grid_low"],
        "n_points": res["n_points"],
        "runs": res["runs"],
        "seconds": res["seconds"],
        "n_star": {f"{p['group']}/s{p['seed']}": p["n_star"] for p in res["points"]},
    }
    emit_metrics(metrics, run, json_output)
    if not json_output:
        _table(console, metrics, "grok scaling")
        console.print(f"run directory: {run.path}")


@app.command()
def presets(json_output: JsonOption = False):
    """The paper's and the reference code's hyper-parameters, as named presets for --preset."""
    from learnless.grok.presets import PRESETS

    if json_output:
        emit_metrics(PRESETS, None, True)
        return
    console = console_for(False)
    for name, p in PRESETS.items():
        console.print(
            f"{name}: "
            + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in p.items())
        )


from learnless.cli import grok_construct, grok_forecast

grok_construct.register(app)
grok_forecast.register(app, TrainerSetOption, PresetOption)


def _table(console, metrics: dict, title: str) -> None:
    from rich.table import Table

    t = Table(title=title)
    t.add_column("metric")
    t.add_column("value")
    for k, v in metrics.items():
        t.add_row(k, f"{v:.4g}" if isinstance(v, float) else str(v))
    console.print(t)
