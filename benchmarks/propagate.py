"""Benchmark: 10 hops of 128 features on a 1M-node, 10M-edge random graph (target: < 60 s, < 4 GB on 2 cores).

Each mode runs in a fresh subprocess so that its peak RSS is its own:
  stream  - every hop of every feature computed and handed to a consumer chunk by chunk (here: a running
            checksum), the form DGMLP's node-adaptive combination uses; memory is adj + x + two chunk buffers.
  memmap  - every hop written to an on-disk (11, n, 128) float32 .npy through `propagate(out=memmap)`.
  inmem   - every hop kept in RAM: the result alone is 11 x 1M x 128 x 4 B = 5.6 GB, so this mode cannot meet
            a 4 GB budget by construction; it is run with --include-inmem only.
Usage: python benchmarks/propagate.py [--nodes 1000000] [--edges 10000000] [--features 128] [--hops 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def build(nodes: int, edges: int, features: int, seed: int = 0):
    import numpy as np
    import scipy.sparse as sp

    from learnless.graph import normalize_adjacency

    rng = np.random.default_rng(seed)
    r = rng.integers(0, nodes, edges, dtype=np.int64)
    c = rng.integers(0, nodes, edges, dtype=np.int64)
    a = sp.coo_matrix((np.ones(edges, np.float32), (r, c)), shape=(nodes, nodes)).tocsr()
    del r, c
    a = a.maximum(a.T).tocsr()  # undirected: ~2 x edges stored non-zeros
    adj = normalize_adjacency(a, "sym")
    del a
    x = rng.standard_normal((nodes, features), dtype=np.float32)
    return adj, x


def run_mode(mode: str, nodes: int, edges: int, features: int, hops: int) -> dict:
    import numpy as np
    from _common import peak_rss_mb, timed

    from learnless.graph.propagate import iter_propagate, propagate

    with timed() as t_build:
        adj, x = build(nodes, edges, features)
    rss_inputs = peak_rss_mb()
    with timed() as t:
        if mode == "stream":
            checksum = 0.0
            for _, k, block in iter_propagate(adj, x, hops):
                if k == hops:
                    checksum += float(block.sum(dtype=np.float64))
        elif mode == "memmap":
            with tempfile.TemporaryDirectory() as tmp:
                out = np.lib.format.open_memmap(Path(tmp) / "hops.npy", mode="w+", dtype=np.float32,
                                                shape=(hops + 1, nodes, features))
                propagate(adj, x, hops, out=out)
                out.flush()
                checksum = float(out[hops].sum(dtype=np.float64))
                del out
        else:
            out = propagate(adj, x, hops)
            checksum = float(out[hops].sum(dtype=np.float64))
    return {"mode": mode, "nodes": nodes, "stored_nonzeros": int(adj.nnz), "features": features, "hops": hops,
            "build_seconds": round(t_build["seconds"], 2), "propagate_seconds": round(t["seconds"], 2),
            "peak_rss_mb": round(peak_rss_mb(), 1), "rss_after_inputs_mb": round(rss_inputs, 1),
            "checksum_last_hop": checksum}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, default=1_000_000)
    p.add_argument("--edges", type=int, default=10_000_000, help="undirected random edges drawn")
    p.add_argument("--features", type=int, default=128)
    p.add_argument("--hops", type=int, default=10)
    p.add_argument("--include-inmem", action="store_true")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        print(json.dumps(run_mode(args.worker, args.nodes, args.edges, args.features, args.hops)))
        return
    from _common import save_rows

    modes = ["stream", "memmap"] + (["inmem"] if args.include_inmem else [])
    rows = []
    for mode in modes:
        cmd = [sys.executable, __file__, "--worker", mode, "--nodes", str(args.nodes), "--edges",
               str(args.edges),
               "--features", str(args.features), "--hops", str(args.hops)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        row = json.loads(out)
        rows.append(row)
        print(f"{mode:7s} propagate {row['propagate_seconds']:7.2f} s   peak RSS {row['peak_rss_mb']:8.1f} "
              f"MiB   "
              f"(graph build {row['build_seconds']:.1f} s, {row['stored_nonzeros']:,} stored non-zeros)")
    path = save_rows("propagate", rows, params=vars(args))
    print(f"saved {path}")


if __name__ == "__main__":
    main()
