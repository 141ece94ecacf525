"""Toy super-networks for the search tests (loadable as `tests.search.toy:factory`)."""

import math


class Toy:
    """depth in {1..4}; a_i in {1, 2, 3}; a_i unused when i >= depth. score rises with a, cost with a^2."""

    def __init__(self, fail_on=None, nan_on=None, cost_scale: float = 1.0):
        self.fail_on, self.nan_on, self.cost_scale = fail_on, nan_on, cost_scale
        self.calls = 0

    def space(self):
        return {"depth": [1, 2, 3, 4], **{f"a_{i}": [1, 2, 3] for i in range(4)}}

    def inactive(self, config):
        return {f"a_{i}" for i in range(config["depth"], 4)}

    def metrics(self):
        return ["score", "cost"]

    def evaluate(self, config, metrics):
        self.calls += 1
        active = [config[f"a_{i}"] for i in range(config["depth"])]
        if self.fail_on is not None and active == self.fail_on:
            raise RuntimeError("boom")
        score = math.log1p(sum(active)) + 0.1 * config["depth"]
        if self.nan_on is not None and active == self.nan_on:
            score = float("nan")
        return {"score": score, "cost": self.cost_scale * float(sum(a * a for a in active))}


def factory():
    return Toy()


def scaled(cost_scale: float = 1.0):
    """A factory with an argument, for `search run --supernet-arg cost_scale=...`."""
    return Toy(cost_scale=cost_scale)


def failing():
    return Toy(fail_on=[3], nan_on=[2])


def not_a_supernet():
    return object()
