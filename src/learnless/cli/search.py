"""`learnless search`: run, resume and show hardware-aware sub-network searches; list the built-in spaces."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import (
    AddressOption,
    BackendOption,
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

app = typer.Typer(no_args_is_help=True, help="Hardware-aware sub-network search (DyNAS-T / LINAS).")

BUILTINS = "ofa-mbv3, mlp-elastic, dgmlp-elastic, cnn-elastic, nasbench-graph:<dataset>"
TRAINS_NOTHING = {"ofa-mbv3", "nasbench-graph"}  # surrogates / tables: --device does not apply
SEARCH_DEVICE = option(
    "--device",
    "For the super-network's shared weights (dgmlp-elastic, mlp-elastic, or a module.path:factory taking "
    "`device`). Sub-networks are evaluated on the CPU, and latency@cpu is always measured on the CPU; "
    "ofa-mbv3 trains nothing, so for it --device changes nothing.",
)
SearchWorkersOption = Annotated[int | None, option(
    "--workers", "Default: 1 with --backend local; with ray, the cluster's CPUs.")]
_OBJ = re.compile(r"^[^\s:]+:(min|max)$")
RUN_COMMAND = "learnless search run"


def _objectives(first: list[str], extra: list[str]) -> list[str]:
    out = []
    for item in [*(first or []), *extra]:
        out += [p for p in item.split(",") if p]
    stray = [a for a in extra if not _OBJ.match(a)]
    if stray:
        raise ConfigError(
            f"unexpected argument(s) {' '.join(stray)}; objectives look like NAME:min or NAME:max"
        )
    return out


def _factory(spec: str):
    """The factory of --supernet `spec`, or None when it does not load (load_supernet then says why)."""
    from learnless.search.protocol import factory_of

    try:
        return factory_of(spec)
    except (ConfigError, KeyError):
        return None


def _factory_parameters(spec: str) -> tuple[list[str], bool]:
    """(named parameters of the factory of `spec`, whether it also takes **kwargs)."""
    import inspect

    factory = _factory(spec)
    try:
        params = list(inspect.signature(factory).parameters.values()) if factory is not None else []
    except (TypeError, ValueError):
        return [], True
    named = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return named, any(p.kind is p.VAR_KEYWORD for p in params)


def _takes_device(spec: str) -> bool:
    """Whether the super-network factory of `spec` accepts a `device` argument (or **kwargs)."""
    named, var_kw = _factory_parameters(spec)
    return "device" in named or var_kw


def _supernet_params(spec: str, pairs: list[str] | None) -> dict:
    """--set KEY=VALUE pairs as arguments of the super-network's factory, checked against its signature
    (`device` has its own option)."""
    from learnless.cli.common import parse_set

    named, var_kw = _factory_parameters(spec)
    keys = [k for k in named if k != "device"]
    if any(p.strip() == "help" for p in pairs or []):
        parse_set(["help"], option_name=f"--supernet-arg (--supernet {spec})", keys=_factory_rows(spec))
    params = parse_set(pairs, option_name="--supernet-arg")
    if "device" in params:
        raise ConfigError("--supernet-arg device: use --device")
    unknown = [] if var_kw else sorted(set(params) - set(keys))
    if unknown:
        valid = ", ".join(keys) or "(none)"
        raise ConfigError(f"--supernet-arg: unknown key {unknown[0]!r} for --supernet {spec}; "
                          f"valid keys: {valid}")
    return params


def _factory_rows(spec: str) -> list[tuple[str, str, object]]:
    """(key, type, default) of the factory's arguments, from its signature (`device` excluded)."""
    import inspect

    factory = _factory(spec)
    if factory is None:
        from learnless.search import load_supernet

        load_supernet(spec)  # says why it does not load
        return []
    rows = []
    for p in inspect.signature(factory).parameters.values():
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "device":
            default = None if p.default is p.empty else p.default
            kind = getattr(p.annotation, "__name__", str(p.annotation)) if p.annotation is not p.empty else (
                type(default).__name__ if default is not None else "any")
            rows.append((p.name, kind, default))
    return rows


