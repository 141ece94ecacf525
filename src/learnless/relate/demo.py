"""The relate section of `learnless demo`: rotation invariance, and zero-shot stitching of two MLPs trained
with different seeds on scikit-learn's digits (absolute vs relative heads)."""

from __future__ import annotations

import tempfile
import time


def run(quick: bool = False) -> list[dict]:
    from learnless.demo import value
    from learnless.relate.experiments import invariance, stitching

    rows = []
    start = time.perf_counter()
    inv = invariance(seeds=1, n=500 if quick else 2000, n_anchors=100)
    worst = max(r["max_abs_diff"] for r in inv if r["transform"] == "rotation + rescale")
    rows.append({"capability": "relate", "what": "rel(x) under a random rotation + rescale",
                 "result": f"max |change| {worst:.1e}", "values": [value("max_abs_change", worst)],
                 "seconds": time.perf_counter() - start})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        r = stitching("digits", archs=("mlp",), seeds=2, n_anchors=300, epochs=10 if quick else 25, out=tmp)
    n = r["numbers"]
    relative, non_stitched, absolute = (100 * n[k] for k in (
        "relative.stitched_mean", "relative.non_stitched", "absolute.stitched_mean"))
    rows.append({"capability": "relate", "what": "digits: MLP encoder of seed A + head of seed B (2 pairs)",
                 "result": f"relative {relative:.1f} % vs non-stitched {non_stitched:.1f} %; absolute "
                           f"{absolute:.1f} %",
                 "values": [value("relative_stitched_accuracy", relative, "%"),
                            value("relative_non_stitched_accuracy", non_stitched, "%"),
                            value("absolute_stitched_accuracy", absolute, "%")],
                 "seconds": time.perf_counter() - start})
    return rows
