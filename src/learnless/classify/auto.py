"""`make("auto")`: the model family, propagation depth, feature scaling and main hyper-parameters chosen for
the graph at hand by VALIDATION accuracy only, inside a time budget.

An Optuna study (TPE sampler, median pruner on the validation accuracy during training) over: MLP (no
propagation); SGC / S²GC / SIGN with a depth; SIGN with hops of both Â and I − Â (heterophily); the robust
DGMLP; APPNP and GCN (end-to-end); each decoupled one optionally with label post-processing (lp / cs, from
the training labels only). The first trials are the families exactly at their defaults (raw features), so
every family is tried once, as a user would get it, before the sampler narrows in. Test labels are never
read: the trainer's test accuracy of each trial is discarded, and the choice depends only on training and
validation labels.

The default trials come cheap and varied first, within the order the labelled nodes' homophily suggests (SGC,
then APPNP on a homophilous graph or MLP on a heterophilous one, then S²GC; SIGN's multi-block models last),
so that a short budget still covers the likely winner, and a tie goes to the likelier family. A default
trial whose first epochs project it past the budget left waits until the other defaults have run.

The trial kept is the earliest whose validation accuracy is within `select_se` standard errors of the best
trial's (the one-standard-error rule of model selection): a later trial, sampled after many others, must beat
an earlier one by more than the noise of the validation set to replace it. Node by node, the two disagree on
d validation nodes, and the later one is taken only when it gets more than `select_se`·√d more of them right.
The best of tens of trials on a validation set of tens of nodes is partly luck, and the earlier trials are
the families at their defaults, in the order the graph suggests.

Its predictions average the class probabilities of the kept trial and the next best trials by validation
accuracy, k from 1 to `ensemble` (3 by default) chosen by the validation accuracy of the average, a tie going
to the larger k: as AutoML systems average the models their search leaves, where a validation set of tens of
nodes cannot tell the best few trials apart their average is steadier than any one of them, and where one
model is clearly best (APPNP on Cora) it stays alone.
"""

from __future__ import annotations

import dataclasses
import math
import time
import warnings
from typing import ClassVar

import numpy as np

from learnless.base import Estimator, Interval, Real, positive_int, seed_constraint
from learnless.classify.base import labelled_index, split_indices
from learnless.classify.transforms import scale_features
from learnless.errors import ConfigError

FAMILIES = ("mlp", "sgc", "s2gc", "sign", "sign-hp", "dgmlp", "appnp", "gcn")
DECOUPLED = ("mlp", "sgc", "s2gc", "sign", "sign-hp", "dgmlp")
DEPTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
# the hop cache of a trial stays under this many bytes (deep hops of wide features are refused per trial)
HOPS_BUDGET = 512 * 2**20
REPORT_EVERY = 10  # epochs between the pruner's looks at a trial
# a default trial is timed over its first epochs; one projected not to finish in the budget left goes back in
# the queue behind the defaults not yet tried (once; never before a first trial has finished, so a short
# budget still ends with the cheapest likely model): the budget would cut it anyway, and one slow model
# (APPNP on a graph of half a million edges: 44 s on one core) no longer crowds out the families that take a
# second there
TIMED_EPOCHS = 5
# the order of the default trials, cheap and varied first, within what the labelled nodes' edge homophily
# suggests: SGC, a linear model on one block of propagated features (seconds on any graph; S²GC, which
# averages every hop, costs about three times as much on a large graph) leads, then the likeliest model of
# another kind (APPNP where neighbours share labels, MLP where not) before the second linear model, since a
# budget of a few trials learns little from two of a kind; SIGN's multi-block models (a block of features per
# hop, 2 K + 1 with I - Â) last. A short budget then ends on the expensive models, not before a varied few
HOMOPHILOUS_ORDER = ("sgc", "appnp", "s2gc", "dgmlp", "gcn", "mlp", "sign", "sign-hp")
HETEROPHILOUS_ORDER = ("sgc", "mlp", "s2gc", "dgmlp", "appnp", "gcn", "sign-hp", "sign")
HOMOPHILY_SPLIT = 0.5
MIN_LABELLED_EDGES = 30  # edges between labelled nodes below which their share of same-class edges is noise


def estimator_for(choice: dict, seed: int = 0, epochs: int | None = None):
    """The unfitted estimator of a choice {"family", "params", "feature_scaling"}."""
    from learnless.classify import MODELS

    family, params = choice["family"], dict(choice["params"])
    if epochs is not None:
        params["epochs"] = epochs
    if family == "sign-hp":
        return MODELS.make("sign", high_pass=True, seed=seed, **params)
    return MODELS.make(family, seed=seed, **params)