def _supernet(spec: str, device: str, params: dict | None = None):
    """The --supernet object, built with its --set arguments and with `device` when it trains shared weights.
    The device is not a search parameter (not in config.json, not in the journal): a run resumes on either
    device; the --set arguments are (they change what is searched)."""
    from learnless.search import load_supernet

    params = dict(params or {})
    if _takes_device(spec):
        return load_supernet(spec, device=device, **params)
    if device != "cpu" and spec.partition(":")[0] not in TRAINS_NOTHING:
        raise ConfigError(f"--device {device}: --supernet {spec} takes no device argument")
    return load_supernet(spec, **params)


def _execute(
    params: dict, out: Path | None, command: str, force: bool, json_output: bool, quiet: bool,
    device: str = "cpu",
) -> dict:
    import os

    from learnless.runtime import RunDir
    from learnless.runtime.device import check_device
    from learnless.search import Search
    from learnless.search.objectives import parse_constraints, parse_objectives
    from learnless.search.parallel import search_executor
    from learnless.search.tactics import TACTICS

    parse_objectives(params["objectives"])
    parse_constraints(params["constraints"])
    if params["tactic"] not in TACTICS:
        raise ConfigError(f"--tactic: unknown {params['tactic']!r}; expected one of {', '.join(TACTICS)}")
    if params.get("address") and params["backend"] != "ray":
        raise ConfigError("--address is only meaningful with --backend ray")
    if params["evals"] < params["population"]:
        raise ConfigError(f"--evals: {params['evals']} is smaller than --population {params['population']}")
    check_device(device)
    net = _supernet(str(params["supernet"]), device, params.get("supernet_params"))
    table_scores = None
    if params.get("latency_table"):
        from learnless.search.profile import TableLatency, read_table

        net = TableLatency(net, read_table(params["latency_table"], net), seed=params["seed"])
        table_scores = net.scores
    if quiet:
        os.environ["LEARNLESS_PROGRESS"] = "0"
    run = RunDir.open(
        "search", str(params["supernet"]).replace(":", "-"), out, command=command, params=params, force=force
    )
    console = console_for(json_output)
    try:
        # latency@cpu is measured on one dedicated worker, the rest on the pool (learnless.search.parallel)
        with search_executor(params["backend"], params["workers"], params.get("address")) as executor:
            search = Search(
                net,
                params["objectives"],
                params["tactic"],
                constraints=params["constraints"],
                population=params["population"],
                seed=params["seed"],
                inner_evals=params["inner_evals"],
                journal=run.path / "journal.jsonl",
                executor=executor,
                data={"supernet": params["supernet"], "arguments": params.get("supernet_params")},
            )
            search.run(params["evals"])
        metrics = search.summary()
        metrics["device"] = device
        if table_scores is not None:
            metrics["latency_table"] = {"path": params["latency_table"], **table_scores}
        metrics["run_dir"] = str(run.path)
        _write_front(run.path / "front.csv", search.front())
        _plots(run.path, search)
        emit_metrics(metrics, run, json_output)
        if not quiet:
            _print_front(console, search.front(), metrics)
        if metrics.get("constraint_unmet"):
            console.print(
                f"no validated candidate meets {', '.join(metrics['constraints'])}; closest: "
                + "; ".join(_short(r) for r in metrics["closest"])
            )
        if metrics["failed"]:
            console_for(True).print(f"warning: {metrics['failed']} of {metrics['evaluations']} evaluations "
                                    f"failed; the reasons are in {run.path / 'journal.jsonl'}", markup=False)
        run.log(
            f"finished: {metrics['evaluations']} evaluations, {metrics['failed']} failed, "
            f"hypervolume {metrics['hypervolume']:.4g}"
        )
        return metrics
    finally:
        run.close()


def _short(row: dict) -> str:
    return ", ".join(f"{k}={v:.4g}" for k, v in row.items() if isinstance(v, float))


def _write_front(path: Path, front: list[dict]) -> None:
    if not front:
        path.write_text("")
        return
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(front[0]))
        w.writeheader()
        w.writerows(front)


