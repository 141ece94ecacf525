"""learnless's GrokTrainer against the Li2 paper's reference code (facebookresearch/luckmatters,
ssl/real-dataset/cogo/modular_addition_simple2.py), as whole processes on the same splits, in one run.

    python benchmarks/grok_vs_reference.py --reference-python /path/to/venv/bin/python
        [--reference-dir DIR] [--group Z23] [--ratios 2.5,3,4] [--seeds 0,1,2,3,4] [--epochs 3000]
        [--hidden 512] [--trajectory-seeds 0,1,2] [--trajectory-ridge 1e-3] [--journal DIR]

The reference side is its script, `muon_opt.py`, `modular_addition_load.py`, `config/dyn_madd.yaml` and
`ssl/common_utils/`, read from the git objects of the mirror `fetch github:facebookresearch/luckmatters`
leaves in /work/.mirror (or a work tree), written to a scratch directory and run unchanged through a
launcher that makes `.cuda()` a no-op (the script calls it unconditionally) and supplies the
`common_utils.print_info` the public repository lacks (it only formats the config for the log). Its
interpreter (`--reference-python`) needs torch, hydra-core, tensorboardX, sympy and scikit-learn. Hydra
overrides: the `dyn_madd.yaml` defaults (K 512, Adam lr 1e-3, L2 weight decay 1e-4, sqr activation) with
`loss_func=mse` (the label-centred MSE), `set_weight_reg=null` (V trained by Adam, not re-solved by ridge
each step) and the training pairs of learnless's `split_pairs` given as `load_dataset_split`. It evaluates
the train and test sets every epoch and logs the N x N and K x K Grams of its hidden features every epoch
(its `stats_tracker`): that work is part of its wall time.

The learnless side is GrokTrainer(centring="label", same hyper-parameters, eval_every=1) in a fresh
interpreter (this script's `--child` mode: start, imports, fit). Both sides run single-threaded (learnless's
default; OMP_NUM_THREADS=1 for the reference) and alternate, so that a change in load hits both.

Two comparisons:
  * trajectory: learnless started from the reference's saved epoch-0 weights (GrokTrainer.fit's W_init /
    V_init) on the same split, with V trained by Adam (and with `--trajectory-ridge`, V re-solved by ridge
    every step on both sides): the per-epoch train loss (max relative difference over the first 100 epochs
    and over all), test accuracy (max absolute difference) and the grok epochs (first epoch with test
    accuracy >= 0.95) of each.
  * outcomes: per ratio n / (M ln M) and seed, the reference from its own seeded init, learnless with
    init_w="linear" (the reference's U(+-1/sqrt 2M)) and with its default init_w="uniform" (U(+-1/sqrt M)):
    grok epoch, final test accuracy, wall seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_REFERENCE = Path("/work/.mirror/facebookresearch+luckmatters/repo")
COGO = "ssl/real-dataset/cogo"
REFERENCE_FILES = (
    f"{COGO}/modular_addition_simple2.py",
    f"{COGO}/muon_opt.py",
    f"{COGO}/modular_addition_load.py",
    f"{COGO}/config/dyn_madd.yaml",
)
COMMON_UTILS = "ssl/common_utils"
GROK_ACC = 0.95

LAUNCHER = """\
# Runs the reference script unchanged on the CPU: .cuda() returns its receiver. The public common_utils
# lacks the print_info(args) the script logs its config with: supply one that returns the config as YAML.
import runpy, sys, torch
torch.Tensor.cuda = lambda self, *a, **k: self
torch.nn.Module.cuda = lambda self, *a, **k: self
script = sys.argv[1]
sys.path[:0] = [sys.argv[2], sys.argv[3]]
sys.argv = [script, *sys.argv[4:]]
import common_utils
if not hasattr(common_utils, "print_info"):
    from omegaconf import OmegaConf
    common_utils.print_info = lambda args: OmegaConf.to_yaml(args)
