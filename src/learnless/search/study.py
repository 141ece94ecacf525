"""The study: `Search(supernet, objectives, tactic, ...).run(budget)`, or `ask()` / `tell()` for users who
evaluate elsewhere. The answer is always the Pareto front of validated results.

Durability: with `journal=`, every validated (or failed) evaluation is appended and fsynced before the next
one starts (learnless.runtime.Journal). A resumed search replays the tactic from the start, taking every
result already in the journal instead of evaluating it again; since the tactic is seeded, the same seed gives
the same proposals, the same evaluations and the same front as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.runtime import Journal
from learnless.runtime.experiment import check_identity
from learnless.runtime.identity import unit_key
from learnless.runtime.journal import BadRecord
from learnless.search.objectives import hypervolume, pareto_mask, parse_constraints, parse_objectives
from learnless.search.protocol import check_metrics, load_supernet, space_of
from learnless.search.tactics import FAILED, make_tactic


def valid_record(key: str, value) -> None:
    """BadRecord unless `value` is a journaled evaluation: {"config": {...}, "result": {"status": "ok",
    "metrics": {name: finite number}} or {"status": "failed", "error": str}}."""
    if not isinstance(value, Mapping) or not isinstance(value.get("config"), Mapping):
        raise BadRecord('not a {"config": ..., "result": ...} evaluation')
    result = value.get("result")
    if not isinstance(result, Mapping):
        raise BadRecord("its result is not an object")
    if result.get("status") == "failed":
        if not isinstance(result.get("error"), str):
            raise BadRecord("a failed evaluation without an error message")
        return
    if result.get("status") != "ok" or not isinstance(result.get("metrics"), Mapping):
        raise BadRecord("its result is neither ok with metrics nor failed")
    for name, v in result["metrics"].items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise BadRecord(f"metric {name!r} is {v!r}, not a finite number")


def evaluate_candidate(item, net) -> dict:
    """One validation: `net.evaluate(config, metrics)` checked (raises, missing keys and NaN are failures)."""
    config, metrics = item
    try:
        out = net.evaluate(dict(config), list(metrics))
    except Exception as exc:  # noqa: BLE001 - a failing candidate is journaled, the search goes on
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"[:300]}
    if not isinstance(out, Mapping):
        return {"status": "failed", "error": f"evaluate returned {type(out).__name__}, expected a dict"}
    missing = [m for m in metrics if m not in out]
    if missing:
        return {"status": "failed", "error": f"evaluate returned no {', '.join(missing)}"}
    values = {}
    for k, v in out.items():
        try:
            values[k] = float(v)
        except (TypeError, ValueError):
            continue
    bad = [m for m in metrics if not math.isfinite(values.get(m, float("nan")))]
    if bad:
        return {"status": "failed", "error": f"evaluate returned a non-finite {', '.join(bad)}"}
    return {"status": "ok", "metrics": values}


class History:
    """Validated records in commit order, with their integer vectors and minimised objective values."""

    def __init__(self, objectives, constraints):
        self.objectives, self.constraints = objectives, constraints
        self.records: list[dict] = []
        self.keys: list[str] = []
        self._X: list[np.ndarray] = []
        self._batch_start = 0
        self._batch_end = 0

    def __len__(self):
        return len(self.records)

    def add(self, key: str, x: np.ndarray, record: dict) -> None:
        self.records.append(record)
        self.keys.append(key)
        self._X.append(np.asarray(x, dtype=np.int64))

    def vector(self, i: int) -> np.ndarray:
        """The integer vector of the i-th record."""
        return self._X[i]

    def mark_batch(self, start: int) -> None:
        self._batch_start, self._batch_end = start, len(self.records)

    def values(self, record) -> tuple[np.ndarray, np.ndarray]:
        if record["status"] != "ok":
            return (np.full(len(self.objectives), FAILED), np.full(len(self.constraints), FAILED))
        m = record["metrics"]
        F = np.array([o.to_min(m[o.name]) for o in self.objectives])
        G = np.array([c.violation(m[c.name]) for c in self.constraints])
        return F, G

    def arrays(self, ok_only: bool = False, upto: int | None = None):
        idx = [i for i, r in enumerate(self.records[:upto]) if not ok_only or r["status"] == "ok"]
        n_var = len(self._X[0]) if self._X else 0
        X = np.array([self._X[i] for i in idx], dtype=np.int64).reshape(len(idx), n_var)
        FG = [self.values(self.records[i]) for i in idx]
        F = np.array([f for f, _ in FG]).reshape(len(idx), len(self.objectives))
        G = np.array([g for _, g in FG]).reshape(len(idx), len(self.constraints))
        return X, F, G

    def last_batch_mask(self) -> np.ndarray:
        ok = [i for i, r in enumerate(self.records) if r["status"] == "ok"]
        return np.array([self._batch_start <= i < self._batch_end for i in ok], dtype=bool)


class Search:
    """Hardware-aware sub-network search over any super-network; see the module docstring."""

    def __init__(
        self,
        supernet,
        objectives=("accuracy:max", "macs:min"),
        tactic: str = "linas",
        *,
        constraints=(),
        population: int = 50,
        seed: int = 0,
        inner_evals: int = 20000,
        reference_point=None,
        journal=None,
        executor=None,
        predictor_families=("ridge", "svr", "gbt"),
        batch: int | None = None,
        data=None,
    ):
        self.net = load_supernet(supernet)
        self.space = space_of(self.net)
        self.objectives = parse_objectives(objectives)
        self.constraints = parse_constraints(constraints)
        if int(population) < 2:
            raise ConfigError(f"--population: must be >= 2, got {population}")
        self.population, self.seed, self.tactic_name = int(population), int(seed), tactic
        self.metric_names = list(
            dict.fromkeys([o.name for o in self.objectives] + [c.name for c in self.constraints])
        )
        check_metrics(self.net, self.metric_names)
        if reference_point is not None and len(reference_point) != len(self.objectives):
            raise ConfigError(
                f"reference point: {len(reference_point)} values for {len(self.objectives)} objectives"
            )
        self._reference = None if reference_point is None else np.asarray(reference_point, float)
        self.tactic = make_tactic(  # each tactic takes the options it declares (tactics.REGISTRY)
            tactic,
            self.space,
            len(self.objectives),
            len(self.constraints),
            self.population,
            self.seed,
            inner_evals=inner_evals,
            families=predictor_families,
            extra_features=getattr(self.net, "features", None),
            batch=batch,
        )
        self.history = History(self.objectives, self.constraints)
        self.executor = executor
        self.header = {
            "objectives": [str(o) for o in self.objectives],
            "constraints": [str(c) for c in self.constraints],
            "tactic": tactic,
            "seed": self.seed,
            "population": self.population,
            **self.tactic.journal_params(),
            "space": hashlib.sha256(self.space.signature().encode()).hexdigest()[:16],
        }
        # what the super-network evaluates on (spec, arguments, data files): in every evaluation's key
        declared = getattr(self.net, "data_fingerprint", None)
        self.data = data if not callable(declared) else {"given": data, "files": declared()}
        self.journal = None
        if journal is not None:
            self.journal = Journal(journal.path if isinstance(journal, Journal) else journal,
                                   validate=valid_record)
            identity = {"function": "learnless.search.Search", "data": self.data, "split": None}
            check_identity(self.journal, {**identity, **self.header})
        self.replayed = 0
        self._batch: list | None = None  # [(key, x)] of the tactic's current proposal
        self._pending: dict[str, np.ndarray] = {}
        self._told: dict[str, dict] = {}
        self._stalls = 0

    # ask / tell ---------------------------------------------------------------------------------------------
    @property
    def evaluations(self) -> int:
        return len(self.history)

    def ask(self, n: int | None = None) -> list[dict]:
        """The next configs to evaluate (never one already validated). Call `tell` for each."""
        if self._batch is not None and self._pending:
            return [self.space.to_config(x) for x in self._pending.values()][:n]
        proposal = self.space.canonical(self.tactic.propose(self.population, self.history))
        self._batch, self._pending, self._told = [], {}, {}
        known = set(self.history.keys)
        for x in proposal:
            key = self.space.key(x)
            self._batch.append((key, x))
            if key in known or key in self._pending or key in self._told:
                continue
            done = self._journaled(self.space.to_config(x))
            if done is not None:  # validated before an interruption
                self._told[key] = done
                self.replayed += 1
                continue
            if n is not None and len(self._pending) >= n:
                continue
            self._pending[key] = x
        if not self._pending:
            self._commit()
        return [self.space.to_config(x) for x in self._pending.values()]

    def _key(self, config: dict) -> str:
        return unit_key(config, None, None, self.data)

    def _journaled(self, config: dict) -> dict | None:
        """The journaled result of `config`, when it validated (a failed one is evaluated again: its cause,
        a missing file or a dead worker, may be gone)."""
        if self.journal is None:
            return None
        rec = self.journal.get(self._key(config))
        return rec["result"] if rec is not None and rec["result"]["status"] == "ok" else None

    def tell(self, config: Mapping, result) -> None:
        """Report one evaluation: a metrics dict, or an exception (journaled as failed)."""
        x = self.space.canonical(self.space.to_vector(config))[0]
        key = self.space.key(x)
        if key not in self._pending:
            raise ConfigError(f"tell: {dict(config)} was not asked for (or was told already)")
        if isinstance(result, BaseException):
            record = {"status": "failed", "error": f"{type(result).__name__}: {result}"[:300]}
        elif isinstance(result, Mapping) and result.get("status") in ("ok", "failed"):
            record = dict(result)
        else:
            record = evaluate_candidate((config, self.metric_names), _Given(result))
        if self.journal is not None:
            cfg = self.space.to_config(x)
            self.journal.append(self._key(cfg), {"config": cfg, "result": record})
        del self._pending[key]
        self._told[key] = record
        if not self._pending:
            self._commit()

    def _commit(self) -> None:
        """Add the finished batch to the history in proposal order (not completion order: replay
        determinism)."""
        start = len(self.history)
        known = dict(zip(self.history.keys, self.history.records))
        X, F, G = [], [], []
        added = 0
        for key, x in self._batch:
            if key in self._told and key not in known:
                self.history.add(key, x, self._told[key])
                known[key] = self._told[key]
                added += 1
            if key in known:
                f, g = self.history.values(known[key])
                X.append(x)
                F.append(f)
                G.append(g)
        self.history.mark_batch(start)
        self._stalls = 0 if added else self._stalls + 1
        if len(X) == len(self._batch):
            self.tactic.observe(np.array(X), np.array(F), np.array(G))
        self._batch, self._told = None, {}

    # run
    def run(self, budget: int) -> Search:
        """Validate up to `budget` sub-networks in all (counting those already in the journal)."""
        from learnless.runtime import LocalExecutor

        if int(budget) < self.population:
            raise ConfigError(f"--evals: {budget} is smaller than the population ({self.population})")
        executor = self.executor or LocalExecutor(1)
        while self.evaluations < budget and self._stalls < 20:
            configs = self.ask(budget - self.evaluations)
            if not configs:
                continue
            items = [(c, self.metric_names) for c in configs]

            def told(i, record, configs=configs):
                self.tell(configs[i], record)

            executor.map(evaluate_candidate, items, shared=self.net, description="validating", on_result=told)
            self._check_not_all_failed()
        self._check_not_all_failed()
        return self

    def _check_not_all_failed(self) -> None:
        """A search none of whose evaluations validated stops with the first failure's error."""
        records = self.history.records
        if records and all(r["status"] != "ok" for r in records):
            raise DataError(f"all {len(records)} evaluations failed; first: {records[0].get('error')}")

    # answers
    def reference_point(self) -> np.ndarray:
        """The hypervolume reference point (minimised objectives): given, else the worst value of each
        objective in the first validated batch plus 10 % of its range."""
        if self._reference is not None:
            return self._reference
        _, F, _ = self.history.arrays(ok_only=True, upto=self.population)
        if len(F) == 0:
            return np.full(len(self.objectives), np.nan)
        span = np.ptp(F, axis=0)
        return F.max(axis=0) + 0.1 * np.where(span > 0, span, np.abs(F.max(axis=0)) + 1)

    def front(self, upto: int | None = None) -> list[dict]:
        """The validated, feasible, non-dominated records (after the first `upto` evaluations)."""
        recs = self.history.records[:upto]
        idx = [i for i, r in enumerate(recs) if r["status"] == "ok"]
        _, F, G = self.history.arrays(ok_only=True, upto=upto)
        feasible = np.all(G <= 0, axis=1) if G.shape[1] else np.ones(len(F), bool)
        keep = np.array(idx)[feasible] if len(idx) else np.array([], int)
        if len(keep) == 0:
            return []
        mask = pareto_mask(F[feasible])
        rows = []
        for i in keep[mask]:
            config = self.space.to_config(self.history.vector(i))
            rows.append({**config, **self.history.records[i]["metrics"]})
        first = self.objectives[0]
        return sorted(rows, key=lambda r: first.to_min(r[first.name]))

    def hypervolume(self, upto: int | None = None, reference=None) -> float:
        ref = self.reference_point() if reference is None else np.asarray(reference, float)
        front = self.front(upto)
        if not front:
            return 0.0
        F = np.array([[o.to_min(r[o.name]) for o in self.objectives] for r in front])
        return hypervolume(F, ref)

    def closest(self, k: int = 3) -> list[dict]:
        """The validated candidates nearest to meeting the constraints (smallest total violation)."""
        _, _, G = self.history.arrays(ok_only=True)
        idx = [i for i, r in enumerate(self.history.records) if r["status"] == "ok"]
        order = np.argsort(G.sum(axis=1))[:k] if len(idx) else []
        return [
            {
                **self.space.to_config(self.history.vector(idx[j])),
                **self.history.records[idx[j]]["metrics"],
                "violation": float(G[j].sum()),
            }
            for j in order
        ]

    def export(self, rank: int = 1, path=None):
        """The `rank`-th front member (1 = the front's first row, best in the first objective) as a
        standalone torch module; with `path`, also saved there as a torch.export program (see
        learnless.search.export) holding its config and validated metrics."""
        from learnless.search.export import export_module, save_subnetwork

        front = self.front()
        if not 1 <= int(rank) <= len(front):
            raise ConfigError(f"--rank: {rank} is not between 1 and the front's size ({len(front)})")
        row = front[int(rank) - 1]
        config = {n: row[n] for n in self.space.names}
        if path is not None:
            metrics = {k: v for k, v in row.items() if k not in config}
            save_subnetwork(self.net, config, path, {"rank": int(rank), "metrics": metrics,
                                                     "objectives": [str(o) for o in self.objectives]})
        return export_module(self.net, config)[0]

    def summary(self) -> dict:
        failed = sum(r["status"] != "ok" for r in self.history.records)
        front = self.front()
        out = {
            "hypervolume": self.hypervolume(),
            "reference_point": self.reference_point().tolist(),
            "reference_point_objectives": [
                f"{o.name} ({'negated, ' if o.sense == 'max' else ''}minimised)" for o in self.objectives
            ],
            "evaluations": self.evaluations,
            "failed": failed,
            "front_size": len(front),
            "replayed_from_journal": self.replayed,
            "objectives": [str(o) for o in self.objectives],
            "constraints": [str(c) for c in self.constraints],
            "tactic": self.tactic_name,
            "seed": self.seed,
        }
        if self.constraints and not front:
            out["constraint_unmet"] = True
            out["closest"] = self.closest()
        return out


class _Given:
    """Wraps a metrics dict told by the user so it is checked like a super-network's answer."""

    def __init__(self, result):
        self.result = result

    def evaluate(self, config, metrics):
        return self.result