def _print_front(console, front: list[dict], metrics: dict) -> None:
    from rich.table import Table

    names = [o.split(":")[0] for o in metrics["objectives"]]
    table = Table(title=f"validated Pareto front ({len(front)} sub-networks)")
    for n in names:
        table.add_column(n, justify="right")
    for row in front[:30]:
        table.add_row(*[f"{row[n]:.4g}" for n in names])
    console.print(table)
    console.print(
        f"hypervolume {metrics['hypervolume']:.6g} (reference point {metrics['reference_point']}, "
        f"{', '.join(metrics['reference_point_objectives'])}); {metrics['evaluations']} evaluations, "
        f"{metrics['failed']} failed"
    )


def _plots(path: Path, search) -> None:
    from learnless.search.plots import front_plot, hypervolume_plot

    front_plot(search, path / "front.png")
    hypervolume_plot(search, path / "hypervolume.png")


@app.command(context_settings={"allow_extra_args": True})
def run(
    ctx: typer.Context,
    supernet: Annotated[str, option("--supernet", f"Built-in: {BUILTINS}.")],
    objectives: Annotated[list[str] | None, option("--objectives")] = None,
    constraint: Annotated[list[str] | None, option("--constraint")] = None,
    tactic: Annotated[str, option("--tactic")] = "linas",
    evals: Annotated[int, option("--evals")] = 250,
    population: Annotated[int, option("--population")] = 50,
    inner_evals: Annotated[int, option("--inner-evals")] = 20000,
    seed: SeedOption = 0,
    settings: Annotated[list[str] | None, option("--supernet-arg", "E.g. --supernet-arg dataset=mnist for "
                                                                    "mlp-elastic.")] = None,
    device: Annotated[str, SEARCH_DEVICE] = "cpu",
    latency_table: Annotated[Path | None, option("--latency-table")] = None,
    backend: BackendOption = "local",
    workers: SearchWorkersOption = None,
    address: AddressOption = None,
    out: OutOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
    force: ForceOption = False,
):
    """Search a super-network's sub-networks; write journal.jsonl, front.csv, metrics.json and plots."""
    objs = _objectives(objectives, list(ctx.args))
    if not objs:
        raise ConfigError("--objectives: give 1 to 3 objectives, e.g. --objectives accuracy:max macs:min")
    params = {
        "supernet": supernet,
        "objectives": objs,
        "constraints": list(constraint or []),
        "tactic": tactic,
        "evals": evals,
        "population": population,
        "inner_evals": inner_evals,
        "seed": seed,
        "backend": backend,
        "workers": 1 if workers is None and backend == "local" else workers,
        "address": address,
    }
    supernet_params = _supernet_params(supernet, settings)
    if supernet_params:  # only when given: run directories written without --set resume unchanged
        params["supernet_params"] = supernet_params
    if latency_table is not None:
        params["latency_table"] = str(latency_table.resolve())
    _execute(params, out, RUN_COMMAND, force, json_output, quiet, device)


