"""Tactics: who proposes the next sub-networks to validate.

  random        uniform samples, never one already validated;
  evolutionary  pymoo GA (1 objective), NSGA-II (2), U-NSGA-III (3) driven by ask/tell on validated results;
  linas         refit one predictor per metric on every validated result, run the same pymoo algorithm on the
                predictors only (`inner_evals` predictor evaluations), and propose its final population minus
                what is already validated (topped up with random samples).

A tactic works on integer vectors (one choice index per parameter), objectives minimised, constraints as
violations G <= 0. `propose(n, history)` returns vectors; `observe(X, F, G)` reports their validated values.
"""

from __future__ import annotations

import time

import numpy as np

from learnless.errors import ConfigError
from learnless.search.predictors import AutoPredictor, kendall_tau, mape
from learnless.search.space import SearchSpace

TACTICS = ("linas", "evolutionary", "random")
FAILED = 1e12  # the objective value pymoo sees for a failed evaluation


def _algorithm(n_obj: int, pop: int, sampling=None):
    from pymoo.operators.crossover.sbx import SBX
    from pymoo.operators.mutation.pm import PM
    from pymoo.operators.repair.rounding import RoundingRepair
    from pymoo.operators.sampling.rnd import IntegerRandomSampling

    kw = {
        "pop_size": pop,
        "sampling": IntegerRandomSampling() if sampling is None else sampling,
        "crossover": SBX(prob=0.9, eta=15, vtype=float, repair=RoundingRepair()),
        "mutation": PM(eta=20, vtype=float, repair=RoundingRepair()),
        "eliminate_duplicates": True,
    }
    if n_obj == 1:
        from pymoo.algorithms.soo.nonconvex.ga import GA

        return GA(**kw)
    if n_obj == 2:
        from pymoo.algorithms.moo.nsga2 import NSGA2

        return NSGA2(**kw)
    from pymoo.algorithms.moo.unsga3 import UNSGA3
    from pymoo.util.ref_dirs import get_reference_directions

    return UNSGA3(get_reference_directions("das-dennis", n_obj, n_partitions=max(2, int(np.sqrt(pop)))), **kw)


def _problem(space: SearchSpace, n_obj: int, n_constr: int, fn=None):
    from pymoo.core.problem import Problem

    class _P(Problem):
        def __init__(self):
            super().__init__(
                n_var=len(space), n_obj=n_obj, n_ieq_constr=n_constr, xl=0, xu=space.sizes - 1, vtype=int
            )

        def _evaluate(self, X, out, *args, **kwargs):
            F, G = fn(np.round(X).astype(np.int64))
            out["F"] = F
            if n_constr:
                out["G"] = G

    return _P()


class Tactic:
    def __init__(
        self, space: SearchSpace, n_obj: int, n_constr: int, population: int, seed: int, extra_features=None
    ):
        self.space, self.n_obj, self.n_constr = space, n_obj, n_constr
        self.extra_features = extra_features  # the super-network's optional features(X) -> {view: array}
        self.population, self.seed = population, seed
        self.rng = np.random.default_rng(seed)
        self.log: list[dict] = []  # per-proposal diagnostics (LINAS: predictor choice, tau, MAPE, seconds)

    def propose(self, n: int, history) -> np.ndarray:
        raise NotImplementedError

    def observe(self, X, F, G) -> None:
        pass

    def _novel_random(self, n: int, seen: set) -> list[np.ndarray]:
        out = []
        for _ in range(50):
            for x in self.space.canonical(self.space.sample(max(n, 8), self.rng)):
                k = self.space.key(x)
                if k not in seen:
                    seen.add(k)
                    out.append(x)
                    if len(out) == n:
                        return out
        return out  # the space is (nearly) exhausted


class RandomTactic(Tactic):
    def propose(self, n, history):
        return np.array(self._novel_random(n, set(history.keys)), dtype=np.int64).reshape(-1, len(self.space))


