"""Search tactics on NAS-Bench-Graph: every evaluation is a measured GNN architecture (validation accuracy and
the benchmark's latency), looked up in the table the `nas-bench-graph` wheel ships.

    PYTHONPATH=src python benchmarks/search_nasbench_graph.py [--datasets arxiv cora] [--seeds 5]

accuracy:max x latency:min, LINAS vs pymoo NSGA-II, Optuna TPE and random search at 100 / 250 / 500
evaluations. The table holds every architecture, so the true Pareto front is known: hypervolume is reported
normalised by the hypervolume of the whole table's front (1.0 = the true front), with the reference point at
the table's median accuracy and median latency (an architecture must beat a typical one on both to count).
Writes benchmarks/results/search_nasbench_graph.{json,md} and docs/img/search_nasbench_graph.png. Each
(dataset, tactic, seed) run is journaled under --journal-dir, so a killed benchmark resumes.

    PYTHONPATH=src python benchmarks/search_nasbench_graph.py --predictor-quality [--seeds 3]

measures instead what LINAS's predictors can learn on each table: LINAS's AutoPredictor fitted to 50 / 100 /
250 random architectures, its Kendall tau on 1,000 other random ones (all of them, and the top quarter by
accuracy, where the front is), per objective. Writes benchmarks/results/search_nasbench_graph_predictor.*.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHECKPOINTS = (100, 250, 500)
TACTICS = ("linas", "nsga2", "optuna-tpe", "random")
OBJECTIVES = ["accuracy:max", "latency:min"]


def table_front(dataset: str) -> tuple[np.ndarray, float]:
    """(reference point, hypervolume of the whole table's Pareto front), objectives minimised."""
    from learnless.search.objectives import hypervolume, pareto_mask
    from learnless.search.supernets.nasbench_graph import lookup_table, resolve_dataset

    rows = lookup_table(resolve_dataset(dataset)).reshape(-1, 4)
    rows = rows[~np.isnan(rows).any(axis=1)]
    F = np.column_stack([-rows[:, 0], rows[:, 2]])
    reference = np.median(F, axis=0)
    return reference, hypervolume(F[pareto_mask(F)], reference)


def hv_curve(F: np.ndarray, points, reference) -> list[float | None]:
    from learnless.search.objectives import hypervolume, pareto_mask

    out = []
    for k in points:
        if k > len(F):
            out.append(None)
            continue
        Fk = F[:k][np.all(F[:k] < 1e11, axis=1)]  # failed evaluations (all-skip) carry no point
        out.append(hypervolume(Fk[pareto_mask(Fk)], reference) if len(Fk) else 0.0)
    return out


def _optuna(supernet: str, budget: int, seed: int) -> np.ndarray:
    import optuna

    from learnless.search import load_supernet

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    net = load_supernet(supernet)
    space = net.space()
    study = optuna.create_study(
        directions=["maximize", "minimize"], sampler=optuna.samplers.TPESampler(seed=seed, multivariate=True)
    )
    F = []
    while len(F) < budget:
        trial = study.ask()
        config = {k: trial.suggest_categorical(k, v) for k, v in space.items()}
        try:
            m = net.evaluate(config, ["accuracy", "latency"])
        except Exception:  # noqa: BLE001 - the all-skip configs have no row; a failed trial, as in a search
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            F.append([1e12, 1e12])
            continue
        study.tell(trial, [m["accuracy"], m["latency"]])
        F.append([-m["accuracy"], m["latency"]])
    return np.array(F)


def run_one(config: dict, seed: int) -> dict:
    warnings.filterwarnings("ignore")
    supernet, tactic, budget = f"nasbench-graph:{config['dataset']}", config["tactic"], config["budget"]
    reference, best_hv = table_front(config["dataset"])
    start = time.perf_counter()
    if tactic == "optuna-tpe":
        F = _optuna(supernet, budget, seed)
    else:
        from learnless.search import Search

        s = Search(
            supernet,
            OBJECTIVES,
            {"nsga2": "evolutionary"}.get(tactic, tactic),
            population=config["population"],
            seed=seed,
            reference_point=reference,
            inner_evals=config["inner_evals"],
        )
        s.run(budget)
        _, F, _ = s.history.arrays()
    grid = list(range(25, budget + 1, 25))
    return {
        "curve_evals": grid,
        "curve_hv": [None if v is None else v / best_hv for v in hv_curve(F, grid, reference)],
        "hv": {str(k): (None if v is None else v / best_hv)
               for k, v in zip(CHECKPOINTS, hv_curve(F, CHECKPOINTS, reference))},
        "seconds": time.perf_counter() - start,
        "evaluations": len(F),
    }


TRAIN_SIZES = (50, 100, 250)
HELD_OUT = 1000


def measured_rows(dataset: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(features, [accuracy, latency]) of `n` random architectures that have a row in the table."""
    from learnless.errors import DataError
    from learnless.search import load_supernet
    from learnless.search.space import SearchSpace

    net = load_supernet(f"nasbench-graph:{dataset}")
    space = SearchSpace(net.space())
    rng = np.random.default_rng(seed)
    X, Y = [], []
    while len(X) < n:
        for x in space.sample(n, rng):
            try:
                m = net.evaluate(space.to_config(x), ["accuracy", "latency"])
            except DataError:  # the all-skip architectures have no row
                m = None
            if m is not None:
                X.append(x)
                Y.append([m["accuracy"], m["latency"]])
    X, Y = np.array(X[:n]), np.array(Y[:n])
    return space.features(X), Y


def predictor_quality(datasets, seeds: int) -> list[dict]:
    """LINAS's predictor (AutoPredictor, its default families) per dataset, objective and training size."""
    from learnless.search.predictors import AutoPredictor, kendall_tau

    rows = []
    for dataset in datasets:
        for seed in range(seeds):
            V, Y = measured_rows(dataset, max(TRAIN_SIZES) + HELD_OUT, seed)
            Vt, Yt = V[max(TRAIN_SIZES):], Y[max(TRAIN_SIZES):]
            top = Yt[:, 0] >= np.quantile(Yt[:, 0], 0.75)
            for n in TRAIN_SIZES:
                for j, metric in enumerate(("accuracy", "latency")):
                    pred = AutoPredictor(seed=seed).fit(V[:n], Y[:n, j]).predict(Vt)
                    rows.append({"dataset": dataset, "metric": metric, "train": n, "seed": seed,
                                 "tau": kendall_tau(Yt[:, j], pred),
                                 "tau_top_quarter": kendall_tau(Yt[top, j], pred[top]),
                                 "sd": float(Yt[:, j].std()),
                                 "p5": float(np.quantile(Yt[:, j], 0.05)),
                                 "median": float(np.median(Yt[:, j])),
                                 "p95": float(np.quantile(Yt[:, j], 0.95))})
    out = []
    for key in sorted({(r["dataset"], r["metric"], r["train"]) for r in rows}):
        group = [r for r in rows if (r["dataset"], r["metric"], r["train"]) == key]
        mean = {c: float(np.mean([r[c] for r in group])) for c in ("tau", "tau_top_quarter", "sd", "p5",
                                                                    "median", "p95")}
        out.append({"dataset": key[0], "metric": key[1], "train": key[2], "seeds": len(group),
                    "tau": mean["tau"], "tau sd": float(np.std([r["tau"] for r in group])),
                    "tau (top quarter by accuracy)": mean["tau_top_quarter"],
                    "p5": mean["p5"], "median": mean["median"], "p95": mean["p95"]})
    return out


def save_predictor_quality(args) -> None:
    from learnless.report import markdown_table, save_result

    rows = predictor_quality(args.datasets, args.seeds)
    save_result(
        "search_nasbench_graph_predictor",
        rows,
        directory=args.out,
        params={"datasets": args.datasets, "seeds": args.seeds, "train_sizes": list(TRAIN_SIZES),
                "held_out": HELD_OUT, "predictor": "AutoPredictor() (LINAS's default families)",
                "sample": "uniformly random architectures with a row in the table, per seed"},
        formats={c: ".3f" for c in ("tau", "tau sd", "tau (top quarter by accuracy)")}
        | {c: ".2f" for c in ("p5", "median", "p95")},
    )
    print(markdown_table(rows))


def evals_to_reach(curve_x, curve_y, target: float) -> int | None:
    """The first checkpoint at which a mean curve reaches `target` (None: never within the budget)."""
    for x, y in zip(curve_x, curve_y):
        if y is not None and y >= target:
            return int(x)
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", nargs="+", default=["arxiv", "cora"])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--budget", type=int, default=max(CHECKPOINTS))
    ap.add_argument("--population", type=int, default=25)
    ap.add_argument("--inner-evals", type=int, default=20000)
    ap.add_argument("--tactics", nargs="+", default=list(TACTICS))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--journal-dir", type=Path, default=ROOT / "runs" / "search_nasbench_graph")
    ap.add_argument("--predictor-quality", action="store_true",
                    help="measure LINAS's predictor on each table instead of running the tactics")
    args = ap.parse_args()
    if args.predictor_quality:
        save_predictor_quality(args)
        return

    from learnless.report import markdown_table, new_figure, save_figure, save_result
    from learnless.runtime import Experiment

    records = []
    for dataset in args.datasets:
        for tactic in args.tactics:
            config = {"dataset": dataset, "tactic": tactic, "budget": args.budget,
                      "population": args.population, "inner_evals": args.inner_evals}
            journal = args.journal_dir / f"{dataset}.{tactic}.b{args.budget}.jsonl"
            exp = Experiment(run_one, [config], seeds=list(range(args.seeds)), catch=True, journal=journal)
            records += exp.run()
    failed = [r for r in records if r["status"] != "ok"]
    if failed:
        print("failed:", [(r["config"], r["seed"], r["error"]) for r in failed])
    ok = [r for r in records if r["status"] == "ok"]
    rows, summary = [], {}
    fig, _ = new_figure(width=5.5 * len(args.datasets), height=4.2)
    fig.clear()
    axes = fig.subplots(1, len(args.datasets), squeeze=False)[0]
    for ax, dataset in zip(axes, args.datasets):
        curves = {}
        for tactic in args.tactics:
            runs = [r["result"] for r in ok
                    if r["config"]["dataset"] == dataset and r["config"]["tactic"] == tactic]
            if not runs:
                continue
            row = {"dataset": dataset, "tactic": tactic, "seeds": len(runs)}
            for k in CHECKPOINTS:
                hv = np.array([r["hv"][str(k)] for r in runs], dtype=float)
                row[f"HV@{k}"], row[f"sd@{k}"] = float(hv.mean()), float(hv.std())
            row["seconds/run"] = float(np.mean([r["seconds"] for r in runs]))
            rows.append(row)
            Y = np.array([r["curve_hv"] for r in runs], dtype=float)
            curves[tactic] = (np.array(runs[0]["curve_evals"]), Y.mean(axis=0))
            ax.plot(curves[tactic][0], Y.mean(axis=0), label=f"{tactic} ({len(runs)} seeds)")
            ax.fill_between(curves[tactic][0], Y.mean(0) - Y.std(0), Y.mean(0) + Y.std(0), alpha=0.15)
        ax.set_title(f"NAS-Bench-Graph {dataset}: accuracy:max x latency:min")
        ax.set_xlabel("evaluations (measured architectures)")
        ax.set_ylabel("hypervolume / true front's")
        ax.legend()
        by = {r["tactic"]: r for r in rows if r["dataset"] == dataset}
        if "linas" in by:
            others = [t for t in by if t != "linas"]
            summary[f"{dataset}: LINAS ahead of {', '.join(others)} at 100, 250 and 500"] = bool(all(
                by["linas"][f"HV@{k}"] > by[t][f"HV@{k}"] for t in others for k in CHECKPOINTS))
            for t in others:
                target = by[t][f"HV@{max(CHECKPOINTS)}"]
                reach = evals_to_reach(*curves["linas"], target)
                summary[f"{dataset}: LINAS evaluations to reach {t}@{max(CHECKPOINTS)}"] = reach
    save_figure(fig, ROOT / "docs" / "img" / "search_nasbench_graph.png")
    save_result(
        "search_nasbench_graph",
        rows,
        directory=args.out,
        summary=summary,
        params={**vars(args), "out": str(args.out), "journal_dir": str(args.journal_dir),
                "objectives": OBJECTIVES,
                "reference": "per dataset: the table's median accuracy and median latency",
                "hypervolume": "normalised by the hypervolume of the whole table's Pareto front"},
        formats={c: ".4f" for r in rows for c in r if c.startswith(("HV@", "sd@"))} | {"seconds/run": ".1f"},
    )
    print(markdown_table(rows))
    print(summary)


if __name__ == "__main__":
    main()