@app.command()
def resume(
    run_dir: Annotated[Path, typer.Argument(help="A run directory written by `learnless search run`.")],
    evals: Annotated[int | None, option("--evals", "Default: the run's own; a larger number extends a "
                                                   "finished search.")] = None,
    device: Annotated[str, SEARCH_DEVICE] = "cpu",
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Continue an interrupted search, or extend a finished one with --evals: nothing journaled is evaluated
    again."""
    params = _read_config(run_dir)
    if evals is not None and evals != params["evals"]:
        if evals < params["evals"]:
            raise ConfigError(f"--evals {evals}: smaller than the run's {params['evals']}; a search is only "
                              "extended")
        params = {**params, "evals": evals}
        _record_evals(run_dir, evals)  # same run, more evaluations: the journal stays, config.json says so
    _execute(params, run_dir, RUN_COMMAND, False, json_output, quiet, device)


def _record_evals(run_dir: Path, evals: int) -> None:
    """config.json's evaluation budget raised in place (atomically), so the extended run resumes as itself
    rather than being taken for another run (which only --force, a whole new directory, may replace)."""
    from learnless.runtime import write_json_atomic

    config = json.loads((run_dir / "config.json").read_text())
    config["params"]["evals"] = evals
    write_json_atomic(run_dir / "config.json", config)


def _read_config(run_dir: Path) -> dict:
    cfg = run_dir / "config.json"
    if not cfg.is_file():
        raise DataError(f"{run_dir}: not a search run directory (no config.json)")
    try:
        doc = json.loads(cfg.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{cfg}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("params"), dict):
        raise DataError(f"{cfg}: not a run's config (an object with command and params)")
    if doc.get("command") != RUN_COMMAND:
        raise DataError(f"{run_dir}: holds a run of `{doc.get('command')}`, not `{RUN_COMMAND}`")
    return doc["params"]


@app.command()
def show(
    run_dirs: Annotated[list[Path], typer.Argument(help="One or more search run directories.")],
    plot: Annotated[Path | None, option("--plot")] = None,
    json_output: JsonOption = False,
):
    """Print finished searches' fronts and metrics (each run's plots are front.png and hypervolume.png in
    it); with --plot, every run's front on one figure."""
    from learnless.cli.search_export import read_front

    if plot is not None and plot.suffix not in (".png", ".pdf", ".svg"):
        raise ConfigError(f"--plot: {plot} must end in .png, .pdf or .svg")
    runs = []
    for run_dir in run_dirs:
        _read_config(run_dir)
        mpath = run_dir / "metrics.json"
        if not mpath.is_file():
            raise DataError(
                f"{run_dir}: no metrics.json yet (the search has not finished; `learnless search resume`)"
            )
        runs.append((run_dir, json.loads(mpath.read_text()), read_front(run_dir)))
    if plot is not None:
        from learnless.search.plots import fronts_plot

        first = runs[0][1]["objectives"][:2]
        other = [str(d) for d, m, _ in runs if m["objectives"][:2] != first]
        if len(first) < 2 or other:
            raise ConfigError(f"--plot: every run needs the same first two objectives as {runs[0][0]} "
                              f"({', '.join(first)}); {', '.join(other) or 'it has one'}")
        fronts_plot([(d.name, f, m["objectives"]) for d, m, f in runs], plot)
    if json_output:
        docs = [{"run": str(d), "metrics": m, "front": f} for d, m, f in runs]
        typer.echo(json.dumps(docs[0] if len(docs) == 1 else {"runs": docs}))
        return
    console = console_for(False)
    for run_dir, metrics, front in runs:
        if len(runs) > 1:
            console.print(f"[bold]{run_dir}[/bold]")
        _print_front(console, front, metrics)
        written = [run_dir / name for name in ("front.png", "hypervolume.png")]
        plots = [str(p) for p in written if p.is_file()]
        console.print(f"plots: {', '.join(plots)}" if plots else "plots: none written")
    if plot is not None:
        console.print(f"fronts of {len(runs)} runs: {plot}")


@app.command()
def spaces(json_output: JsonOption = False):
    """The built-in super-networks, their parameters and metrics."""
    from learnless.search import SUPERNETS, space_of
    from learnless.search.protocol import provided_metrics

    rows = []
    for name in SUPERNETS.names():
        net = SUPERNETS.make(name)
        sp = space_of(net)
        rows.append(
            {
                "name": name,
                "parameters": len(sp),
                "configs": f"{sp.cardinality:.3g}",
                "metrics": ", ".join(provided_metrics(net) or []),
            }
        )
    if json_output:
        typer.echo(json.dumps(rows))
        return
    from rich.table import Table

    table = Table(title="built-in super-networks (others: --supernet module.path:factory)")
    for c in rows[0]:
        table.add_column(c)
    for r in rows:
        table.add_row(*[str(v) for v in r.values()])
    console_for(False).print(table)


def _register_more() -> None:
    """Commands kept in their own modules (learnless.cli.search_*)."""
    from learnless.cli.search_export import export
    from learnless.cli.search_profile import profile

    app.command("export")(export)
    app.command("profile")(profile)


_register_more()
