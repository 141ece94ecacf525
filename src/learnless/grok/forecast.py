"""Forecast a GrokTrainer run before training: does it memorise, grok or fail, and if it groks, in which epoch
range.

Outcomes (the trainer's own thresholds): "grok" when the test accuracy reaches 0.95, "memorise" when it does
not but the training accuracy reaches 0.99, "fail" otherwise. Inputs: the data ratio r = n / (M ln M) (the
scaling law's variable), the width relative to the group (log2 K / M), the optimiser settings (log10 lr,
log10 weight decay, log10 epochs) and the loss's centring. The landscape's persisting-maxima share is not an
input: on every group measured it is 0 below 4 M ln M (guide: "The landscape against the grokking
boundary"), so it carries nothing where the outcome changes (about 2.75 M ln M).

Three fitted parts, all on journaled runs (`forecast_runs.json`, built by benchmarks/grok_forecast.py):
  * P(grok): logistic regression on every run;
  * P(memorise | not grok): logistic regression on the non-grokking runs whose training accuracy is known;
  * the grok epoch: linear regression of log(grok epoch + 10) on the grokking runs, with a split-conformal
    interval: the `level` quantile of the absolute residuals of held-aside runs (a fifth of the fitting
    groups), so the interval's width is measured, not assumed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import ClassVar

import numpy as np

from learnless.base import Estimator, Interval, Real
from learnless.errors import ConfigError, DataError

OUTCOMES = ("memorise", "grok", "fail")
GROK_ACC = 0.95
MEMORISE_ACC = 0.99
RUNS_PATH = Path(__file__).with_name("forecast_runs.json")
EPOCH_OFFSET = 10.0


def outcome_of(train_acc: float | None, test_acc: float | None, grokked: bool | None = None) -> str | None:
    """The run's outcome; None when the training accuracy of a non-grokking run is unknown."""
    if grokked or (test_acc is not None and test_acc >= GROK_ACC):
        return "grok"
    if train_acc is None:
        return None
    return "memorise" if train_acc >= MEMORISE_ACC else "fail"


def features(run: dict) -> np.ndarray:
    """The forecaster's inputs for one run: a dict with order, n_train, hidden, lr, weight_decay, epochs,
    centring."""
    m = float(run["order"])
    ratio = float(run["n_train"]) / (m * math.log(m))
    return np.array([
        ratio,
        math.log(ratio),
        math.log2(float(run["hidden"]) / m),
        math.log10(float(run["lr"])),
        math.log10(max(float(run["weight_decay"]), 1e-8)),
        math.log10(float(run["epochs"])),
        1.0 if run.get("centring", "sample") == "label" else 0.0,
    ])


N_FEATURES = 7  # the length of features(run)


def load_runs(path: str | Path = RUNS_PATH) -> list[dict]:
    try:
        return json.loads(Path(path).read_text())["runs"]
    except (OSError, ValueError, KeyError) as e:
        raise DataError(f"forecast runs: cannot read {path}: {e}") from None


def _logistic():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))


class _Constant:
    """A classifier for a training set with one class: that class with probability 1."""

    def __init__(self, label):
        self.classes_ = np.array([label])

    def predict_proba(self, X):
        return np.ones((len(X), 1))


