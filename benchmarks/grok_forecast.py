"""Benchmark: the grokking forecaster, fitted on the runs the grok benchmarks journaled, scored on groups it
never saw (leave one group out).

Runs collected (every one a GrokTrainer run with sigma = x^2, Adam, MSE): grok_lr_boundary(_long, _z127,
_z127_long) and grok_fig7(_k2048) (per-run rows with training accuracy), the bisection trials of
grok_scaling and grok_scaling_nonabelian (grokked or not and the grok epoch; the training accuracy of a
non-grokking trial is not recorded, so its outcome counts only as "not grok" for fitting P(grok) and is left
out of the 3-class accuracy), and the trained arm of grok_construct. None of those runs failed to memorise, so
--width-runs adds narrow networks (K = 1..16, the cpu_scaling preset) on small groups, the only new training
here. Writes src/learnless/grok/forecast_runs.json (the forecaster's fitting table, shipped with the package)
and benchmarks/results/grok_forecast.{json,md}.

    PYTHONPATH=src python benchmarks/grok_forecast.py [--width-groups Z11,Z13,Z19,D7] [--journal DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path

from learnless.grok.forecast import RUNS_PATH, held_out_scores, outcome_of
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.presets import preset, trainer_params
from learnless.grok.trainer import GrokTrainer
from learnless.report import save_result
from learnless.runtime import Experiment, get_executor

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
ROW_SOURCES = ("grok_lr_boundary", "grok_lr_boundary_long", "grok_lr_boundary_z127",
               "grok_lr_boundary_z127_long", "grok_fig7", "grok_fig7_k2048")


def _run(group, n_train, trainer, grokked, grok_epoch, train_acc, source):
    return {"group": group, "order": parse_group(group).order, "n_train": int(n_train),
            "hidden": trainer["hidden"], "lr": trainer["lr"], "weight_decay": trainer["weight_decay"],
            "epochs": trainer["epochs"], "centring": trainer.get("centring", "sample"),
            "grokked": bool(grokked), "grok_epoch": grok_epoch, "train_acc": train_acc, "source": source}


def journaled_runs() -> list[dict]:
    runs = []
    defaults = GrokTrainer().get_params()
    for name in ROW_SOURCES:
        d = json.loads((RESULTS / f"{name}.json").read_text())
        base = {**defaults, **d["params"]["trainer"]}
        for r in d["results"]:
            t = {**base, "lr": r.get("lr", base["lr"])}
            runs.append(_run(r["group"], r["n_train"], t, r["grok_epoch"] is not None, r["grok_epoch"],
                             r["train_acc"], name))
    d = json.loads((RESULTS / "grok_scaling.json").read_text())
    t = {**defaults, **d["params"]["train"]}
    for r in d["results"]:
        for tr in r["trials"]:
            runs.append(_run(r["group"], tr["n"], t, tr["generalised"], tr["grok_epoch"], None,
                             "grok_scaling"))
    d = json.loads((RESULTS / "grok_scaling_nonabelian.json").read_text())
    t = {**defaults, **d["params"]["trainer"]}
    for key, trials in d["params"]["trials"].items():
        for tr in trials:
            runs.append(_run(key.split("/")[0], tr["n"], t, tr["generalised"], tr["grok_epoch"], None,
                             "grok_scaling_nonabelian"))
    path = RESULTS / "grok_construct.json"
    if path.exists():
        d = json.loads(path.read_text())
        t = {**defaults, **d["params"]["trainer"]}
        for r in d["results"]:
            if r["arm"] == "trained":
                runs.append(_run(r["group"], r["n_train"], t, r["test_acc"] >= 0.95, r["grok_epoch"],
                                 r["train_acc"], "grok_construct"))
    return runs


def width_run(config: dict, seed: int) -> dict:
    """One narrow network (an Experiment unit)."""
    g = parse_group(config["group"])
    n = round(config["ratio"] * g.order * math.log(g.order))
    split = split_pairs(g, n_train=min(n, g.order**2 - 1), seed=seed)
    tr = GrokTrainer(**{**config["trainer"], "seed": seed}).fit(g, split)
    return {"group": g.name, "n_train": len(split.train), "grokked": tr.grok_epoch_ is not None,
            "grok_epoch": tr.grok_epoch_, "train_acc": tr.train_acc_, "test_acc": tr.test_acc_}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--width-groups", default="Z11,Z13,Z19,D7")
    ap.add_argument("--widths", default="1,2,4,8,16")
    ap.add_argument("--ratios", default="3,5")
    ap.add_argument("--level", type=float, default=0.8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--journal", default=None)
    args = ap.parse_args()
    load0 = os.getloadavg()
    runs = journaled_runs()
    trainer = {**trainer_params(preset("cpu_scaling")), "diag_every": 10**9}
    configs = [{"group": g, "ratio": float(r), "trainer": {**trainer, "hidden": int(k)}}
               for g in args.width_groups.split(",") for k in args.widths.split(",")
               for r in args.ratios.split(",")]
    journal = Path(args.journal) / "journal.jsonl" if args.journal else None
    if journal:
        journal.parent.mkdir(parents=True, exist_ok=True)
    with get_executor("local", workers=args.workers) as ex:
        exp = Experiment(width_run, configs, [0], executor=ex, description="narrow networks", journal=journal)
        made = len(exp.pending())
        for rec in exp.run():
            r = rec["result"]
            runs.append(_run(r["group"], r["n_train"], rec["config"]["trainer"], r["grokked"],
                             r["grok_epoch"], r["train_acc"], "grok_forecast_width"))
    scores = held_out_scores(runs, level=args.level)
    counts = {}
    for r in runs:
        o = outcome_of(r["train_acc"], None, r["grokked"]) or "not grok (train accuracy unknown)"
        counts[o] = counts.get(o, 0) + 1
    summary = {k: v for k, v in scores.items() if k != "predictions"}
    summary |= {"runs": len(runs), "groups": len({r["group"] for r in runs}), "outcome_counts": counts,
                "sources": sorted({r["source"] for r in runs})}
    save_result("grok_forecast", scores["per_group"], directory=RESULTS,
                params={**vars(args), "width_trainer": trainer, "load_at_start": load0,
                        "width_runs_made_here": made, "load_at_end": os.getloadavg()},
                summary=summary)
    # the package's fitting table, written after the result: the result's provenance is then the clean commit
    RUNS_PATH.write_text(json.dumps({"about": "GrokTrainer runs the forecaster is fitted on; built by "
                                              "benchmarks/grok_forecast.py", "runs": runs}, indent=0) + "\n")
    print({k: summary[k] for k in ("outcome_accuracy", "outcome_runs", "interval_coverage", "grokking_runs")})


if __name__ == "__main__":
    main()