runpy.run_path(script, run_name="__main__")
"""


def _git(where: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(where), *args], check=True, capture_output=True, text=True
    ).stdout


def write_reference(where: Path, dest: Path) -> str:
    """Write the reference files under dest (from a work tree or a bare mirror's HEAD); return the commit."""
    bare = not (where / COGO).is_dir()
    if bare:
        listed = _git(where, "ls-tree", "-r", "--name-only", "HEAD", COMMON_UTILS).split()
        names = REFERENCE_FILES + tuple(n for n in listed if n.endswith(".py"))
        commit = _git(where, "rev-parse", "HEAD").strip()
    else:
        names = REFERENCE_FILES + tuple(
            str(p.relative_to(where)) for p in (where / COMMON_UTILS).glob("*.py")
        )
        commit = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "HEAD"], check=False, capture_output=True, text=True
        ).stdout.strip() or "work tree"
    for name in names:
        text = _git(where, "show", f"HEAD:{name}") if bare else (where / name).read_text()
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text(text)
    (dest / "launch.py").write_text(LAUNCHER)
    return commit


def run_process(cmd: list[str], env: dict, cwd: Path | None = None) -> float:
    """Run one child to completion; its wall seconds (spawn to exit). A failure raises with stderr's tail."""
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.run(
            cmd, check=False, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}): {err.read()[-800:]}")
    return wall