class EvolutionaryTactic(Tactic):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.algorithm = _algorithm(self.n_obj, self.population)
        self.algorithm.setup(
            _problem(self.space, self.n_obj, self.n_constr),
            termination=("n_gen", 10**9),
            seed=self.seed,
            verbose=False,
        )
        self._pop = None

    def propose(self, n, history):
        self._pop = self.algorithm.ask()
        return np.round(self._pop.get("X")).astype(np.int64)

    def observe(self, X, F, G):
        if self._pop is None or len(X) != len(self._pop):
            return
        self._pop.set("F", np.asarray(F, float))
        if self.n_constr:
            self._pop.set("G", np.asarray(G, float))
        self.algorithm.tell(infills=self._pop)
        self._pop = None


class LinasTactic(Tactic):
    def __init__(self, *a, inner_evals: int = 20000, families=("ridge", "svr", "gbt"), **k):
        super().__init__(*a, **k)
        self.inner_evals = inner_evals
        self.families = tuple(families)
        self.predictors: list | None = None

    def _fit(self, history) -> dict:
        X, F, G = history.arrays(ok_only=True)
        feats = self.features(X)
        info = {"validated": len(X)}
        targets = [F[:, j] for j in range(F.shape[1])] + [G[:, j] for j in range(G.shape[1])]
        new = history.last_batch_mask()  # held-out: the last batch, predicted by the previous predictors
        if self.predictors is not None and new.any():
            for j, (pred, y) in enumerate(zip(self.predictors, targets)):
                p = pred.predict({k: v[new] for k, v in feats.items()})
                info[f"tau_{j}"] = kendall_tau(y[new], p)
                info[f"mape_{j}"] = mape(y[new], p)
        self.predictors = [AutoPredictor(self.families, seed=self.seed).fit(feats, y) for y in targets]
        info["chosen"] = [p.chosen_ for p in self.predictors]
        return info

    def features(self, X) -> dict:
        """Predictor inputs: the masked one-hot encoding, plus any views the super-network offers."""
        views = {"onehot": self.space.features(X)}
        if self.extra_features is not None:
            views.update(self.extra_features(X))
        return views

    def _predict(self, X):
        feats = self.features(X)
        out = np.column_stack([p.predict(feats) for p in self.predictors])
        return out[:, : self.n_obj], out[:, self.n_obj :]

    def propose(self, n, history):
        seen = set(history.keys)
        if len(history) < max(4, min(self.population, 10)):
            return np.array(self._novel_random(n, seen), dtype=np.int64).reshape(-1, len(self.space))
        from pymoo.optimize import minimize
        from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

        start = time.perf_counter()
        info = self._fit(history)
        fitted = time.perf_counter()
        # The inner loop starts from the best validated sub-networks (by non-dominated rank), topped up
        # randomly.
        X, F, G = history.arrays(ok_only=True)
        Fp = F + 1e6 * G.clip(min=0).sum(axis=1, keepdims=True) if G.shape[1] else F
        order = np.concatenate(NonDominatedSorting().do(Fp))[: self.population]
        start_X = X[order]
        if len(start_X) < self.population:
            start_X = np.vstack([start_X, self.space.sample(self.population - len(start_X), self.rng)])
        problem = _problem(self.space, self.n_obj, self.n_constr, fn=self._predict)
        res = minimize(
            problem,
            _algorithm(self.n_obj, self.population, sampling=start_X.astype(float)),
            ("n_gen", max(1, self.inner_evals // self.population)),
            seed=int(self.rng.integers(2**31)),
            verbose=False,
        )
        cand = self.space.canonical(np.round(res.pop.get("X")).astype(np.int64))
        out = []
        for x in cand:
            k = self.space.key(x)
            if k not in seen:
                seen.add(k)
                out.append(x)
            if len(out) == n:
                break
        info["from_inner_loop"] = len(out)
        if len(out) < n:
            out += self._novel_random(n - len(out), seen)
        info["fit_seconds"] = fitted - start
        info["inner_seconds"] = time.perf_counter() - fitted
        self.log.append(info)
        return np.array(out, dtype=np.int64).reshape(-1, len(self.space))


def make_tactic(name: str, space, n_obj, n_constr, population, seed, **kw) -> Tactic:
    if name == "random":
        return RandomTactic(space, n_obj, n_constr, population, seed)
    if name == "evolutionary":
        return EvolutionaryTactic(space, n_obj, n_constr, population, seed)
    if name == "linas":
        return LinasTactic(space, n_obj, n_constr, population, seed, **kw)
    raise ConfigError(f"--tactic: unknown {name!r}; expected one of {', '.join(TACTICS)}")
