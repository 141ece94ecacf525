"""Sample efficiency of the search tactics on `ofa-mbv3`: hypervolume of the validated front after 100 ...
2,000 evaluations, for LINAS, pymoo NSGA-II, random search and Optuna's NSGAIISampler / TPESampler, over
several seeds; plus the masked-predictor MACs MAPE from 100 samples and the per-iteration LINAS overhead
(predictor refit + 20,000-evaluation inner loop + batch selection).

    PYTHONPATH=src python benchmarks/search_efficiency.py [--seeds 5] [--max-evals 2000]
    PYTHONPATH=src python benchmarks/search_efficiency.py --cost latency@v100 --seeds 3 --max-evals 1000

`--cost macs` (accuracy:max vs macs:min) writes benchmarks/results/search_efficiency.{json,md},
search_predictor.{json,md} and docs/img/search_hypervolume.png; `--cost latency@v100` (HELP's V100 latency
model) writes search_efficiency_v100.{json,md} and docs/img/search_hypervolume_v100.png.

Each (tactic, seed) run has its own journal under --journal-dir, so a killed benchmark resumes and runs can
be sharded: `--shard I/K` runs every K-th unit from the I-th and saves nothing; a final run without
`--shard` finds them all journaled and writes the results.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# The cost objective -> (reference point of the minimised objectives, its label, the result name suffix)
COSTS = {
    "macs": ([-70.0, 600.0], "accuracy 70 %, 600 M MACs (HV in %-points x M MACs)", ""),
    "latency@v100": ([-70.0, 15.0], "accuracy 70 %, 15 ms V100 latency (HV in %-points x ms)", "_v100"),
}
CHECKPOINTS = (100, 250, 500, 1000, 2000)
TACTICS = ("linas", "nsga2", "random", "optuna-nsga2", "optuna-tpe")


def _hv_curve(F_min: np.ndarray, points, reference) -> list[float | None]:
    from learnless.search.objectives import hypervolume, pareto_mask

    out = []
    for k in points:
        if k > len(F_min):
            out.append(None)
            continue
        F = F_min[:k]
        out.append(hypervolume(F[pareto_mask(F)], np.array(reference)) if len(F) else 0.0)
    return out


def _optuna(kind: str, budget: int, seed: int, population: int, cost: str) -> np.ndarray:
    import optuna

    from learnless.search.supernets.ofa_mbv3 import OFAMobileNetV3

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    net = OFAMobileNetV3()
    space = net.space()
    sampler = (
        optuna.samplers.NSGAIISampler(population_size=population, seed=seed)
        if kind == "optuna-nsga2"
        else optuna.samplers.TPESampler(seed=seed, multivariate=True)
    )
    study = optuna.create_study(directions=["maximize", "minimize"], sampler=sampler)
    F = []
    while len(F) < budget:
        trials = [study.ask() for _ in range(min(population, budget - len(F)))]
        configs = [{k: t.suggest_categorical(k, v) for k, v in space.items()} for t in trials]
        for t, m in zip(trials, net.evaluate_batch(configs, ["accuracy", cost])):
            study.tell(t, [m["accuracy"], m[cost]])
            F.append([-m["accuracy"], m[cost]])
    return np.array(F)


def run_one(config: dict, seed: int) -> dict:
    """One (tactic, seed) run to config['budget'] evaluations; hypervolume every 50 evaluations."""
    warnings.filterwarnings("ignore")
    tactic, budget, pop, cost = config["tactic"], config["budget"], config["population"], config["cost"]
    reference = COSTS[cost][0]
    start = time.perf_counter()
    log = []
    if tactic.startswith("optuna"):
        F = _optuna(tactic, budget, seed, pop, cost)
    else:
        from learnless.search import Search

        name = {"nsga2": "evolutionary"}.get(tactic, tactic)
        s = Search(
            "ofa-mbv3",
            ["accuracy:max", f"{cost}:min"],
            name,
            population=pop,
            seed=seed,
            reference_point=reference,
            inner_evals=config["inner_evals"],
        )
        s.run(budget)
        _, F, _ = s.history.arrays(ok_only=True)
        log = getattr(s.tactic, "log", [])
    grid = list(range(50, budget + 1, 50))
    return {
        "curve_evals": grid,
        "curve_hv": _hv_curve(F, grid, reference),
        "hv": dict(zip(map(str, CHECKPOINTS), _hv_curve(F, CHECKPOINTS, reference))),
        "seconds": time.perf_counter() - start,
        "overhead_s": [r["fit_seconds"] + r["inner_seconds"] + r.get("select_seconds", 0.0) for r in log],
        "fit_s": [r["fit_seconds"] for r in log],
        "inner_s": [r["inner_seconds"] for r in log],
        "reselected": [bool(r.get("reselected", True)) for r in log],
        "chosen_last": log[-1]["chosen"] if log else [],
        "evaluations": len(F),
    }


def predictor_mape(seeds) -> list[dict]:
    """MACs predicted from 100 random sub-networks, on 1,000 others: masked one-hot (Ridge), plain one-hot
    with random values in inactive slots (Ridge), and the AutoPredictor's CV choice over the views."""
    from learnless.search.predictors import AutoPredictor, RidgePredictor, kendall_tau, mape
    from learnless.search.supernets import ofa_mbv3 as o

    space, net = o._space(), o.OFAMobileNetV3()
    rows = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        X = space.sample(1100, rng)  # raw: inactive slots hold random choices
        macs, _ = o.analytic_costs(X)
        views = {"onehot": space.features(X), **net.features(X)}
        tr, te = slice(0, 100), slice(100, None)
        plain = space.features(X, masked=False)
        for what, Ftr, Fte, est in [
            ("plain one-hot, Ridge", plain[tr], plain[te], RidgePredictor(1e-2)),
            ("masked one-hot, Ridge", views["onehot"][tr], views["onehot"][te], RidgePredictor(1e-2)),
            (
                "AutoPredictor (CV over families x views)",
                {k: v[tr] for k, v in views.items()},
                {k: v[te] for k, v in views.items()},
                AutoPredictor(seed=seed),
            ),
        ]:
            p = est.fit(Ftr, macs[tr]).predict(Fte)
            rows.append(
                {
                    "seed": seed,
                    "predictor": what,
                    "mape_%": mape(macs[te], p),
                    "kendall_tau": kendall_tau(macs[te], p),
                    "chosen": getattr(est, "chosen_", ""),
                }
            )
    return rows


