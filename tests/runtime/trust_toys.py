"""Super-networks for the run-trust tests (loadable as `tests.runtime.trust_toys:NAME`)."""

import time

from learnless.errors import MissingFileError
from tests.search.toy import Toy


class Broken(Toy):
    """Every evaluation fails, as on a worker that cannot find its data."""

    def evaluate(self, config, metrics):
        raise MissingFileError("/nowhere/table.csv: missing; set --data-dir / LEARNLESS_DATA")


class Slow(Toy):
    def evaluate(self, config, metrics):
        time.sleep(0.2)
        return super().evaluate(config, metrics)


def broken():
    return Broken()


class SomeFail(Toy):
    """A third of the space fails."""

    def evaluate(self, config, metrics):
        if config["a_0"] == 3:
            raise RuntimeError("a_0 = 3 is not built")
        return super().evaluate(config, metrics)


def some_fail():
    return SomeFail()


def slow():
    return Slow()


class FileToy(Toy):
    """A super-network whose metrics depend on a data file ($LEARNLESS_TOY_DATA: {"offset": number}), which it
    declares through `data_fingerprint()`; each evaluation takes 0.3 s (long enough to be interrupted)."""

    def __init__(self):
        super().__init__()
        import json
        import os

        self.path = os.environ["LEARNLESS_TOY_DATA"]
        with open(self.path) as fh:
            self.offset = float(json.load(fh)["offset"])

    def data_fingerprint(self):
        import hashlib

        with open(self.path, "rb") as fh:
            return {"toy": hashlib.sha256(fh.read()).hexdigest()}

    def evaluate(self, config, metrics):
        time.sleep(0.3)
        out = super().evaluate(config, metrics)
        return {**out, "score": out["score"] + self.offset}


def from_file():
    return FileToy()
