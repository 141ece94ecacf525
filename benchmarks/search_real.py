"""Search tactics on a really trained super-network: `cnn-elastic` (MNIST, 4.6e8 sub-networks), validated
accuracy (held-out images, shared weights) x latency@cpu (measured, batch 1, one thread).

    PYTHONPATH=src python benchmarks/search_real.py [--seeds 3] [--budget 1000] [--tactics ...]

Every evaluation goes through one `EvaluationCache` journal shared by all tactics and seeds (a sub-network's
accuracy and latency do not depend on who asks), and the process is pinned to one core so latencies are
timed alike. Hypervolume: reference point 90 % accuracy and 1.1 x the slowest latency in the cache, reported
normalised by the hypervolume of the front of every cached evaluation (1.0 = the best front any run found).
Reports the paper's Table 3 measure — evaluations LINAS needs to reach random's and NSGA-II's hypervolume at
the full budget — and writes benchmarks/results/search_real.{json,md} and docs/img/search_real.png.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TACTICS = ("linas", "nsga2", "random", "optuna-tpe", "optuna-nsga2")
OBJECTIVES = ["accuracy:max", "latency@cpu:min"]
REFERENCE_ACCURACY = 90.0


def _optuna(net, kind: str, budget: int, seed: int, population: int) -> np.ndarray:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = net.space()
    if kind == "optuna-nsga2":
        sampler = optuna.samplers.NSGAIISampler(population_size=population, seed=seed)
    else:
        sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True)
    study = optuna.create_study(directions=["maximize", "minimize"], sampler=sampler)
    F = []
    while len(F) < budget:
        trial = study.ask()
        m = net.evaluate({k: trial.suggest_categorical(k, v) for k, v in space.items()},
                         ["accuracy", "latency@cpu"])
        study.tell(trial, [m["accuracy"], m["latency@cpu"]])
        F.append([-m["accuracy"], m["latency@cpu"]])
    return np.array(F)


def run_tactic(net, tactic: str, seed: int, budget: int, population: int, inner_evals: int) -> np.ndarray:
    """The minimised objective values of every validated evaluation, in order."""
    if tactic.startswith("optuna"):
        return _optuna(net, tactic, budget, seed, population)
    from learnless.search import Search

    s = Search(net, OBJECTIVES, {"nsga2": "evolutionary"}.get(tactic, tactic), population=population,
               seed=seed, inner_evals=inner_evals)
    s.run(budget)
    _, F, _ = s.history.arrays(ok_only=True)
    return F


def hv_curve(F: np.ndarray, points, reference) -> list[float]:
    """Hypervolume after the first k evaluations; a run that stopped short (pymoo found nothing new to
    propose) keeps its last value."""
    from learnless.search.objectives import hypervolume, pareto_mask

    return [hypervolume(F[:k][pareto_mask(F[:k])], reference) for k in points]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--tactic-budget", action="append", default=[], metavar="TACTIC=N",
                    help="a smaller budget for one tactic (its curve stops there)")
    ap.add_argument("--population", type=int, default=25)
    ap.add_argument("--inner-evals", type=int, default=20000)
    ap.add_argument("--tactics", nargs="+", default=list(TACTICS))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--epochs", type=int, default=12, help="super-network training epochs")
    ap.add_argument("--train-rows", type=int, default=None, help="train on a prefix (smoke runs)")
    ap.add_argument("--alone-seeds", type=int, default=3, help="seeds of the best front member trained alone")
    ap.add_argument("--cache", type=Path, default=ROOT / "runs" / "search_real" / "evaluations.jsonl")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("LEARNLESS_PROGRESS", "0")
    budgets = {t: args.budget for t in args.tactics}
    for item in args.tactic_budget:
        name, _, n = item.partition("=")
        budgets[name] = int(n)

    from learnless.search.cache import EvaluationCache
    from learnless.search.profile import pinned

    with pinned(None) as core:
        from learnless.search import load_supernet

        net = EvaluationCache(load_supernet("cnn-elastic", epochs=args.epochs, train_rows=args.train_rows),
                              args.cache)
        fit_start = time.perf_counter()
        net.net.fit()
        fit_seconds = time.perf_counter() - fit_start
        runs, seconds, alone = {}, {}, {}
        for i, tactic in enumerate(args.tactics):
            for seed in range(args.seeds):
                start = time.perf_counter()
                runs[(tactic, seed)] = run_tactic(net, tactic, seed, budgets[tactic], args.population,
                                                  args.inner_evals)
                seconds[(tactic, seed)] = time.perf_counter() - start
                print(f"{tactic} seed {seed}: {len(runs[(tactic, seed)])} evaluations, "
                      f"{seconds[(tactic, seed)]:.0f} s; cache {net.hits} hits / {net.misses} misses",
                      flush=True)
            if i == min(1, len(args.tactics) - 1) and args.alone_seeds:
                alone = train_best_alone(net, args.alone_seeds)
            # results after every tactic, so that a run cut short still leaves what it measured
            report(args, budgets, net, runs, seconds, alone, fit_seconds, core, args.tactics[: i + 1])


def train_best_alone(net, seeds: int) -> dict:
    """The most accurate front member of every evaluation so far, its architecture trained alone."""
    from learnless.search.objectives import pareto_mask

    items = list(net.journal.items())  # (canonical config as JSON, metrics)
    F = np.array([[-m["accuracy"], m["latency@cpu"]] for _, m in items])
    best_i = max(np.flatnonzero(pareto_mask(F)), key=lambda i: items[i][1]["accuracy"])
    config = json.loads(items[best_i][0])
    accs = [net.net.train_alone(config, seed) for seed in range(seeds)]
    print(f"best front member trained alone: {accs}", flush=True)
    return {"config": config, "shared": items[best_i][1]["accuracy"], "alone": accs}


def report(args, budgets, net, runs, seconds, alone, fit_seconds, core, tactics) -> None:
    from learnless.report import markdown_table, new_figure, save_figure, save_result
    from learnless.search.objectives import hypervolume, pareto_mask

    cached = net.records()
    allF = np.array([[-r["accuracy"], r["latency@cpu"]] for r in cached])
    reference = np.array([-REFERENCE_ACCURACY, 1.1 * allF[:, 1].max()])
    best = hypervolume(allF[pareto_mask(allF)], reference)
    grid = list(range(args.population, args.budget + 1, args.population))
    checkpoints = [k for k in (100, 250, 400, 500, 1000) if k <= args.budget]
    rows, curves = [], {}
    for tactic in tactics:
        mine = [k for k in grid if k <= budgets[tactic]]
        Y = np.array([hv_curve(runs[(tactic, s)], mine, reference) for s in range(args.seeds)]) / best
        curves[tactic] = Y
        row = {"tactic": tactic, "seeds": args.seeds, "budget": budgets[tactic]}
        for k in checkpoints:
            if k > budgets[tactic]:
                row[f"HV@{k}"] = row[f"sd@{k}"] = None
                continue
            col = np.array([hv_curve(runs[(tactic, s)], [k], reference)[0] for s in range(args.seeds)]) / best
            row[f"HV@{k}"], row[f"sd@{k}"] = float(col.mean()), float(col.std())
        row["evaluations (min)"] = int(min(len(runs[(tactic, s)]) for s in range(args.seeds)))
        row["seconds/run"] = float(np.mean([seconds[(tactic, s)] for s in range(args.seeds)]))
        rows.append(row)
    summary = {"reference point": f"accuracy {REFERENCE_ACCURACY} %, latency {reference[1]:.4g} ms",
               "sub-networks validated (cache)": len(cached), "super-network training s": fit_seconds,
               "core": core}
    if "linas" in curves:
        linas = curves["linas"].mean(axis=0)
        for other in ("random", "nsga2"):
            if other in curves:
                target = curves[other].mean(axis=0)[-1]  # at that tactic's own budget
                reached = [k for k, v in zip(grid, linas) if v >= target]
                label = f"LINAS evaluations to reach {other}@{budgets[other]}"
                summary[label] = reached[0] if reached else None
        if "nsga2" in curves:
            nsga = curves["nsga2"].mean(axis=0)
            summary["LINAS ahead of NSGA-II at every budget >= 100"] = bool(
                all(a > b for k, a, b in zip(grid, linas, nsga) if k >= 100))
            reached = [k for k, v in zip(grid, linas) if v >= nsga[-1]]
            summary["LINAS reaches NSGA-II@1000 within 400"] = bool(reached and reached[0] <= 400)
    if alone:
        summary["best front member: shared-weight accuracy %"] = alone["shared"]
        summary["best front member: trained alone %, mean"] = float(np.mean(alone["alone"]))
        summary["best front member: trained alone %, sd"] = float(np.std(alone["alone"]))
        summary["best front member within 1 point of trained alone"] = bool(
            abs(alone["shared"] - np.mean(alone["alone"])) <= 1.0)
        summary["best front member config"] = json.dumps(alone["config"])
    summary["tactics finished"] = ", ".join(tactics)
    fig, ax = new_figure()
    for tactic, Y in curves.items():
        x = grid[: Y.shape[1]]
        ax.plot(x, Y.mean(axis=0), label=f"{tactic} ({len(Y)} seeds)")
        ax.fill_between(x, Y.mean(0) - Y.std(0), Y.mean(0) + Y.std(0), alpha=0.15)
    ax.set_xlabel("validated evaluations")
    ax.set_ylabel("hypervolume / best front's")
    ax.set_title("cnn-elastic (MNIST): accuracy:max x latency@cpu:min")
    ax.legend()
    save_figure(fig, ROOT / "docs" / "img" / "search_real.png")
    save_result("search_real", rows, directory=args.out, summary=summary,
                params={**vars(args), "out": str(args.out), "cache": str(args.cache),
                        "objectives": OBJECTIVES},
                formats={c: ".4f" for r in rows for c in r if c.startswith(("HV@", "sd@"))}
                | {"seconds/run": ".0f"})
    print(markdown_table(rows))
    print(summary, flush=True)




if __name__ == "__main__":
    main()