def run_units(args, budget: dict, shard: tuple[int, int] | None) -> list[dict]:
    """Every (tactic, seed) unit, each through its own journaled Experiment (resumable, shardable)."""
    from learnless.runtime import Experiment

    records, i = [], 0
    for t in args.tactics:
        config = {
            "tactic": t,
            "budget": budget[t],
            "population": args.population,
            "inner_evals": args.inner_evals,
            "cost": args.cost,
        }
        for seed in range(args.seeds):
            mine = shard is None or i % shard[1] == shard[0]
            i += 1
            journal = args.journal_dir / f"{args.cost.replace('@', '_')}.{t}.b{budget[t]}.s{seed}.jsonl"
            exp = Experiment(run_one, [config], seeds=[seed], catch=True, journal=journal)
            if mine or not exp.pending():
                records += exp.run()
    return records


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--max-evals", type=int, default=2000)
    ap.add_argument("--linas-evals", type=int, default=None, help="LINAS budget (default --max-evals)")
    ap.add_argument("--population", type=int, default=50)
    ap.add_argument("--inner-evals", type=int, default=20000)
    ap.add_argument("--cost", choices=list(COSTS), default="macs", help="the minimised cost objective")
    ap.add_argument("--tactics", nargs="+", default=list(TACTICS))
    ap.add_argument("--shard", default=None, help="I/K: run every K-th unit from the I-th, save nothing")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--name", default="search_efficiency", help="result name")
    ap.add_argument("--journal-dir", type=Path, default=ROOT / "runs" / "search_efficiency")
    args = ap.parse_args()

    from learnless.report import markdown_table, new_figure, save_figure, save_result

    reference, ref_label, suffix = COSTS[args.cost]
    budget = {
        t: (args.linas_evals or args.max_evals) if t == "linas" else args.max_evals for t in args.tactics
    }
    shard = None
    if args.shard:
        a, b = (int(v) for v in args.shard.split("/"))
        shard = (a, b)
    records = run_units(args, budget, shard)
    if shard is not None:
        print(f"shard {args.shard}: {len(records)} units done")
        return
    failed = [r for r in records if r["status"] != "ok"]
    if failed:
        print("failed:", [(r["config"]["tactic"], r["seed"], r["error"]) for r in failed])
    ok = [r for r in records if r["status"] == "ok"]
    points = [k for k in CHECKPOINTS if k <= args.max_evals]
    rows, curves = [], {}
    for t in args.tactics:
        runs = [r["result"] for r in ok if r["config"]["tactic"] == t]
        if not runs:
            continue
        row = {"tactic": t, "seeds": len(runs)}
        for k in points:
            if k > budget[t]:
                row[f"HV@{k}"] = row[f"sd@{k}"] = None
                continue
            hv = np.array([r["hv"][str(k)] for r in runs])
            row[f"HV@{k}"] = float(hv.mean())
            row[f"sd@{k}"] = float(hv.std())
        row["seconds/run"] = float(np.mean([r["seconds"] for r in runs]))
        over = [s for r in runs for s in r["overhead_s"]]
        if over:
            fit = [s for r in runs for s in r["fit_s"]]
            inner = [s for r in runs for s in r["inner_s"]]
            row["overhead s/iter (median, max)"] = f"{np.median(over):.2f}, {np.max(over):.2f}"
            row["refit s (median, max)"] = f"{np.median(fit):.2f}, {np.max(fit):.2f}"
            row["inner loop s (median, max)"] = f"{np.median(inner):.2f}, {np.max(inner):.2f}"
        rows.append(row)
        curves[t] = (np.array(runs[0]["curve_evals"]), np.array([r["curve_hv"] for r in runs]))
    by = {r["tactic"]: r for r in rows}
    summary = {"reference_point": ref_label}
    if "linas" in by and "nsga2" in by and 1000 in points and budget["linas"] >= 500:
        summary["LINAS@500 >= NSGA-II@1000 (required)"] = bool(
            by["linas"]["HV@500"] >= by["nsga2"]["HV@1000"]
        )
        summary["LINAS@250 >= NSGA-II@1000 (goal)"] = bool(by["linas"]["HV@250"] >= by["nsga2"]["HV@1000"])
    if "linas" in by:
        others = [t for t in by if t != "linas"]
        summary["LINAS ahead of every other tactic at every budget it ran"] = bool(
            all(
                by["linas"][f"HV@{k}"] > by[t][f"HV@{k}"]
                for t in others
                for k in points
                if by["linas"][f"HV@{k}"] is not None and by[t][f"HV@{k}"] is not None
            )
        )
        over = [s for r in ok if r["config"]["tactic"] == "linas" for s in r["result"]["overhead_s"]]
        if over:
            summary["LINAS overhead s/iter median"] = float(np.median(over))
            summary["LINAS overhead s/iter max"] = float(np.max(over))
    save_result(
        f"{args.name}{suffix}",
        rows,
        directory=args.out,
        summary=summary,
        params={
            **vars(args),
            "out": str(args.out),
            "journal_dir": str(args.journal_dir),
            "objectives": ["accuracy:max", f"{args.cost}:min"],
            "reference": reference,
        },
        formats={c: ".1f" for r in rows for c in r if c.startswith(("HV@", "sd@", "seconds"))},
    )
    fig, ax = new_figure()
    for t, (x, Y) in curves.items():
        m, sd = Y.mean(axis=0), Y.std(axis=0)
        ax.plot(x, m, label=f"{t} ({len(Y)} seeds)")
        ax.fill_between(x, m - sd, m + sd, alpha=0.2)
    ax.set_xscale("log")
    ax.set_xlabel("validated evaluations")
    ax.set_ylabel(f"hypervolume (ref: {ref_label.split(' (')[0]})")
    ax.set_title(f"ofa-mbv3: accuracy:max vs {args.cost}:min")
    ax.legend()
    # the guide's plot is the full comparison's; other names (e.g. a LINAS-only overhead run) get their own
    plot = "search_hypervolume" if args.name == "search_efficiency" else args.name
    save_figure(fig, ROOT / "docs" / "img" / f"{plot}{suffix}.png")
    print(markdown_table(rows))
    if args.cost != "macs":
        return
    pm = predictor_mape(range(args.seeds))
    agg = {}
    for r in pm:
        agg.setdefault(r["predictor"], []).append(r)
    prow = [
        {
            "predictor": k,
            "seeds": len(v),
            "MAPE % (mean)": float(np.mean([r["mape_%"] for r in v])),
            "MAPE % (max)": float(np.max([r["mape_%"] for r in v])),
            "Kendall tau": float(np.mean([r["kendall_tau"] for r in v])),
        }
        for k, v in agg.items()
    ]
    save_result(
        "search_predictor",
        prow,
        directory=args.out,
        params={"train": 100, "test": 1000},
        summary={"target": "masked predictor MACs MAPE < 0.1 % from 100 samples"},
        formats={"MAPE % (mean)": ".4f", "MAPE % (max)": ".4f", "Kendall tau": ".4f"},
    )
    print(markdown_table(prow))


if __name__ == "__main__":
    main()
