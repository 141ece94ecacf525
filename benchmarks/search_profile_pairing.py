"""Why `search profile` pairs every timed pass with a reference sub-network's: the same sub-networks timed in
three rounds, each round both unpaired (`hardware.measure_latency`, the median of its passes) and paired
(`hardware.measure_relative_latency`, the median ratio to the reference's pass just before), and how alike
the rounds rank them (Kendall tau between each pair of rounds). One pinned core, one thread, the thread clock,
the passes `search profile` gives each sub-network.

    PYTHONPATH=src python benchmarks/search_profile_pairing.py [--supernet ofa-mbv3] [--samples 60]

Writes benchmarks/results/search_profile_pairing.{json,md}.
"""

from __future__ import annotations

import argparse
import time
import warnings
from itertools import combinations

import numpy as np
from _common import RESULTS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--supernet", nargs="+", default=["ofa-mbv3"])
    ap.add_argument("--samples", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from scipy.stats import kendalltau

    from learnless.report import markdown_table, save_result
    from learnless.search import load_supernet
    from learnless.search.hardware import measure_latency, measure_relative_latency
    from learnless.search.profile import (
        latency_shape,
        one_torch_thread,
        passes_for,
        pinned,
        reference_config,
        sample_configs,
    )
    from learnless.search.protocol import space_of

    rows = []
    for name in args.supernet:
        net = load_supernet(name)
        space = space_of(net)
        configs = [space.to_config(x) for x in sample_configs(space, args.samples, args.seed)]
        unpaired, paired = np.zeros((3, len(configs))), np.zeros((3, len(configs)))
        start = time.perf_counter()
        with pinned(None), one_torch_thread(), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ref_config = reference_config(space)
            reference, ref_shape = net.build(ref_config), latency_shape(net, ref_config)
            passes = {}
            for r in range(3):
                for i in range(len(configs)) if r % 2 == 0 else reversed(range(len(configs))):
                    module, shape = net.build(configs[i]), latency_shape(net, configs[i])
                    passes.setdefault(i, passes_for(module, shape, 10, "thread"))
                    unpaired[r, i] = measure_latency(module, shape, repeats=passes[i], warmup=2,
                                                     clock="thread")["median_ms"]
                    paired[r, i] = measure_relative_latency(module, shape, reference, ref_shape,
                                                            repeats=passes[i], warmup=2)["ratio"]
        for label, M in (("unpaired", unpaired), ("paired", paired)):
            taus = [kendalltau(M[a], M[b])[0] for a, b in combinations(range(3), 2)]
            rows.append({"supernet": name, "timing": label, "sub-networks": len(configs),
                         "rounds tau (mean)": float(np.mean(taus)), "rounds tau (min)": float(min(taus)),
                         "rounds tau (max)": float(max(taus)), "seconds": time.perf_counter() - start})
    save_result("search_profile_pairing", rows, directory=RESULTS, params=vars(args),
                formats={"rounds tau (mean)": ".3f", "rounds tau (min)": ".3f", "rounds tau (max)": ".3f",
                         "seconds": ".0f"})
    print(markdown_table(rows))


if __name__ == "__main__":
    main()
