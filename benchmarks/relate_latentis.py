"""Agreement with latentis (the paper authors' library) on random data: cosine / angular / change-of-basis
projections and linear CKA. Runs in a SEPARATE environment holding latentis (it pulls lightning, which
upgrades torch), with learnless on PYTHONPATH:

    python3 -m venv /tmp/latentis-venv
    /tmp/latentis-venv/bin/pip install -c <(echo torch==2.13.0) torch==2.13.0 latentis transformers
    scikit-learn
    PYTHONPATH=src /tmp/latentis-venv/bin/python benchmarks/relate_latentis.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from latentis.measure.functional.cka import linear_cka
from latentis.transform.projection import angular_proj, change_of_basis_proj, cosine_proj

from learnless.relate import RelativeProjection, cka
from learnless.report import save_result

HERE = Path(__file__).parent


def main() -> None:
    rows = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        x, a = rng.normal(size=(2000, 64)), rng.normal(size=(64, 64))
        y = np.tanh(x @ rng.normal(size=(64, 32)))
        xt, at = torch.from_numpy(x), torch.from_numpy(a)
        ours = {
            s: RelativeProjection(similarity=s).fit(a).transform(x) for s in ("cosine", "angular", "basis")
        }
        theirs = {
            "cosine": cosine_proj(xt, anchors=at).numpy(),
            # latentis' angular is angle / pi; ours is 1 - angle / pi (larger = closer)
            "angular": 1.0 - angular_proj(xt, anchors=at).numpy(),
            "basis": change_of_basis_proj(xt, anchors=at).numpy(),
        }
        row = {"seed": seed}
        for s, mine in ours.items():
            row[f"{s} max |diff|"] = float(np.abs(mine - theirs[s]).max())
        row["linear CKA ours"] = cka(x, y)
        row["linear CKA latentis"] = float(linear_cka(xt, torch.from_numpy(y)))
        row["CKA |diff|"] = abs(row["linear CKA ours"] - row["linear CKA latentis"])
        rows.append(row)
    worst = {k: max(r[k] for r in rows) for k in rows[0] if "diff" in k}
    import latentis

    save_result(
        "relate_latentis",
        rows,
        directory=HERE / "results",
        summary=worst,
        params={
            "latentis": getattr(latentis, "__version__", "0.0.8"),
            "torch": torch.__version__,
            "n": 2000,
            "d": 64,
            "anchors": 64,
        },
    )
    print(rows)
    print(worst)


if __name__ == "__main__":
    main()
