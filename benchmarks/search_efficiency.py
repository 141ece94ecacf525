"""Sample efficiency of the search tactics on `ofa-mbv3`, accuracy:max vs macs:min: hypervolume of the
validated front after 100 ... 2,000 evaluations, for LINAS, pymoo NSGA-II, random search and Optuna's
NSGAIISampler / TPESampler, over several seeds; plus the masked-predictor MACs MAPE from 100 samples and
the per-iteration LINAS overhead at a 20,000-evaluation inner loop.

    PYTHONPATH=src python benchmarks/search_efficiency.py [--seeds 5] [--max-evals 2000]

Writes benchmarks/results/search_efficiency.{json,md}, search_predictor.{json,md} and
docs/img/search_hypervolume.png. Each (tactic, seed) run is journaled, so a killed benchmark resumes.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OBJECTIVES = ["accuracy:max", "macs:min"]
REFERENCE = [-70.0, 600.0]  # accuracy 70 % (negated: minimised) and 600 M MACs
CHECKPOINTS = (100, 250, 500, 1000, 2000)
TACTICS = ("linas", "nsga2", "random", "optuna-nsga2", "optuna-tpe")


def _hv_curve(F_min: np.ndarray, points) -> list[float | None]:
    from learnless.search.objectives import hypervolume, pareto_mask

    out = []
    for k in points:
        if k > len(F_min):
            out.append(None)
            continue
        F = F_min[:k]
        out.append(hypervolume(F[pareto_mask(F)], np.array(REFERENCE)) if len(F) else 0.0)
    return out


def _optuna(kind: str, budget: int, seed: int, population: int) -> np.ndarray:
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
        for t, m in zip(trials, net.evaluate_batch(configs, ["accuracy", "macs"])):
            study.tell(t, [m["accuracy"], m["macs"]])
            F.append([-m["accuracy"], m["macs"]])
    return np.array(F)


def run_one(config: dict, seed: int) -> dict:
    """One (tactic, seed) run to config['budget'] evaluations; hypervolume every 50 evaluations."""
    warnings.filterwarnings("ignore")
    tactic, budget, pop = config["tactic"], config["budget"], config["population"]
    start = time.perf_counter()
    overhead = []
    if tactic.startswith("optuna"):
        F = _optuna(tactic, budget, seed, pop)
    else:
        from learnless.search import Search

        name = {"nsga2": "evolutionary"}.get(tactic, tactic)
        s = Search(
            "ofa-mbv3",
            OBJECTIVES,
            name,
            population=pop,
            seed=seed,
            reference_point=REFERENCE,
            inner_evals=config["inner_evals"],
        )
        s.run(budget)
        _, F, _ = s.history.arrays(ok_only=True)
        overhead = [r["fit_seconds"] + r["inner_seconds"] for r in getattr(s.tactic, "log", [])]
    grid = list(range(50, budget + 1, 50))
    return {
        "curve_evals": grid,
        "curve_hv": _hv_curve(F, grid),
        "hv": dict(zip(map(str, CHECKPOINTS), _hv_curve(F, CHECKPOINTS))),
        "seconds": time.perf_counter() - start,
        "overhead_s": overhead,
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--max-evals", type=int, default=2000)
    ap.add_argument("--linas-evals", type=int, default=None, help="LINAS budget (default --max-evals)")
    ap.add_argument("--population", type=int, default=50)
    ap.add_argument("--inner-evals", type=int, default=20000)
    ap.add_argument("--tactics", nargs="+", default=list(TACTICS))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()

    from learnless.report import markdown_table, new_figure, save_figure, save_result
    from learnless.runtime import Experiment

    budget = {
        t: (args.linas_evals or args.max_evals) if t == "linas" else args.max_evals for t in args.tactics
    }
    configs = [
        {"tactic": t, "budget": budget[t], "population": args.population, "inner_evals": args.inner_evals}
        for t in args.tactics
    ]
    records = Experiment(
        run_one,
        configs,
        seeds=range(args.seeds),
        catch=True,
        journal=args.out / "search_efficiency.journal.jsonl",
    ).run()
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
            row["overhead s/iter (median, max)"] = f"{np.median(over):.2f}, {np.max(over):.2f}"
        rows.append(row)
        curves[t] = (np.array(runs[0]["curve_evals"]), np.array([r["curve_hv"] for r in runs]))
    by = {r["tactic"]: r for r in rows}
    summary = {"reference_point": "accuracy 70 %, 600 M MACs (HV in %-points x M MACs)"}
    if "linas" in by and "nsga2" in by and 1000 in points:
        summary["LINAS@500 >= NSGA-II@1000 (required)"] = bool(
            by["linas"]["HV@500"] >= by["nsga2"]["HV@1000"]
        )
        summary["LINAS@250 >= NSGA-II@1000 (goal)"] = bool(by["linas"]["HV@250"] >= by["nsga2"]["HV@1000"])
        others = [t for t in by if t != "linas"]
        summary["LINAS ahead of every other tactic at every budget it ran"] = bool(
            all(
                by["linas"][f"HV@{k}"] > by[t][f"HV@{k}"]
                for t in others
                for k in points
                if by["linas"][f"HV@{k}"] is not None and by[t][f"HV@{k}"] is not None
            )
        )
    save_result(
        "search_efficiency",
        rows,
        directory=args.out,
        summary=summary,
        params={**vars(args), "out": str(args.out), "objectives": OBJECTIVES, "reference": REFERENCE},
        formats={c: ".1f" for r in rows for c in r if c.startswith(("HV@", "sd@", "seconds"))},
    )
    fig, ax = new_figure()
    for t, (x, Y) in curves.items():
        m, sd = Y.mean(axis=0), Y.std(axis=0)
        ax.plot(x, m, label=f"{t} ({len(Y)} seeds)")
        ax.fill_between(x, m - sd, m + sd, alpha=0.2)
    ax.set_xscale("log")
    ax.set_xlabel("validated evaluations")
    ax.set_ylabel("hypervolume (ref: 70 % top-1, 600 M MACs)")
    ax.set_title("ofa-mbv3: accuracy:max vs macs:min")
    ax.legend()
    save_figure(fig, ROOT / "docs" / "img" / "search_hypervolume.png")
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
    print(markdown_table(rows))
    print(markdown_table(prow))


if __name__ == "__main__":
    main()