def scaled_graph(graph, scaling: str):
    return graph if scaling == "none" else dataclasses.replace(graph, x=scale_features(graph.x, scaling))


def _suggest(trial, family: str, max_depth: int) -> dict:
    """The hyper-parameters of one trial of `family`."""
    depths = [d for d in DEPTHS if d <= max_depth] or [1]
    p: dict = {}
    p["lr"] = trial.suggest_float(f"{family}/lr", 1e-3, 0.3, log=True)
    p["weight_decay"] = trial.suggest_float(f"{family}/weight_decay", 1e-7, 1e-2, log=True)
    if family in ("sgc", "s2gc", "sign", "sign-hp", "dgmlp"):
        cap = 8 if family in ("sign", "sign-hp") else max(depths)
        p["prop_depth"] = trial.suggest_categorical(f"{family}/prop_depth", [d for d in depths if d <= cap])
    if family == "s2gc":
        p["alpha"] = trial.suggest_float("s2gc/alpha", 0.0, 0.5)
    if family in ("mlp", "sign", "sign-hp", "dgmlp", "appnp", "gcn"):
        p["hidden"] = trial.suggest_categorical(f"{family}/hidden", [32, 64, 128, 256])
        p["dropout"] = trial.suggest_float(f"{family}/dropout", 0.0, 0.8)
    if family == "mlp":
        p["depth"] = trial.suggest_int("mlp/depth", 1, 3)
    if family == "dgmlp":
        p["trans_depth"] = trial.suggest_int("dgmlp/trans_depth", 1, 3)
    if family == "appnp":
        p["K"] = trial.suggest_categorical("appnp/K", [d for d in depths if d <= 16])
        p["alpha"] = trial.suggest_float("appnp/alpha", 0.05, 0.5)
    if family in DECOUPLED:
        post = trial.suggest_categorical(f"{family}/post", ["none", "lp", "cs"])
        p["post"] = None if post == "none" else post
    return p


def family_order(graph, families=FAMILIES,
                 min_edges: int = MIN_LABELLED_EDGES) -> tuple[list[str], float | None]:
    """`families` in the order to try them, and the edge homophily of the labelled (training and validation;
    never test) nodes it was decided by (None: unknown, then the homophilous order)."""
    h = labelled_homophily(graph, min_edges)
    order = HETEROPHILOUS_ORDER if h is not None and h < HOMOPHILY_SPLIT else HOMOPHILOUS_ORDER
    return sorted(families, key=order.index), h


def labelled_homophily(graph, min_edges: int = MIN_LABELLED_EDGES) -> float | None:
    """advise's edge homophily of the labelled (training and validation) subgraph or, where fewer than
    `min_edges` edges join two labelled nodes, its estimate from longer paths (a fit over path counts:
    seconds, so only then)."""
    from learnless.classify.advise import estimated_homophily, observed_homophily

    known = np.asarray(graph.train_mask, bool) | np.asarray(graph.val_mask, bool)
    labels = np.where(known, np.asarray(graph.y), -1)
    observed = observed_homophily(graph.adj, labels)
    if observed["edges"] >= min_edges:
        return observed["edge"]
    try:
        return float(estimated_homophily(graph.adj, labels)["edge"])
    except (ValueError, np.linalg.LinAlgError):
        return None


def _max_depth(graph) -> int:
    from learnless.classify.hops import hops_nbytes

    n, f = graph.x.shape
    return max([d for d in DEPTHS if hops_nbytes(n, f, d) <= HOPS_BUDGET] or [1])