class GrokForecaster(Estimator):
    """`GrokForecaster().fit(runs)`, then `forecast(run)` -> {outcome, p_grok, p_memorise, p_fail,
    grok_epoch, grok_epoch_low, grok_epoch_high}. level: the share of grokking runs the epoch interval is
    meant to cover."""

    _parameter_constraints: ClassVar[dict] = {"level": [Interval(Real, 0, 1, closed="neither")]}

    def __init__(self, level: float = 0.8):
        self.level = level

    def memory_bytes(self, runs) -> int:
        """The feature matrix of the runs (float64) with the copies its regressions make."""
        return 8 * 8 * (len(runs) + 1) * N_FEATURES

    def fit(self, runs: list[dict]) -> GrokForecaster:
        from sklearn.linear_model import LinearRegression

        self.validate()
        self.check_memory(runs)
        runs = [r for r in runs if r.get("grokked") is not None]
        if not runs:
            raise DataError("forecast: no runs to fit on")
        X = np.stack([features(r) for r in runs])
        y = np.array([bool(r["grokked"]) for r in runs])
        self.grok_ = _logistic().fit(X, y) if len(set(y)) > 1 else _Constant(bool(y[0]))
        known = [i for i, r in enumerate(runs) if not r["grokked"] and r.get("train_acc") is not None]
        fit_y = np.array([runs[i]["train_acc"] >= MEMORISE_ACC for i in known])
        if len(set(fit_y)) > 1:
            self.memorise_ = _logistic().fit(X[known], fit_y)
        else:
            self.memorise_ = _Constant(bool(fit_y[0]) if len(fit_y) else True)
        ep = [i for i, r in enumerate(runs) if r["grokked"] and r.get("grok_epoch") is not None]
        if len(ep) < 4:
            raise DataError("forecast: fewer than 4 grokking runs with a known grok epoch")
        groups = sorted({runs[i]["group"] for i in ep})
        rng = np.random.default_rng(0)
        aside = set()
        if len(groups) > 1:  # calibrate the interval on whole groups the point model did not see
            aside = set(rng.choice(groups, size=max(1, len(groups) // 5), replace=False))
        fit_i = [i for i in ep if runs[i]["group"] not in aside] or ep
        cal_i = [i for i in ep if runs[i]["group"] in aside] or ep
        target = np.log(np.array([runs[i]["grok_epoch"] for i in ep], float) + EPOCH_OFFSET)
        by_index = dict(zip(ep, target))
        model = LinearRegression().fit(X[fit_i], [by_index[i] for i in fit_i])
        resid = np.abs(model.predict(X[cal_i]) - np.array([by_index[i] for i in cal_i]))
        q = min(1.0, math.ceil((len(resid) + 1) * self.level) / len(resid))
        self.epoch_halfwidth_ = float(np.quantile(resid, q))
        # refit on every grokking run for the point forecast; the calibrated width stays
        self.epoch_ = LinearRegression().fit(X[ep], target)
        self.n_runs_ = len(runs)
        self.groups_ = sorted({r["group"] for r in runs})
        return self

    def forecast(self, run: dict) -> dict:
        self._check_fitted("grok_")
        x = features(run)[None]
        p_grok = float(self.grok_.predict_proba(x)[0, list(self.grok_.classes_).index(True)]
                       if True in self.grok_.classes_ else 0.0)
        cls = list(self.memorise_.classes_)
        p_mem_given = float(self.memorise_.predict_proba(x)[0, cls.index(True)]) if True in cls else 0.0
        probs = {"grok": p_grok, "memorise": (1 - p_grok) * p_mem_given,
                 "fail": (1 - p_grok) * (1 - p_mem_given)}
        mid = float(self.epoch_.predict(x)[0])
        return {
            "outcome": max(probs, key=probs.get),
            "p_grok": probs["grok"],
            "p_memorise": probs["memorise"],
            "p_fail": probs["fail"],
            "grok_epoch": max(0.0, math.exp(mid) - EPOCH_OFFSET),
            "grok_epoch_low": max(0.0, math.exp(mid - self.epoch_halfwidth_) - EPOCH_OFFSET),
            "grok_epoch_high": math.exp(mid + self.epoch_halfwidth_) - EPOCH_OFFSET,
        }


def held_out_scores(runs: list[dict], level: float = 0.8) -> dict:
    """Leave one group out: fit on the other groups' runs, forecast the group's. Outcome accuracy over the
    runs whose outcome is known; interval coverage over the held-out grokking runs with a known grok epoch."""
    groups = sorted({r["group"] for r in runs})
    per_group, hits, total, cov, cov_total, preds = [], 0, 0, 0, 0, []
    confusion: dict[str, dict[str, int]] = {}
    binary_hits = 0
    for g in groups:
        train = [r for r in runs if r["group"] != g]
        test = [r for r in runs if r["group"] == g]
        f = GrokForecaster(level=level).fit(train)
        gh = gt = gc = gct = 0
        for r in test:
            p = f.forecast(r)
            truth = outcome_of(r.get("train_acc"), None, r["grokked"])
            row = {"group": g, "ratio": features(r)[0], "truth": truth, **p}
            binary_hits += (p["outcome"] == "grok") == bool(r["grokked"])
            if truth is not None:
                cell = confusion.setdefault(truth, {})
                cell[p["outcome"]] = cell.get(p["outcome"], 0) + 1
                gt += 1
                gh += p["outcome"] == truth
            if r["grokked"] and r.get("grok_epoch") is not None:
                gct += 1
                gc += p["grok_epoch_low"] <= r["grok_epoch"] <= p["grok_epoch_high"]
            row["grok_epoch_true"] = r.get("grok_epoch")
            preds.append(row)
        per_group.append({"group": g, "runs": len(test), "outcome_known": gt,
                          "outcome_accuracy": gh / gt if gt else None, "grokking_runs": gct,
                          "interval_coverage": gc / gct if gct else None})
        hits, total, cov, cov_total = hits + gh, total + gt, cov + gc, cov_total + gct
    return {
        "outcome_accuracy": hits / total if total else None,
        "outcome_runs": total,
        "grok_vs_not_accuracy": binary_hits / len(runs) if runs else None,
        "confusion": confusion,
        "recall": {t: row.get(t, 0) / sum(row.values()) for t, row in confusion.items()},
        "interval_coverage": cov / cov_total if cov_total else None,
        "grokking_runs": cov_total,
        "per_group": per_group,
        "predictions": preds,
    }


def check_request(train_frac: float, hidden: int) -> None:
    if not (isinstance(train_frac, (int, float)) and 0.0 < train_frac <= 1.0):
        raise ConfigError(f"--train-frac: must be in (0, 1], got {train_frac!r}")
    if isinstance(hidden, bool) or not isinstance(hidden, int) or hidden < 1:
        raise ConfigError(f"--set hidden: the width must be an integer >= 1, got {hidden!r}")
