"""Layer map of two seeds of the same MNIST CNN (learnless.relate.models:mnist_cnn): trained on the 8,000 /
2,000 split of the MNIST test images (`relate stitch`'s split), layers extracted on the 2,000 held-out images
by `learnless relate extract`, compared by `learnless relate layers`. Target: in every row the same layer of
the other seed scores highest under CKA. Two maps: the named blocks (conv1, conv2, fc1, fc2) and every
leaf module.

    PYTHONPATH=src LEARNLESS_DATA=... nice -n 5 python benchmarks/relate_layer_map.py [--epochs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from learnless.report import save_result

HERE = Path(__file__).parent
WORK = Path(os.environ.get("LEARNLESS_BENCH_WORK", "runs/relate-bench"))
BLOCKS = "conv1,conv2,fc1,fc2"


def trained_weights(seed: int, epochs: int) -> Path:
    """State dict of mnist_cnn trained with `seed` (cached in WORK)."""
    import torch

    from learnless.relate.models import mnist_cnn, train_classifier
    from learnless.relate.stitching import load_images

    path = WORK / f"mnist_cnn_seed{seed}_e{epochs}.pt"
    if not path.exists():
        xtr, ytr, _, _ = load_images("mnist")
        torch.set_num_threads(2)
        model = train_classifier(mnist_cnn, xtr, ytr, seed=seed, epochs=epochs)
        WORK.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), path)
    return path


def test_accuracy(weights: Path) -> float:
    import torch

    from learnless.relate.models import mnist_cnn
    from learnless.relate.stitching import load_images

    _, _, xte, yte = load_images("mnist")
    m = mnist_cnn()
    m.load_state_dict(torch.load(weights, weights_only=True))
    m.eval()
    with torch.no_grad():
        return float((m(torch.from_numpy(xte)).argmax(1).numpy() == yte).mean())


def cli(*args: str) -> dict:
    exe = Path(sys.executable).parent / "learnless"
    r = subprocess.run([str(exe), "relate", *args, "--json", "--force"], capture_output=True, text=True,
                       check=False)
    if r.returncode != 0:
        raise SystemExit(f"learnless relate {' '.join(args)} failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def _r(v):
    return None if v is None else round(v, 4)


def main() -> None:
    from learnless.relate.stitching import load_images

    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seeds", type=int, nargs=2, default=[0, 1])
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--permutations", type=int, default=10)
    p.add_argument("--bootstrap", type=int, default=50)
    p.add_argument("--maps", default="blocks,leaves", help="which maps: blocks and / or leaves")
    args = p.parse_args()
    load = [round(v, 2) for v in os.getloadavg()]
    _, _, xte, _ = load_images("mnist")
    WORK.mkdir(parents=True, exist_ok=True)
    np.save(WORK / "mnist_heldout.npy", xte)
    rows, summary = [], {"load average at start": load}
    for s in args.seeds:
        summary[f"test accuracy seed {s}"] = test_accuracy(trained_weights(s, args.epochs))
    for tag, layers in (("blocks", BLOCKS), ("leaves", None)):
        if tag not in args.maps.split(","):
            continue
        dirs = []
        for s in args.seeds:
            out = WORK / f"extract-{tag}-seed{s}"
            if (out / "layers.json").exists():  # a finished extraction of the same cached weights
                dirs.append(out)
                continue
            cli("extract", "--model", "learnless.relate.models:mnist_cnn", "--weights",
                str(trained_weights(s, args.epochs)), "--data", str(WORK / "mnist_heldout.npy"),
                *(["--layers", layers] if layers else []), "--out", str(out), "-q")
            dirs.append(out)
        out = WORK / f"layers-{tag}"
        if not (out / "layer_map.json").exists():
            cli("layers", str(dirs[0]), str(dirs[1]), "--samples", str(args.samples), "--permutations",
                str(args.permutations), "--bootstrap", str(args.bootstrap), "--out", str(out), "-q")
        result = json.loads((out / "layer_map.json").read_text())
        index = {(c["a"], c["b"]): c for c in result["cells"]}
        hits = 0
        for a in result["layers_a"]:
            best = result["best_b_by_cka"][a]
            c = index[(a, a)]
            second = max(v["cka"] for (x, y), v in index.items() if x == a and y != a)
            hits += best == a
            k = result["k"]
            rows.append({"map": tag, "layer (seed A)": a, "best layer of seed B": best,
                         "CKA same layer": round(c["cka"], 4), "CI": [round(v, 4) for v in c["cka.ci"]],
                         "null": round(c["cka.null"], 4), "p": round(c["cka.p"], 4),
                         "best other layer CKA": round(second, 4),
                         f"relative MRR@{k}": round(c.get(f"relative.mrr@{k}", float("nan")), 4),
                         f"mutual-kNN@{k} raw": _r(c.get(f"mutual_knn@{k}")),
                         "mutual-kNN calibrated": _r(c.get(f"mutual_knn@{k}.calibrated"))})
        summary[f"{tag}: rows whose best column is the same layer"] = f"{hits} / {len(result['layers_a'])}"
        for key in (f"relative.mrr@{result['k']}", f"mutual_knn@{result['k']}.calibrated"):
            best = {a: max((c for c in result["cells"] if c["a"] == a), key=lambda c: c.get(key, -1.0))["b"]
                    for a in result["layers_a"]}
            same = sum(b == a for a, b in best.items())
            summary[f"{tag}: rows whose best column under {key} is the same layer"] = (
                f"{same} / {len(result['layers_a'])}")
        save_result("relate_layer_map_mnist", rows, directory=HERE / "results",
                    summary={**summary, "partial": True}, params=vars(args))
        if tag == "blocks":
            import shutil

            shutil.copy(out / "layer_map.png", HERE.parent / "docs" / "img" / "relate_layer_map_mnist.png")
    summary["load average at end"] = [round(v, 2) for v in os.getloadavg()]
    save_result("relate_layer_map_mnist", rows, directory=HERE / "results", summary=summary,
                params=vars(args))
    for r in rows:
        print(r)
    print(summary)


if __name__ == "__main__":
    main()