class AutoClassifier(Estimator):
    """Model selection on validation accuracy within `time_budget` seconds (and at most `n_trials` trials).

    Fitted state: `choice_` ({"family", "params", "feature_scaling", "val_acc"}: the trial kept, the earliest
    within `select_se` standard errors of the best; 0 keeps the best, a tie the earlier), `best_choice_` (the
    best trial by validation accuracy), `model_` (the kept trial's model, fitted), `ensemble_` (the choices
    whose probabilities are averaged, the kept trial first, then the best others; `members_` their fitted
    models; `ensemble_val_accs_` the validation accuracy of the mean of the first 1, 2, ... candidates),
    `result_` (the average's accuracies; epoch and history of the kept trial), `trials_` (one row per trial),
    `reason_` (why, in words).
    """

    _parameter_constraints: ClassVar[dict] = {
        "time_budget": [Interval(Real, 0, None, closed="neither")],
        "n_trials": [positive_int, None],
        "epochs": [positive_int],
        "families": [list, tuple, None],
        "ensemble": [positive_int],
        "select_se": [Interval(Real, 0, None, closed="left")],
        "seed": [seed_constraint],
    }

    def __init__(self, time_budget: float = 50.0, n_trials: int | None = None, epochs: int = 200,
                 families: list | tuple | None = None, ensemble: int = 3, select_se: float = 1.0,
                 seed: int = 0):
        self.time_budget = time_budget
        self.n_trials = n_trials
        self.epochs = epochs
        self.families = families
        self.ensemble = ensemble
        self.select_se = select_se
        self.seed = seed

    def memory_bytes(self, graph) -> int:
        """The three scaled copies of the features it tries, the largest trial's hops (depth capped so they
        fit HOPS_BUDGET) and the widest model it trains (256 hidden units, 3 layers, Adam's state)."""
        from learnless.classify.hops import hops_nbytes

        n, f = (int(d) for d in graph.x.shape)
        classes = max(int(np.max(graph.y)) + 1 if len(graph.y) else 2, 2)
        copies = 3 * 4 * n * f
        hops = hops_nbytes(n, f, _max_depth(graph))
        weights = f * 256 + 2 * 256 * 256 + 256 * classes
        training = 4 * (4 * weights + 3 * n * 256 * 2)  # weights, grads, two moments; kept activations
        # the fitted models kept: the best few (any within the noise of the best too, not counted)
        kept = 4 * weights * self.ensemble
        return copies + hops + training + kept

    def _validate_extra(self) -> None:
        unknown = sorted(set(self.families or ()) - set(FAMILIES))
        if unknown:
            raise ConfigError(f"families: unknown {', '.join(unknown)}; choose from {', '.join(FAMILIES)}")

    def fit(self, graph, progress=None, device: str = "cpu") -> AutoClassifier:
        import optuna

        self.validate()
        self.check_memory(graph)
        from learnless.classify.advise import check_features_vary

        split_indices(graph)  # a missing or empty split fails before any trial
        check_features_vary(graph)
        if self.families:  # as the caller listed them
            families, homophily = list(self.families), None
        else:
            families, homophily = family_order(graph)
        graphs = {s: scaled_graph(graph, s) for s in ("none", "row", "standardize")}
        max_depth = _max_depth(graph)
        start = time.perf_counter()
        deadline = start + self.time_budget
        val_y = graph.y[split_indices(graph)[1]]
        # every finished trial in finish order: its choice, which validation nodes it got right, and its
        # fitted model while it may still be kept or averaged (the others' are dropped: memory)
        finished: list[dict] = []
        rows: list[dict] = []
        untried = set(families)  # families whose default trial has not started

        def spent() -> bool:
            # the budget never stops the first trial: auto always returns a model (and may overrun)
            return time.perf_counter() > deadline and bool(finished)

        def objective(trial):
            if spent():
                study.stop()
                raise optuna.TrialPruned()
            family = trial.suggest_categorical("family", families)
            scaling = trial.suggest_categorical("feature_scaling", ["none", "row", "standardize"])
            defaults = trial.user_attrs.get("defaults", False)
            deferrable = defaults and not trial.user_attrs.get("deferred", False)
            untried.discard(family)
            params = {} if defaults else _suggest(trial, family, max_depth)
            choice = {"family": family, "params": params, "feature_scaling": scaling}
            with warnings.catch_warnings():  # a sampled combination's notes (e.g. an unused width) are noise
                warnings.simplefilter("ignore", UserWarning)
                est = estimator_for(choice, seed=self.seed, epochs=self.epochs)

            first_epoch: list[float] = []

            def monitor(epoch, val_acc):
                if spent():  # the budget is spent: stop this trial and the study
                    study.stop()
                    raise optuna.TrialPruned()
                if deferrable and untried and finished:  # the first finished trial is never deferred
                    now = time.perf_counter()
                    if not first_epoch:
                        first_epoch.append(now)
                    if epoch == TIMED_EPOCHS:
                        projected = (now - first_epoch[0]) / TIMED_EPOCHS * (self.epochs - epoch)
                        if projected > deadline - now:
                            study.enqueue_trial({"family": family, "feature_scaling": scaling},
                                                user_attrs={"defaults": True, "deferred": True})
                            raise _Deferred()
                if (epoch + 1) % REPORT_EVERY == 0:
                    trial.report(val_acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()

            t0 = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    est.fit(graphs[scaling], device=device, monitor=monitor)
            except _Deferred:
                rows.append({**choice, "val_acc": None, "pruned": True, "deferred": True,
                             "seconds": time.perf_counter() - t0})
                raise optuna.TrialPruned() from None
            except optuna.TrialPruned:
                rows.append({**choice, "val_acc": None, "pruned": True, "seconds": time.perf_counter() - t0})
                raise
            except (ConfigError, MemoryError) as exc:  # e.g. a depth that does not fit in memory
                rows.append({**choice, "val_acc": None, "error": str(exc)})
                raise optuna.TrialPruned() from exc
            val = float(est.result_.val_acc)  # only the validation accuracy is read
            rows.append({**choice, "val_acc": val, "pruned": False, "seconds": time.perf_counter() - t0})
            finished.append({"choice": {**choice, "val_acc": val}, "correct": est.result_.val_pred == val_y,
                             "model": est})
            correct = [f["correct"] for f in finished]
            needed = set(within_noise(correct, self.select_se)) | set(by_validation(correct)[: self.ensemble])
            for i in set(range(len(finished))) - needed:
                finished[i]["model"] = None
            if progress is not None:
                progress(trial.number)
            return val

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.create_study(
            direction="maximize",
            sampler=optuna.samplers.TPESampler(seed=self.seed),
            pruner=optuna.pruners.MedianPruner(
                n_startup_trials=len(families), n_warmup_steps=2 * REPORT_EVERY
            ),
        )
        # every family once exactly as `make(family)` trains it: its defaults, on the features as given; so
        # auto never trails a default model but by the noise of the validation accuracy it selects on
        for family in families:
            study.enqueue_trial({"family": family, "feature_scaling": "none"}, user_attrs={"defaults": True})
        remaining = self.time_budget - (time.perf_counter() - start)
        study.optimize(objective, n_trials=self.n_trials, timeout=max(remaining, 1e-3), catch=())
        if not finished:  # every trial failed (e.g. none fits in memory)
            raise ConfigError("auto: no trial finished: " + "; ".join(sorted({r.get("error", "pruned")
                                                                                 for r in rows}))[:300])
        correct = [f["correct"] for f in finished]
        ranked = by_validation(correct)
        kept = within_noise(correct, self.select_se)[0]
        if finished[kept]["model"] is None:  # dropped while it seemed out of reach of a later best: refit
            choice = finished[kept]["choice"]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                finished[kept]["model"] = estimator_for(choice, seed=self.seed, epochs=self.epochs).fit(
                    graphs[choice["feature_scaling"]], device=device)
        candidates = [kept] + [i for i in ranked if i != kept][: self.ensemble - 1]
        self.choice_, self.model_ = finished[kept]["choice"], finished[kept]["model"]
        self.best_choice_ = finished[ranked[0]]["choice"]
        self.family_order_ = families
        self.homophily_ = homophily
        self._choose_ensemble(graph, [finished[i]["choice"] for i in candidates],
                              [finished[i]["model"] for i in candidates])
        self.trials_ = rows
        self.search_seconds_ = time.perf_counter() - start
        self.reason_ = explain(self.choice_, rows, self.ensemble_, self.result_.val_acc,
                               best=self.best_choice_, select_se=self.select_se)
        self.n_classes_ = self.model_.n_classes_
        return self

    def _choose_ensemble(self, graph, choices: list[dict], models: list) -> None:
        """Average the first k candidates (the kept trial, then the best others), k with the best validation
        accuracy of the average (a tie: the larger k); `result_` is the kept trial's TrainResult with the
        average's accuracies."""
        splits = split_indices(graph)[:3]
        val = splits[1]
        total, means, accs = 0.0, [], []
        for k, (model, choice) in enumerate(zip(models, choices), 1):
            total = total + model.predict_proba(scaled_graph(graph, choice["feature_scaling"]))
            means.append(total / k)
            accs.append(float((means[-1][val].argmax(1) == graph.y[val]).mean()))
        best_k = max(k for k, acc in enumerate(accs, 1) if acc == max(accs))  # a tie: the larger k
        self.ensemble_, self.members_ = choices[:best_k], models[:best_k]
        self.ensemble_val_accs_ = accs
        if best_k == 1:
            self.result_ = self.model_.result_
            return
        pred = means[best_k - 1].argmax(1)
        acc = [float((pred[idx] == graph.y[idx]).mean()) for idx in splits]
        self.result_ = dataclasses.replace(self.model_.result_, train_acc=acc[0], val_acc=acc[1],
                                           test_acc=acc[2])

    # ---- the ensemble's predictions, each member on the scaled features it was chosen with ---------------
    def predict_proba(self, graph) -> np.ndarray:
        self._check_fitted("members_")
        return average_proba(self.members_, self.ensemble_, graph)

    def predict(self, graph) -> np.ndarray:
        return self.predict_proba(graph).argmax(1)

    def score(self, graph, mask: str = "test") -> float:
        self._check_fitted("members_")
        idx = labelled_index(graph, mask)
        return float((self.predict(graph)[idx] == graph.y[idx]).mean())


def average_proba(models, choices, graph) -> np.ndarray:
    """The mean class probabilities of fitted `models`, each on `graph` scaled as its choice says."""
    probs = [m.predict_proba(scaled_graph(graph, c["feature_scaling"])) for m, c in zip(models, choices)]
    return np.mean(probs, axis=0)


def by_validation(correct: list[np.ndarray]) -> list[int]:
    """Trial indices by the number of validation nodes each got right, most first (a tie: the earlier)."""
    return sorted(range(len(correct)), key=lambda i: (-int(correct[i].sum()), i))


def within_noise(correct: list[np.ndarray], select_se: float) -> list[int]:
    """The trials, in finish order, within `select_se` standard errors of the best on validation.

    `correct[i]` marks the validation nodes trial i got right. Against the best trial, a trial is within
    the noise when the best gets at most select_se·√d more nodes right, d the nodes on which exactly one of
    the two is right (under "equally good", each of them is a coin toss: the net difference has standard
    deviation √d). The best is always among them; select_se = 0 leaves the best and its exact ties.
    """
    best = correct[by_validation(correct)[0]]
    out = []
    for i, c in enumerate(correct):
        only_best, only_this = int((best & ~c).sum()), int((c & ~best).sum())
        if only_best - only_this <= select_se * math.sqrt(only_best + only_this):
            out.append(i)
    return out


class _Deferred(Exception):
    """A default trial put back in the queue: it would not finish in the budget left."""


def explain(choice: dict, rows: list[dict], ensemble: list[dict] | None = None,
            ensemble_val: float | None = None, best: dict | None = None, select_se: float = 1.0) -> str:
    """Why this choice: its validation accuracy beside the best trial's (when that is another, tried later)
    and the best of every other family, and the trials whose probabilities are averaged with it (their
    average's validation accuracy `ensemble_val`)."""
    per_family: dict[str, float] = {}
    for r in rows:
        if r.get("val_acc") is not None:
            per_family[r["family"]] = max(per_family.get(r["family"], -1.0), r["val_acc"])
    others = sorted(((v, f) for f, v in per_family.items() if f != choice["family"]), reverse=True)
    finished = sum(r.get("val_acc") is not None for r in rows)
    pruned = sum(bool(r.get("pruned")) for r in rows)
    params = ", ".join(f"{k}={_short(v)}" for k, v in sorted(choice["params"].items())) or "defaults"
    trials = f"{finished} finished trials ({pruned} pruned)"
    if best is None or best is choice:
        text = (f"{choice['family']} ({params}; features {choice['feature_scaling']}) had the best "
                f"validation accuracy, {choice['val_acc']:.1%}, of {trials}")
    else:
        text = (f"{choice['family']} ({params}; features {choice['feature_scaling']}), "
                f"{choice['val_acc']:.1%} on validation, is the earliest of {trials} within {select_se:g} "
                f"standard error of the best, {best['family']} {best['val_acc']:.1%}")
    if others:
        text += "; best of the other families: " + ", ".join(f"{f} {v:.1%}" for v, f in others[:4])
    if ensemble and len(ensemble) > 1:
        text += (f"; predictions average {len(ensemble)} trials, it and the best others ("
                 + ", ".join(f"{c['family']} {c['val_acc']:.1%}" for c in ensemble) + ")")
        if ensemble_val is not None:
            text += f", {ensemble_val:.1%} on validation together"
    return text


def _short(v):
    if isinstance(v, float) and not math.isinf(v):
        return f"{v:.3g}"
    return v
