"""Objectives (`name:min` / `name:max`), constraints (`latency<=20`), Pareto fronts and hypervolume
(pymoo)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from learnless.errors import ConfigError


@dataclass(frozen=True)
class Objective:
    name: str
    sense: str  # "min" | "max"

    @classmethod
    def parse(cls, text: str) -> Objective:
        name, sep, sense = str(text).strip().rpartition(":")
        if not sep or not name or sense not in ("min", "max"):
            raise ConfigError(f"--objectives: expected NAME:min or NAME:max, got {text!r}")
        return cls(name, sense)

    def to_min(self, value: float) -> float:
        """The value as a quantity to minimise (pymoo's convention)."""
        return -value if self.sense == "max" else value

    def __str__(self) -> str:
        return f"{self.name}:{self.sense}"


_CONSTRAINT = re.compile(r"^\s*([A-Za-z_][\w@.\-]*)\s*(<=|>=)\s*([-+0-9.eE]+)\s*$")


@dataclass(frozen=True)
class Constraint:
    name: str
    op: str  # "<=" | ">="
    bound: float

    @classmethod
    def parse(cls, text: str) -> Constraint:
        m = _CONSTRAINT.match(str(text))
        if not m:
            raise ConfigError(f"--constraint: expected NAME<=VALUE or NAME>=VALUE, got {text!r}")
        try:
            bound = float(m.group(3))
        except ValueError:
            raise ConfigError(f"--constraint: {m.group(3)!r} is not a number in {text!r}") from None
        return cls(m.group(1), m.group(2), bound)

    def violation(self, value: float) -> float:
        """0 when met, else how far off (pymoo's G <= 0 convention)."""
        return max(0.0, value - self.bound) if self.op == "<=" else max(0.0, self.bound - value)

    def __str__(self) -> str:
        return f"{self.name}{self.op}{self.bound:g}"


def parse_objectives(items) -> list[Objective]:
    objs = [o if isinstance(o, Objective) else Objective.parse(o) for o in items]
    if not 1 <= len(objs) <= 3:
        raise ConfigError(f"--objectives: expected 1 to 3 objectives, got {len(objs)}")
    names = [o.name for o in objs]
    if len(set(names)) != len(names):
        raise ConfigError(f"--objectives: an objective is listed twice ({', '.join(names)})")
    return objs


def parse_constraints(items) -> list[Constraint]:
    return [c if isinstance(c, Constraint) else Constraint.parse(c) for c in items or ()]


def pareto_mask(F: np.ndarray) -> np.ndarray:
    """Non-dominated rows of F (all objectives minimised)."""
    F = np.asarray(F, dtype=float)
    if len(F) == 0:
        return np.zeros(0, dtype=bool)
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    first = NonDominatedSorting().do(F, only_non_dominated_front=True)
    mask = np.zeros(len(F), dtype=bool)
    mask[first] = True
    return mask


def hypervolume(F: np.ndarray, reference: np.ndarray) -> float:
    """Hypervolume of the points F (minimised) dominated-bounded by `reference` (pymoo.indicators.hv.HV)."""
    from pymoo.indicators.hv import HV

    F = np.asarray(F, dtype=float)
    reference = np.asarray(reference, dtype=float)
    if len(F) == 0:
        return 0.0
    inside = np.all(F < reference, axis=1)
    if not inside.any():
        return 0.0
    return float(HV(ref_point=reference)(F[inside]))
