"""One benchmark cell in its own process, so that its wall time and peak memory are its own.

    python benchmarks/_cell.py MODEL DATASET [--protocol exact] [--time-budget S] [--k 3] [--workers 1]

Prints one JSON line: the metrics plus wall_seconds (load + fit + evaluate) and peak_rss_mb (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("dataset")
    p.add_argument("--protocol", default="exact")
    p.add_argument("--time-budget", type=float, default=None)
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args()
    warnings.simplefilter("ignore")
    from learnless.data import load_interactions
    from learnless.errors import ConfigError
    from learnless.recommend.evaluate import evaluate
    from learnless.recommend.models import fit_info, make_model
    from learnless.runtime import get_executor

    start = time.perf_counter()
    data = load_interactions(a.dataset)
    model = make_model(a.model, common={"k": a.k, "time_budget": a.time_budget})
    out = {"model": a.model, "dataset": a.dataset, "protocol": a.protocol}
    try:
        t = time.perf_counter()
        model.fit(data, val=data.val)
        out["fit_seconds"] = time.perf_counter() - t
        with get_executor("local", a.workers) as ex:
            out.update(evaluate(model, data, topk=(20, 40), protocol=a.protocol, executor=ex))
        out.update(fit_info(model))
    except ConfigError as exc:
        out["skipped"] = str(exc)
    out["wall_seconds"] = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["peak_rss_mb"] = max(rss, kids) / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
