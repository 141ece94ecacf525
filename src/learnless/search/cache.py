"""`EvaluationCache`: a super-network whose evaluations are journaled under the canonical config, so that
searches with other tactics or seeds (or a rerun) never validate a sub-network twice — its accuracy and its
measured latency do not depend on who asks. One process writes the journal: use an in-process executor."""

from __future__ import annotations


class EvaluationCache:
    """`net` with every `evaluate` result kept in a learnless Journal at `path` (see the module docstring)."""

    def __init__(self, net, path):
        from learnless.runtime import Journal
        from learnless.search.protocol import load_supernet, space_of

        self.net = load_supernet(net)
        self._space = space_of(self.net)
        self.journal = Journal(path)
        self.hits = self.misses = 0

    def __getattr__(self, name):  # space(), inactive(), metrics(), build() ... of the wrapped net
        if name == "net":
            raise AttributeError(name)
        return getattr(self.net, name)

    def key(self, config) -> str:
        return self._space.key(self._space.to_vector(config))

    def evaluate(self, config, metrics):
        key = self.key(config)
        if key in self.journal:
            cached = self.journal[key]
            if all(m in cached for m in metrics):
                self.hits += 1
                return dict(cached)
        self.misses += 1
        out = dict(self.net.evaluate(dict(config), list(metrics)))
        self.journal.append(key, {k: float(v) for k, v in out.items()})
        return out

    def records(self) -> list[dict]:
        return [v for _, v in self.journal.items()]
