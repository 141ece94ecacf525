"""Contract cases of the relate capability."""

from __future__ import annotations

import numpy as np

from tests.contract.contract import Call, Case


def _anchors():
    return (np.random.default_rng(0).normal(size=(8, 5)),)


def cases() -> list[Case]:
    from learnless.relate import RelativeProjection

    x = np.random.default_rng(1).normal(size=(20, 5))
    return [Case("RelativeProjection", lambda: RelativeProjection(chunk_size=7), _anchors,
                 calls=[Call("transform", (x,))], bad_params={"similarity": "dot"},
                 huge=lambda: (np.broadcast_to(1.0, (10**8, 10**6)),))]
