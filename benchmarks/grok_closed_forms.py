"""Benchmark (Thm 2, Cor. 1, Cor. 2): on the full table, the maximum of the energy inside each non-trivial
component against Thm 2's closed form E* = M/(8d) (real irrep) or M/(16d) (complex pair), unit-norm inputs,
sigma = x^2; and the tangent Hessian there (all eigenvalues <= 0: a local maximum on the whole sphere; a zero
eigenvalue: Cor. 1's flat maximum). Abelian (odd and even M, products) and non-abelian groups. Seconds.
Writes benchmarks/results/grok_closed_forms.{json,md}.

    PYTHONPATH=src python benchmarks/grok_closed_forms.py [--groups Z7,Z8,Z2xZ3,Z3xZ3,S3,D4,D5,S4]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from learnless.grok.energy import closed_form_energy, node_energy, riemannian_hessian, training_tensors
from learnless.grok.groups import Split, parse_group
from learnless.grok.landscape import full_table_maxima
from learnless.report import save_result

ROOT = Path(__file__).resolve().parents[1]
ZERO = 1e-4  # an eigenvalue below ZERO * |smallest| in magnitude counts as zero (float32 ascent)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="Z7,Z8,Z2xZ3,Z3xZ3,S3,D4,D5,S4")
    args = ap.parse_args()
    rows = []
    for spec in args.groups.split(","):
        g = parse_group(spec)
        full = Split(train=np.arange(g.order**2), test=np.arange(0))
        a, b, yt = training_tensors(g, full)
        for i, w in full_table_maxima(g).items():
            comp = g.components[i]
            e = float(node_energy(g, full, w[None].numpy())[0])
            e_star = closed_form_energy(g, i)
            ev = np.asarray(riemannian_hessian(w, a, b, yt, g.order))
            scale = abs(ev.min())
            rows.append({"group": spec, "order": g.order, "component": comp.label, "dim": comp.dim,
                         "kind": "complex pair" if comp.complex_pair else "real",
                         "closed_form": e_star, "found": round(e, 5), "rel_error": abs(e - e_star) / e_star,
                         "hessian_max": float(ev.max()), "hessian_min": float(ev.min()),
                         "zero_eigenvalues": int((np.abs(ev) < ZERO * scale).sum()),
                         "local_max": bool(ev.max() < ZERO * scale)})
            print(rows[-1], flush=True)
    summary = {"components": len(rows), "max_rel_error": max(r["rel_error"] for r in rows),
               "all_local_maxima": all(r["local_max"] for r in rows),
               "flat_where_continuum": all((r["zero_eigenvalues"] > 0) == (r["kind"] == "complex pair"
                                                                            or r["dim"] >= 2) for r in rows)}
    save_result("grok_closed_forms", rows, directory=ROOT / "benchmarks" / "results", params=vars(args),
                summary=summary)
    print(summary)


if __name__ == "__main__":
    main()
