"""Hyper-parameters per (model, dataset) used by the CLI and the reproduction benchmark.

DGMLP "released": the official code's values (quoted in the issue). Everything marked as chosen was chosen on
validation accuracy of the public split only (benchmarks/classify_tune.py, classify_select.py; logs under
benchmarks/results/classify_tune/); baselines otherwise use their own papers' Planetoid settings (the
estimator defaults).
"""

from __future__ import annotations

PRESETS: dict[tuple[str, str], dict] = {
    # official DGMLP release (issue #4)
    ("dgmlp-released", "cora"): {
        "variant": "released",
        "prop_depth": 20,
        "dropout": 0.2,
        "lr": 0.2,
        "weight_decay": 5e-3,
    },
    ("dgmlp-released", "citeseer"): {
        "variant": "released",
        "prop_depth": 15,
        "dropout": 0.1,
        "lr": 0.1,
        "weight_decay": 5e-2,
    },
    ("dgmlp-released", "pubmed"): {
        "variant": "released",
        "prop_depth": 20,
        "dropout": 0.5,
        "lr": 0.2,
        "weight_decay": 5e-5,
    },
    # DGMLP paper variant, chosen on VALIDATION accuracy only: random searches scored by the mean over 3 seeds
    # (classify_tune.py: stage 1, 36 points; stage 2 "refine", 20 points around the best with Dt = 1 and
    # larger
    # learning rates; stage 3 "wide", 160 points), then the best points and the incumbent re-scored with 10
    # seeds
    # (classify_select.py); logs in benchmarks/results/classify_tune/dgmlp-paper*_<dataset>*.csv.
    # Cora, stage 3 (select_wide): Dt = 1 with T = 2 won on validation (82.58 vs 82.38 % for the former
    # preset,
    # whose test accuracy was higher: 83.83 vs 83.24 % — the 500-node validation set cannot rank these points,
    # but the rule is fixed in advance and test accuracy is never used to choose). At Dt = 1 `hidden` and
    # `dropout` are unused (input dropout only).
    ("dgmlp-paper", "cora"): {
        "prop_depth": 20,
        "trans_depth": 1,
        "hidden": 64,
        "temperature": 2.0,
        "lr": 0.2,
        "weight_decay": 5e-3,
        "dropout": 0.3,
        "input_dropout": 0.5,
    },
    # Citeseer, stage 3 (select_wide, 60 points): Dt = 1, T = 0.5 won on validation (74.98 vs 74.46 % for the
    # former preset; test 72.36 vs 73.11 % — the same story as Cora).
    ("dgmlp-paper", "citeseer"): {
        "prop_depth": 15,
        "trans_depth": 1,
        "hidden": 64,
        "temperature": 0.5,
        "lr": 0.2,
        "weight_decay": 0.05,
        "dropout": 0.5,
        "input_dropout": 0.3,
    },
    # GCN: Kipf & Welling's row-normalised features (validation 80.0 vs 79.1 % raw, 2 seeds)
    ("gcn", "cora"): {"row_normalize": True},
    ("gcn", "citeseer"): {
        "row_normalize": True
    },  # Kipf & Welling's preprocessing (validation 72.0 %, 2 seeds)
    # GCNII: the GCNII paper's Citeseer setting (Cora's is the estimator default)
    ("gcnii", "citeseer"): {"layers": 32, "hidden": 256, "theta": 0.6, "dropout": 0.7},
    # SGC as in its paper: K = 2, Kipf & Welling's row-normalised features, only the weight decay tuned —
    # here on
    # mean validation accuracy over 3 seeds (benchmarks/results/classify_tune/sgc_<dataset>.csv, the K = 2
    # row-normalised rows). The log also holds a wider search (K 2/3, raw or row-normalised) whose validation
    # winner, K = 3, is reported beside it in the README.
    ("sgc", "cora"): {"row_normalize": True, "weight_decay": 1e-5},
    ("sgc", "citeseer"): {"row_normalize": True, "weight_decay": 1e-4},
    # S2GC: best mean validation accuracy (3 seeds) of a 40-point random search, both datasets
    # (benchmarks/results/classify_tune/s2gc_<dataset>.csv; raw features won on both)
    ("s2gc", "cora"): {"prop_depth": 32, "alpha": 0.1, "lr": 0.2, "weight_decay": 5e-4},
    ("s2gc", "citeseer"): {"prop_depth": 8, "alpha": 0.1, "lr": 0.05, "weight_decay": 0.03},
    # SIGN: best mean validation accuracy (3 seeds) of a random search
    # (benchmarks/results/classify_tune/sign_cora.csv,
    # 13 points — cut short for CPU time)
    ("sign", "cora"): {
        "prop_depth": 5,
        "hidden": 256,
        "dropout": 0.7,
        "input_dropout": 0.0,
        "lr": 0.01,
        "weight_decay": 5e-5,
    },
    # Citeseer: a SIGN fit took ~1 min here, so only 1 search point ran; it beat the Cora preset on Citeseer
    # validation (72.67 vs 72.07 %, 3 seeds; both in benchmarks/results/classify_tune/sign_citeseer.csv)
    ("sign", "citeseer"): {
        "prop_depth": 5,
        "hidden": 128,
        "dropout": 0.7,
        "input_dropout": 0.2,
        "lr": 0.001,
        "weight_decay": 1e-3,
        "row_normalize": True,
    },
}


def preset(model: str, dataset: str) -> dict:
    """The preset for (model, dataset) — dataset matched by registered name — or {} when none exists."""
    return dict(PRESETS.get((model, str(dataset).lower()), {}))
