"""The relate section of `learnless demo`: rotation invariance, and zero-shot stitching of two MLPs trained
with different seeds on scikit-learn's digits (absolute vs relative heads)."""

from __future__ import annotations

import tempfile
import time


def run(quick: bool = False) -> list[dict]:
    from learnless.relate.experiments import invariance, stitching

    rows = []
    start = time.perf_counter()
    inv = invariance(seeds=1, n=500 if quick else 2000, n_anchors=100)
    worst = max(r["max_abs_diff"] for r in inv if r["transform"] == "rotation + rescale")
    rows.append({"capability": "relate", "what": "rel(x) under a random rotation + rescale",
                 "result": f"max |change| {worst:.1e}", "seconds": time.perf_counter() - start})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        r = stitching("digits", archs=("mlp",), seeds=2, n_anchors=300, epochs=10 if quick else 25, out=tmp)
    n = r["numbers"]
    rows.append({"capability": "relate", "what": "digits: MLP encoder of seed A + head of seed B (2 pairs)",
                 "result": f"relative {100 * n['relative.stitched_mean']:.1f} % vs non-stitched "
                           f"{100 * n['relative.non_stitched']:.1f} %; absolute "
                           f"{100 * n['absolute.stitched_mean']:.1f} %",
                 "seconds": time.perf_counter() - start})
    return rows