def run_reference(py: str, ref: Path, spec: dict, out: Path) -> dict:
    """One reference run; its per-epoch curves (and the epoch-0 weights when it saved them)."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    overrides = [
        f"M={spec['M']}", f"hidden_size={spec['hidden']}", f"learning_rate={spec['lr']}",
        f"weight_decay={spec['wd']}", "loss_func=mse", f"num_epochs={spec['epochs']}",
        f"set_weight_reg={'null' if spec.get('ridge') is None else spec['ridge']}",
        f"seed={spec['seed']}", f"load_dataset_split={spec['split_file']}",
        f"save_interval={spec['epochs'] + 1}", "init_save_range=0", f"hydra.run.dir={out}",
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HYDRA_FULL_ERROR": "1"}
    script = ref / REFERENCE_FILES[0]
    wall = run_process(
        [py, str(ref / "launch.py"), str(script), str(script.parent), str(ref / "ssl"), *overrides], env
    )
    stats = torch.load(out / "stats_tracker.pt", weights_only=False)
    epochs = sorted(stats)
    curves = {k: [float(stats[e][k]) for e in epochs] for k in ("train_loss", "train_acc", "test_acc")}
    model0 = sorted(out.glob("model00000_*.pt"))
    init = None
    if model0:
        sd = torch.load(model0[0], weights_only=False)["model"]
        init = {"W": sd["W.weight"].numpy().tolist(), "V": sd["V.weight"].numpy().tolist()}
    return {"wall_seconds": wall, "curves": curves, "init": init}


def child(spec_file: str) -> None:
    """--child mode: one learnless fit from a spec file; writes its curves beside it."""
    import numpy as np

    from learnless.grok.groups import Split, parse_group
    from learnless.grok.trainer import GrokTrainer

    spec = json.loads(Path(spec_file).read_text())
    g = parse_group(f"Z{spec['M']}")
    split = Split(train=np.array(spec["train"]), test=np.array(spec["test"]))
    tr = GrokTrainer(
        hidden=spec["hidden"], lr=spec["lr"], weight_decay=spec["wd"], epochs=spec["epochs"],
        centring="label", init_w=spec["init_w"], seed=spec["seed"], eval_every=1, ridge=spec.get("ridge"),
    )
    init = spec.get("init") or {}
    tr.fit(g, split, W_init=init.get("W"), V_init=init.get("V"))
    h = tr.history_
    # the reference records epochs 0 .. epochs-1 (before each step); learnless also the state after the last
    curves = {k: h[k][: spec["epochs"]] for k in ("train_loss", "train_acc", "test_acc")}
    Path(spec["out"]).write_text(json.dumps({"curves": curves, "fit_seconds": tr.seconds_}))


def run_learnless(spec: dict, work: Path) -> dict:
    spec_file = work / "spec.json"
    spec = {**spec, "out": str(work / "out.json")}
    spec_file.write_text(json.dumps(spec))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    wall = run_process([sys.executable, __file__, "--child", str(spec_file)], env)
    return {"wall_seconds": wall, **json.loads((work / "out.json").read_text())}


def grok_epoch(test_acc: list[float]) -> int | None:
    return next((e for e, a in enumerate(test_acc) if a >= GROK_ACC), None)


def compare_curves(ours: dict, ref: dict) -> dict:
    rel = [abs(x - y) / max(abs(y), 1e-12) for x, y in zip(ours["train_loss"], ref["train_loss"])]
    acc = [abs(x - y) for x, y in zip(ours["test_acc"], ref["test_acc"])]
    first_diverge = next((e for e, r in enumerate(rel) if r > 1e-2), None)
    return {
        "loss_max_rel_diff_100": max(rel[:100]),
        "loss_max_rel_diff": max(rel),
        "loss_rel_diff_end": rel[-1],
        "first_epoch_loss_diff_over_1pct": first_diverge,
        "test_acc_max_abs_diff": max(acc),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--reference-python", default=sys.executable,
                    help="interpreter with torch, hydra-core, tensorboardX, sympy, scikit-learn")
    ap.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE)
    ap.add_argument("--group", default="Z23", help="Z_M (the reference's modular addition)")
    ap.add_argument("--ratios", default="2.5,3,4", help="training pairs / (M ln M)")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--trajectory-seeds", default="0,1,2")
    ap.add_argument("--trajectory-ratio", type=float, default=3.0)
    ap.add_argument("--trajectory-ridge", type=float, default=None,
                    help="also compare trajectories with V ridge-solved every step (the reference's default "
                    "set_weight_reg 1e-3; learnless's ridge=)")
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--journal", type=Path, default=None, help="directory of the resumable journal")
    ap.add_argument("--name", default="grok_vs_reference")
    args = ap.parse_args()
    if args.child:
        return child(args.child)

    import torch

    from learnless.grok.groups import parse_group, split_pairs

    g = parse_group(args.group)
    M = g.order
    if g.name != f"Z{M}":
        raise SystemExit(f"--group: the reference runs modular addition Z_M, got {args.group!r}")
    base = {"M": M, "hidden": args.hidden, "lr": args.lr, "wd": args.wd, "epochs": args.epochs}
    journal = (args.journal or Path(tempfile.mkdtemp())) / "journal.jsonl"
    journal.parent.mkdir(parents=True, exist_ok=True)
    done = {}
    if journal.exists():
        for line in journal.read_text().splitlines():
            rec = json.loads(line)
            done[rec["key"]] = rec
    runs_here = 0

    def record(key: str, rec: dict) -> dict:
        nonlocal runs_here
        runs_here += 1
        rec = {"key": key, **rec}
        with journal.open("a") as f:
            f.write(json.dumps(rec) + "\n")
        done[key] = rec
        return rec

    scratch = Path(tempfile.mkdtemp(prefix="grok_ref_"))
    ref = scratch / "ref"
    commit = write_reference(args.reference_dir, ref)

    def split_for(ratio: float, seed: int):
        n = round(ratio * M * math.log(M))
        s = split_pairs(g, n_train=n, seed=seed)
        f = scratch / f"split_{ratio}_{seed}.pt"
        torch.save({"train_indices": torch.as_tensor(s.train), "test_indices": torch.as_tensor(s.test)}, f)
        return s, f

    traj_rows, rows = [], []
    tops = [None] + ([args.trajectory_ridge] if args.trajectory_ridge else [])
    seeds = list(map(int, args.trajectory_seeds.split(","))) if args.trajectory_seeds else []
    for ridge, seed in ((r, s) for r in tops for s in seeds):
        key = f"trajectory{'' if ridge is None else f'-ridge{ridge:g}'}/{args.trajectory_ratio}/{seed}"
        if key not in done:
            s, f = split_for(args.trajectory_ratio, seed)
            spec = {**base, "seed": seed, "split_file": str(f), "ridge": ridge}
            r = run_reference(args.reference_python, ref, spec, scratch / f"ref_{key.replace('/', '_')}")
            work = scratch / f"ll_{key.replace('/', '_')}"
            work.mkdir()
            o = run_learnless({**spec, "train": s.train.tolist(), "test": s.test.tolist(),
                               "init_w": "linear", "init": r["init"]}, work)
            record(key, {"ref": {k: r[k] for k in ("wall_seconds", "curves")}, "ours": o})
        rec = done[key]
        oc, rc = rec["ours"]["curves"], rec["ref"]["curves"]
        traj_rows.append({
            "group": g.name, "ratio": args.trajectory_ratio, "seed": seed,
            "top_layer": "adam" if ridge is None else f"ridge {ridge:g}",
            "n_train": round(args.trajectory_ratio * M * math.log(M)),
            **compare_curves(oc, rc),
            "grok_epoch_reference": grok_epoch(rc["test_acc"]),
            "grok_epoch_learnless": grok_epoch(oc["test_acc"]),
            "test_acc_reference": rc["test_acc"][-1],
            "test_acc_learnless": oc["test_acc"][-1],
            "wall_seconds_reference": rec["ref"]["wall_seconds"],
            "wall_seconds_learnless": rec["ours"]["wall_seconds"],
        })
        print(json.dumps(traj_rows[-1]), flush=True)

    for ratio in map(float, args.ratios.split(",")):
        for seed in map(int, args.seeds.split(",")):
            for side in ("reference", "learnless linear", "learnless uniform"):
                key = f"outcome/{ratio}/{seed}/{side}"
                if key not in done:
                    s, f = split_for(ratio, seed)
                    spec = {**base, "seed": seed, "split_file": str(f)}
                    tag = key.replace("/", "_").replace(" ", "_")
                    if side == "reference":
                        r = run_reference(args.reference_python, ref, spec, scratch / tag)
                    else:
                        (scratch / tag).mkdir()
                        r = run_learnless({**spec, "train": s.train.tolist(), "test": s.test.tolist(),
                                           "init_w": side.split()[1]}, scratch / tag)
                    acc = r["curves"]["test_acc"]
                    record(key, {"wall_seconds": r["wall_seconds"], "grok_epoch": grok_epoch(acc),
                                 "test_acc": acc[-1], "train_acc": r["curves"]["train_acc"][-1]})
                rec = done[key]
                rows.append({"group": g.name, "ratio": ratio, "seed": seed, "side": side,
                             "grok_epoch": rec["grok_epoch"], "test_acc": rec["test_acc"],
                             "train_acc": rec["train_acc"], "wall_seconds": rec["wall_seconds"]})
                print(json.dumps(rows[-1]), flush=True)

    summary_rows = []
    for ratio in sorted({r["ratio"] for r in rows}):
        for side in ("reference", "learnless linear", "learnless uniform"):
            sel = [r for r in rows if r["ratio"] == ratio and r["side"] == side]
            ge = [r["grok_epoch"] for r in sel if r["grok_epoch"] is not None]
            summary_rows.append({
                "group": g.name, "ratio": ratio, "side": side, "seeds": len(sel), "grokked": len(ge),
                "grok_epoch_median": statistics.median(ge) if ge else None,
                "grok_epochs": ",".join("-" if r["grok_epoch"] is None else str(r["grok_epoch"])
                                        for r in sel),
                "test_acc_median": statistics.median(r["test_acc"] for r in sel),
                "wall_seconds_median": statistics.median(r["wall_seconds"] for r in sel),
            })
    walls = {side: [r["wall_seconds"] for r in rows if r["side"] == side]
             for side in ("reference", "learnless linear")}
    summary = {
        "speed_ratio_reference_over_learnless": (
            statistics.median(walls["reference"]) / statistics.median(walls["learnless linear"])
            if walls["reference"] and walls["learnless linear"] else None
        ),
        # the ridge rows' logged losses differ by construction (the reference logs before re-solving V)
        "trajectory_max_loss_rel_diff_100": max(
            (r["loss_max_rel_diff_100"] for r in traj_rows if r["top_layer"] == "adam"), default=0.0
        ),
        "trajectory_grok_epochs_equal": sum(
            r["grok_epoch_reference"] == r["grok_epoch_learnless"] for r in traj_rows
        ),
        "trajectory_runs": len(traj_rows),
    }
    params = {**base, "group": g.name, "ratios": args.ratios, "seeds": args.seeds,
              "trajectory_seeds": args.trajectory_seeds, "trajectory_ratio": args.trajectory_ratio,
              "reference": f"facebookresearch/luckmatters@{commit} {REFERENCE_FILES[0]}",
              "reference_python": args.reference_python, "threads": 1,
              "runs_made_here": runs_here, "runs_from_journal": len(done) - runs_here}
    from learnless.report import save_result

    results = HERE / "results"
    save_result(f"{args.name}_trajectory", traj_rows, directory=results, params=params, summary=summary)
    save_result(f"{args.name}_outcomes", summary_rows, directory=results, params=params, summary=summary)
    save_result(f"{args.name}_runs", rows, directory=results, params=params)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
