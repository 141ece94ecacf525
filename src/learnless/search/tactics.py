"""Tactics: who proposes the next sub-networks to validate.

  random        uniform samples, never one already validated;
  evolutionary  pymoo GA (1 objective), NSGA-II (2), U-NSGA-III (3) driven by ask/tell on validated results;
  linas         refit one predictor per metric on every validated result, run NSGA-II (or GA / U-NSGA-III)
                on the predictors only (`inner_evals` predictor evaluations), and propose a batch spread
                along the predicted front of everything it evaluated, minus what is already validated
                (topped up with random samples).

A tactic works on integer vectors (one choice index per parameter), objectives minimised, constraints as
violations G <= 0. `propose(n, history)` returns vectors; `observe(X, F, G)` reports their validated values.
"""

from __future__ import annotations

import time

import numpy as np

from learnless.errors import ConfigError
from learnless.search.predictors import AutoPredictor, kendall_tau, mape
from learnless.search.space import SearchSpace

TACTICS = ("linas", "evolutionary", "random")  # the names of REGISTRY (below its classes)
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
    """A tactic's base: `takes` names the study options (beyond space, objectives, population and seed) the
    tactic's constructor accepts; `journal_params()` the ones that make its journal distinct."""

    takes: tuple[str, ...] = ()

    def journal_params(self) -> dict:
        return {"inner_evals": None}

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
        if self._pop is None:
            # pymoo found no offspring that is not a duplicate (a small or nearly exhausted space): go on with
            # novel random samples; observe() skips telling pymoo about them.
            fresh = self._novel_random(n, set(history.keys))
            return np.array(fresh, dtype=np.int64).reshape(-1, len(self.space))
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
    """LINAS (see the module docstring). Design choices beyond DyNAS-T's loop:

    - `batch` sub-networks are validated per iteration (default: the population); the inner loop keeps its
      `population`. Smaller batches mean more predictor refits per validated sub-network.
    - The next batch is picked from every candidate the inner loop evaluated (an archive, de-duplicated up
      to inactive slots), never one already validated, by predicted non-dominated rank and then crowding
      distance: spread along the predicted front rather than the final population's clusters.
    - With two objectives the inner loop is `inner_nsga2` (vectorised, categorical operators); with one or
      three, pymoo's GA / U-NSGA-III (`vectorised_inner=False` uses pymoo's NSGA-II for two as well).
    - The predictor family / grid point / view is chosen by cross-validation for the first `full_cv_until`
      iterations and every `reselect_every`-th after; in between the chosen candidates are only refit.
    """

    takes = ("inner_evals", "families", "extra_features", "batch")

    def journal_params(self) -> dict:
        return {"inner_evals": self.inner_evals, **({"batch": self.batch} if self.batch is not None else {})}

    def __init__(
        self,
        *a,
        inner_evals: int = 20000,
        families=("ridge", "svr", "gbt"),
        batch: int | None = None,
        full_cv_until: int = 3,
        reselect_every: int = 5,
        vectorised_inner: bool = True,
        **k,
    ):
        super().__init__(*a, **k)
        self.inner_evals = inner_evals
        self.families = tuple(families)
        self.batch = None if batch is None else int(batch)
        if self.batch is not None and self.batch < 1:
            raise ConfigError(f"--batch: must be >= 1, got {batch}")
        self.full_cv_until, self.reselect_every = int(full_cv_until), max(1, int(reselect_every))
        self.vectorised_inner = bool(vectorised_inner)
        self.predictors: list | None = None
        self.iteration = 0

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
        reselect = (
            self.predictors is None
            or self.iteration < self.full_cv_until
            or self.iteration % self.reselect_every == 0
        )
        if reselect:
            self.predictors = [AutoPredictor(self.families, seed=self.seed).fit(feats, y) for y in targets]
        else:  # cheap iteration: the chosen candidates refit on all rows, no cross-validation
            self.predictors = [p.refit(feats, y) for p, y in zip(self.predictors, targets)]
        info["reselected"] = reselect
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

        n = n if self.batch is None else min(n, self.batch)
        start = time.perf_counter()
        info = self._fit(history)
        fitted = time.perf_counter()
        # The inner loop starts from the best validated sub-networks (by non-dominated rank), topped up
        # randomly; every candidate it evaluates is archived for the batch selection.
        X, F, G = history.arrays(ok_only=True)
        order = _rank_order(_penalised(F, G))[: self.population]
        start_X = X[order]
        if len(start_X) < self.population:
            start_X = np.vstack([start_X, self.space.sample(self.population - len(start_X), self.rng)])
        archive: list = []  # (X, F with constraint violations folded in) of every inner-loop evaluation
        if self.n_obj == 2 and self.vectorised_inner:  # NSGA-II, vectorised
            archive.append(
                inner_nsga2(
                    self.space,
                    lambda Xi: _penalised(*self._predict(Xi)),
                    start_X,
                    self.inner_evals,
                    np.random.default_rng(int(self.rng.integers(2**31))),
                )
            )
        else:  # pymoo's GA (1 objective), NSGA-II (2) or U-NSGA-III (3)

            def predict(Xi):
                Fi, Gi = self._predict(Xi)
                archive.append((Xi, _penalised(Fi, Gi)))
                return Fi, Gi

            minimize(
                _problem(self.space, self.n_obj, self.n_constr, fn=predict),
                _algorithm(self.n_obj, self.population, sampling=start_X.astype(float)),
                ("n_gen", max(1, self.inner_evals // self.population)),
                seed=int(self.rng.integers(2**31)),
                verbose=False,
            )
        searched = time.perf_counter()
        out = self._select(n, archive, history)
        info["from_inner_loop"] = len(out)
        if len(out) < n:
            out += self._novel_random(n - len(out), seen | {self.space.key(x) for x in out})
        info["fit_seconds"] = fitted - start
        info["inner_seconds"] = searched - fitted
        info["select_seconds"] = time.perf_counter() - searched
        self.log.append(info)
        self.iteration += 1
        return np.array(out, dtype=np.int64).reshape(-1, len(self.space))

    def _select(self, n: int, archive: list, history) -> list[np.ndarray]:
        """`n` archived candidates, none validated, spread along the predicted front (see the class doc)."""
        if not archive:
            return []
        Xa = self.space.canonical(np.vstack([a[0] for a in archive]))
        Fa = np.vstack([a[1] for a in archive])
        keep = novel_rows(Xa, self.space.canonical(history.arrays()[0]) if len(history) else Xa[:0])
        if len(keep) == 0:
            return []
        chosen = _rank_and_crowding(Fa[keep], n)
        return [Xa[keep[i]] for i in chosen]


def novel_rows(X: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the first occurrence of each row of X that is not a row of `known`: vectorised
    de-duplication (rows compared as raw bytes, one sort)."""
    both = np.ascontiguousarray(np.vstack([known, X]).astype(np.int32))
    rows = both.view(np.dtype((np.void, both.dtype.itemsize * max(1, both.shape[1])))).ravel()
    _, first = np.unique(rows, return_index=True)
    # known rows come first, so a unique row first seen at index >= len(known) is new
    return np.sort(first[first >= len(known)] - len(known))


def _penalised(F: np.ndarray, G: np.ndarray) -> np.ndarray:
    return F + 1e6 * G.clip(min=0).sum(axis=1, keepdims=True) if G.shape[1] else F


def _rank_order(F: np.ndarray) -> np.ndarray:
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    return np.concatenate(NonDominatedSorting().do(F))


def _rank_and_crowding(F: np.ndarray, n: int) -> list[int]:
    """Indices of `n` rows of F: whole non-dominated fronts in rank order, the last one cut by crowding
    distance (NSGA-II's survival), so the picks spread along each front."""
    from pymoo.operators.survival.rank_and_crowding.metrics import calc_crowding_distance
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(F) <= n:
        return list(range(len(F)))
    out: list[int] = []
    for front in NonDominatedSorting().do(F, n_stop_if_ranked=n):
        if len(out) + len(front) <= n:
            out += list(front)
            continue
        cd = calc_crowding_distance(F[front])
        out += list(front[np.argsort(-cd, kind="stable")[: n - len(out)]])
        break
    return out


REGISTRY: dict[str, type[Tactic]] = {
    "linas": LinasTactic,
    "evolutionary": EvolutionaryTactic,
    "random": RandomTactic,
}


def make_tactic(name: str, space, n_obj, n_constr, population, seed, **options) -> Tactic:
    """The registered tactic `name`, given the study `options` it takes (its class's `takes`); the others
    are not its concern."""
    if name not in REGISTRY:
        raise ConfigError(f"--tactic: unknown {name!r}; expected one of {', '.join(TACTICS)}")
    cls = REGISTRY[name]
    own = {k: v for k, v in options.items() if k in cls.takes}
    return cls(space, n_obj, n_constr, population, seed, **own)


def _survive(F: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NSGA-II survival: (indices of the n kept rows, their front rank, their crowding distance)."""
    from pymoo.operators.survival.rank_and_crowding.metrics import calc_crowding_distance
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    idx, rank, crowd = [], [], []
    for r, front in enumerate(NonDominatedSorting().do(F, n_stop_if_ranked=n)):
        cd = calc_crowding_distance(F[front]) if len(front) > 2 else np.full(len(front), np.inf)
        take = np.argsort(-cd, kind="stable")[: n - len(idx)]
        idx += list(front[take])
        rank += [r] * len(take)
        crowd += list(cd[take])
        if len(idx) >= n:
            break
    return np.array(idx, dtype=np.int64), np.array(rank), np.array(crowd, float)


def inner_nsga2(space: SearchSpace, fn, start_X: np.ndarray, evals: int, rng: np.random.Generator):
    """A vectorised NSGA-II over choice indices for LINAS's inner loop (predictors are cheap, so pymoo's
    per-individual bookkeeping would dominate): binary tournaments on (rank, crowding), uniform crossover
    (p 0.9), random-reset mutation (1 / n_var per slot), offspring canonicalised and de-duplicated against
    the population, rank-and-crowding survival. `fn(X) -> F` (minimised, constraints already folded in).
    Returns every evaluated (X, F) pair, in evaluation order."""
    pop_n, n_var = len(start_X), len(space)
    X = space.canonical(start_X)
    X = X[novel_rows(X, X[:0])]
    F = fn(X)
    arch_X, arch_F = [X], [F]
    keep, rank, crowd = _survive(F, pop_n)
    X, F = X[keep], F[keep]
    done = len(arch_X[0])
    while done < evals:
        n_off = min(pop_n, evals - done)
        # binary tournaments: lower rank wins, then larger crowding distance
        a, b = rng.integers(0, len(X), size=(2, 2 * n_off))
        better = (rank[a] < rank[b]) | ((rank[a] == rank[b]) & (crowd[a] >= crowd[b]))
        parents = np.where(better, a, b).reshape(2, n_off)
        p1, p2 = X[parents[0]], X[parents[1]]
        cross = (rng.random(n_off) < 0.9)[:, None] & (rng.random((n_off, n_var)) < 0.5)
        child = np.where(cross, p2, p1)
        mutate = rng.random((n_off, n_var)) < 1.0 / n_var
        child = np.where(mutate, rng.integers(0, space.sizes, size=(n_off, n_var)), child)
        child = space.canonical(child)
        child = child[novel_rows(child, X)]
        if len(child) == 0:
            done += n_off  # a converged population: count the attempt so the loop ends
            continue
        Fc = fn(child)
        arch_X.append(child)
        arch_F.append(Fc)
        done += len(child)
        allX, allF = np.vstack([X, child]), np.vstack([F, Fc])
        keep, rank, crowd = _survive(allF, pop_n)
        X, F = allX[keep], allF[keep]
    return np.vstack(arch_X), np.vstack(arch_F)
