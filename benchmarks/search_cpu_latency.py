"""Sample efficiency of the search tactics on `ofa-mbv3` against CPU latency measured on this machine:
accuracy:max vs latency@cpu:min, where latency@cpu is the median of 10 timed forward passes (after 3 warm-up
passes) of the real torch sub-network at batch 1 on 1 thread. Hypervolume of the validated front after 50,
100 and 250 evaluations for LINAS, pymoo NSGA-II, random search and Optuna's TPESampler, over several seeds.

Every sub-network is measured once: measurements are journaled by canonical config in one cache file
(`learnless.search.hardware.LatencyCache`) shared by all tactics and seeds, so a rerun (or more seeds)
measures only sub-networks not met before. The CV of each measurement and the load average when it was
taken are reported.

    PYTHONPATH=src python benchmarks/search_cpu_latency.py [--seeds 3] [--budget 250]

Writes benchmarks/results/search_cpu_latency.{json,md,png} and docs/img/search_cpu_latency.png; the cache
and the per-run journal are benchmarks/results/search_cpu_latency.{cache,journal}.jsonl (a killed benchmark
resumes from them; they are not committed: 2.3 MB for 2,922 measurements).
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OBJECTIVES = ["accuracy:max", "latency@cpu:min"]
CHECKPOINTS = (50, 100, 250)
TACTICS = ("linas", "nsga2", "random", "optuna-tpe")
ACCURACY_REF = 70.0  # % top-1; the latency reference is set from all measurements (see main)
_CACHE = {}


def cached_net(path: Path, repeats: int = 10, warmup: int = 3):
    """One LatencyCache per process, shared by every (tactic, seed) run."""
    if str(path) not in _CACHE:
        from learnless.search.hardware import LatencyCache

        _CACHE[str(path)] = LatencyCache(
            "ofa-mbv3", path, input_shape=(1, 3, 224, 224), threads=1, repeats=repeats, warmup=warmup
        )
    return _CACHE[str(path)]


def _optuna_tpe(net, budget: int, seed: int, population: int) -> list[list[float]]:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = net.space()
    study = optuna.create_study(
        directions=["maximize", "minimize"], sampler=optuna.samplers.TPESampler(seed=seed, multivariate=True)
    )
    F = []
    while len(F) < budget:
        trials = [study.ask() for _ in range(min(population, budget - len(F)))]
        configs = [{k: t.suggest_categorical(k, v) for k, v in space.items()} for t in trials]
        for t, m in zip(trials, net.evaluate_batch(configs, ["accuracy", "latency@cpu"])):
            study.tell(t, [m["accuracy"], m["latency@cpu"]])
            F.append([-m["accuracy"], m["latency@cpu"]])
    return F


def run_one(config: dict, seed: int) -> dict:
    """One (tactic, seed) run to config['budget'] evaluations; the minimised objectives in evaluation order
    (hypervolumes are computed afterwards, against one reference point for all runs)."""
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(1)
    net = cached_net(Path(config["cache"]), config["repeats"], config["warmup"])
    tactic, budget, pop = config["tactic"], config["budget"], config["population"]
    start, misses = time.perf_counter(), net.misses
    overhead = []
    if tactic == "optuna-tpe":
        F = _optuna_tpe(net, budget, seed, pop)
    else:
        from learnless.search import Search

        s = Search(
            net,
            OBJECTIVES,
            {"nsga2": "evolutionary"}.get(tactic, tactic),
            population=pop,
            seed=seed,
            inner_evals=config["inner_evals"],
        )
        s.run(budget)
        F = s.history.arrays(ok_only=True)[1].tolist()
        overhead = [r["fit_seconds"] + r["inner_seconds"] for r in getattr(s.tactic, "log", [])]
    return {
        "F": F,
        "seconds": time.perf_counter() - start,
        "measured": net.misses - misses,
        "overhead_s": overhead,
    }


def hv_curve(F: np.ndarray, points, reference) -> list[float | None]:
    from learnless.search.objectives import hypervolume, pareto_mask

    out = []
    for k in points:
        if k > len(F):
            out.append(None)
            continue
        out.append(hypervolume(F[:k][pareto_mask(F[:k])], reference))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=int, default=250)
    ap.add_argument("--population", type=int, default=25)
    ap.add_argument("--inner-evals", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=10, help="timed forward passes per measurement")
    ap.add_argument("--warmup", type=int, default=3, help="untimed passes before them")
    ap.add_argument("--tactics", nargs="+", default=list(TACTICS))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()

    from learnless.report import markdown_table, new_figure, save_figure, save_result
    from learnless.runtime import Experiment

    cache = args.out / "search_cpu_latency.cache.jsonl"
    configs = [
        {
            "tactic": t,
            "budget": args.budget,
            "population": args.population,
            "inner_evals": args.inner_evals,
            "cache": str(cache),
            "repeats": args.repeats,
            "warmup": args.warmup,
        }
        for t in args.tactics
    ]
    journal = args.out / "search_cpu_latency.journal.jsonl"
    records = Experiment(run_one, configs, seeds=range(args.seeds), catch=True, journal=journal).run()
    failed = [r for r in records if r["status"] != "ok"]
    if failed:
        print("failed:", [(r["config"]["tactic"], r["seed"], r["error"]) for r in failed])
    ok = [r for r in records if r["status"] == "ok"]
    runs = {t: [np.asarray(r["result"]["F"]) for r in ok if r["config"]["tactic"] == t] for t in args.tactics}
    # One reference point for every run: 70 % top-1 and the slowest latency validated by any run + 10 %.
    worst = max(float(F[:, 1].max()) for Fs in runs.values() for F in Fs)
    reference = np.array([-ACCURACY_REF, 1.1 * worst])
    points = [k for k in CHECKPOINTS if k <= args.budget]
    grid = list(range(args.population, args.budget + 1, args.population))
    rows, curves = [], {}
    for t, Fs in runs.items():
        if not Fs:
            continue
        hv = np.array([hv_curve(F, points, reference) for F in Fs], dtype=float)
        row = {"tactic": t, "seeds": len(Fs)}
        for j, k in enumerate(points):
            row[f"HV@{k}"] = float(hv[:, j].mean())
            row[f"sd@{k}"] = float(hv[:, j].std())
        res = [r["result"] for r in ok if r["config"]["tactic"] == t]
        row["seconds/run"] = float(np.mean([r["seconds"] for r in res]))
        over = [s for r in res for s in r["overhead_s"]]
        if over:
            row["overhead s/iter (median, max)"] = f"{np.median(over):.2f}, {np.max(over):.2f}"
        rows.append(row)
        curves[t] = np.array([hv_curve(F, grid, reference) for F in Fs], dtype=float)
    meas = cached_net(cache, args.repeats, args.warmup).measurements()
    cv = np.array([m["cv"] for m in meas])
    load = np.array([m["load_1min"] for m in meas if m.get("load_1min") is not None])
    med = np.array([m["median_ms"] for m in meas])
    evaluations = sum(len(F) for Fs in runs.values() for F in Fs)
    # How much of a measurement is the sub-network and how much the machine: latency vs exact MACs, and
    # latency per MAC vs the load average when it was measured (Kendall tau).
    from scipy.stats import kendalltau

    from learnless.search.supernets.ofa_mbv3 import _vectors, analytic_costs, arch_of

    keys = [k for k, _ in cached_net(cache, args.repeats, args.warmup).journal.items()]
    macs = analytic_costs(np.vstack([_vectors(*arch_of(json.loads(k))) for k in keys]))[0] / 1e6
    all_load = np.array([m["load_1min"] for m in meas], dtype=float)
    summary = {
        "reference_point": f"accuracy {ACCURACY_REF:g} %, latency {reference[1]:.2f} ms (HV: %-points x ms)",
        "unique sub-networks measured": len(meas),
        "evaluations (all runs)": evaluations,
        "latency ms (min, median, max)": f"{med.min():.2f}, {np.median(med):.2f}, {med.max():.2f}",
        "CV (p10, median, p90, max)": ", ".join(f"{v:.3f}" for v in np.percentile(cv, [10, 50, 90, 100])),
        "CV > 10 % (share)": float((cv > 0.10).mean()),
        "load 1-min at measurement (min, median, max)": ", ".join(
            f"{v:.2f}" for v in np.percentile(load, [0, 50, 100])
        ),
        "tau(latency, MACs)": float(kendalltau(med, macs)[0]),
        "tau(latency per MAC, load)": float(kendalltau(med / macs, all_load)[0]),
    }
    by = {r["tactic"]: r for r in rows}
    if "linas" in by:
        for k in points:
            ahead = all(by["linas"][f"HV@{k}"] > by[t][f"HV@{k}"] for t in by if t != "linas")
            summary[f"LINAS ahead of all at {k}"] = bool(ahead)
    save_result(
        "search_cpu_latency",
        rows,
        directory=args.out,
        summary=summary,
        params={**vars(args), "out": str(args.out), "objectives": OBJECTIVES, "reference": reference.tolist(),
                "latency": f"median of {args.repeats} passes after {args.warmup} warm-up, batch 1, 1 thread"},
        formats={c: ".2f" for r in rows for c in r if c.startswith(("HV@", "sd@", "seconds"))},
    )
    fig, ax = new_figure()
    for t, Y in curves.items():
        m, sd = Y.mean(axis=0), Y.std(axis=0)
        ax.plot(grid, m, "o-", ms=3, label=f"{t} ({len(Y)} seeds)")
        ax.fill_between(grid, m - sd, m + sd, alpha=0.2)
    ax.set_xlabel("validated evaluations")
    ax.set_ylabel(f"hypervolume (ref: {ACCURACY_REF:g} % top-1, {reference[1]:.1f} ms)")
    ax.set_title("ofa-mbv3: accuracy vs measured CPU latency (batch 1, 1 thread)")
    ax.legend()
    save_figure(fig, args.out / "search_cpu_latency.png")
    save_figure(fig, ROOT / "docs" / "img" / "search_cpu_latency.png")
    print(markdown_table(rows))
    print(markdown_table([summary]))


if __name__ == "__main__":
    main()
