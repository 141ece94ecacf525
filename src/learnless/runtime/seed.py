"""One call to seed every random number generator a run touches."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python, NumPy's legacy global state and torch; return a fresh NumPy Generator for new code."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:  # pragma: no cover - torch is a dependency, but keep seeding usable without it
        pass
    return np.random.default_rng(seed)
