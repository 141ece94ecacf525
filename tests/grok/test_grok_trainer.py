import numpy as np
import pytest

from learnless.errors import ConfigError, NotFittedError
from learnless.grok.features import analyse_features
from learnless.grok.groups import parse_group, split_pairs
from learnless.grok.scaling import fit_c
from learnless.grok.trainer import GrokTrainer


def test_small_cyclic_group_memorises_then_generalises():
    g = parse_group("Z11")
    split = split_pairs(g, 0.7, seed=0)
    tr = GrokTrainer(hidden=128, lr=0.01, epochs=1500, eval_every=5, diag_every=25, stop_after_grok=20).fit(
        g, split
    )
    assert tr.memorize_epoch_ is not None and tr.grok_epoch_ is not None
    assert tr.memorize_epoch_ < tr.grok_epoch_  # memorisation first, generalisation later
    h = tr.history_
    at_mem = h["test_acc"][h["epoch"].index(tr.memorize_epoch_)]
    assert at_mem < 0.5
    assert tr.test_acc_ >= 0.95 and tr.train_acc_ == 1.0
    assert set(tr.stages()) == {"memorize_epoch", "feature_epoch", "grok_epoch"}
    a, b, c = (x[split.test] for x in g.pairs())
    assert (tr.predict(a, b) == c).mean() == pytest.approx(tr.test_acc_, abs=1e-6)


def test_too_few_pairs_memorise_without_generalising():
    g = parse_group("Z11")
    split = split_pairs(g, 0.15, seed=0)
    tr = GrokTrainer(hidden=64, lr=0.01, epochs=300, eval_every=10).fit(g, split)
    assert tr.train_acc_ == 1.0 and tr.grok_epoch_ is None and tr.test_acc_ < 0.5


@pytest.mark.parametrize(
    "kw",
    [
        {"centring": "label"},
        {"init_v": "zero"},
        {"optimizer": "adamw"},
        {"optimizer": "sgd", "lr": 0.05},
        {"optimizer": "muon"},
        {"ridge": 1.0},
        {"act": "relu", "loss": "ce"},
        {"act": "silu"},
    ],
)
def test_every_optimizer_activation_and_ridge_mode_trains(kw):
    g = parse_group("Z7")
    split = split_pairs(g, 0.7, seed=0)
    params = {"hidden": 32, "lr": 0.01, "epochs": 40, "eval_every": 5, "diag_every": 20} | kw
    tr = GrokTrainer(**params).fit(g, split)
    h = tr.history_
    assert h["train_loss"][-1] < h["train_loss"][0]
    assert np.isfinite(h["test_loss"]).all()


def test_non_abelian_group_trains_and_is_analysed_by_irreps():
    g = parse_group("S3")
    split = split_pairs(g, 0.75, seed=0)
    tr = GrokTrainer(hidden=32, lr=0.01, epochs=200, eval_every=5).fit(g, split)
    an = analyse_features(g, tr.model_.W.detach().numpy())
    assert an["labels"] == ["trivial", "d1#1", "d2#1"]
    assert np.allclose(an["spectrum"].sum(1), 1.0)
    assert tr.train_acc_ == 1.0


@pytest.mark.parametrize(
    "kw,needle",
    [
        ({"hidden": 0}, "hidden"),
        ({"hidden": 2.5}, "hidden"),
        ({"lr": -1}, "lr"),
        ({"epochs": 0}, "epochs"),
        ({"ridge": 0.0}, "ridge"),
        ({"eval_every": 0}, "eval_every"),
        ({"centring": "rows"}, "centring"),
        ({"init_v": "ones"}, "init_v"),
        ({"ridge": 1.0, "loss": "ce"}, "ridge"),
    ],
)
def test_bad_hyper_parameters(kw, needle):
    g = parse_group("Z5")
    with pytest.raises(ConfigError, match=needle):
        GrokTrainer(**kw).validate()
    with pytest.raises(ConfigError, match=needle):
        GrokTrainer(**kw).fit(g, split_pairs(g, 0.5))


def test_predict_before_fit_is_not_fitted_error():
    with pytest.raises(NotFittedError):
        GrokTrainer().predict([0], [1])
    with pytest.raises(NotFittedError):
        GrokTrainer().stages()


def test_one_parameter_list_drives_runs_presets_and_the_sweep():
    import inspect

    from learnless.grok.presets import PRESETS, trainer_params
    from learnless.grok.runs import build, train_config

    names = set(inspect.signature(GrokTrainer).parameters)
    config = train_config("Z7", 0.5, lr=0.01)
    assert set(config) == names | {"group", "train_frac"} and config["lr"] == 0.01
    assert build(config)[2].get_params() == {k: config[k] for k in names}
    for p in PRESETS.values():
        GrokTrainer(**trainer_params(p)).validate()
    with pytest.raises(ConfigError, match="wd"):
        train_config("Z7", 0.5, wd=1e-3)


def test_fit_c_recovers_a_known_constant():
    pts = [
        {"m_ln_m": m * np.log(m), "n_star": 2.5 * m * np.log(m) * (1 + e)}
        for m, e in [(11, 0.05), (13, -0.05), (17, 0.02), (19, -0.02), (23, 0.0)]
    ]
    fit = fit_c(pts)
    assert fit["c_low"] <= 2.5 <= fit["c_high"] and abs(fit["c"] - 2.5) < 0.1
    assert fit_c([{"m_ln_m": 1.0, "n_star": None}])["c"] is None


def test_per_entry_gram_ratio_and_component_count():
    import torch

    from learnless.grok.trainer import components_covered, mean_abs_offdiag_ratio

    assert mean_abs_offdiag_ratio(torch.tensor([[2.0, -1.0], [1.0, 2.0]])) == pytest.approx(0.5)
    assert mean_abs_offdiag_ratio(torch.eye(4)) == 0.0
    share = torch.tensor([[0.95, 0.05, 0.0], [0.0, 0.92, 0.08], [0.0, 0.93, 0.07], [0.1, 0.3, 0.6]])
    conc = torch.tensor([True, True, True, False])
    assert components_covered(conc, share) == 1  # the trivial component 0 and the mixed node do not count
    assert components_covered(torch.ones(4, dtype=torch.bool), share) == 2


def test_sample_gram_distance_from_ideal_matches_the_n_by_n_fit():
    import torch

    from learnless.grok.trainer import sample_gram_dist_from_ideal

    gen = torch.Generator().manual_seed(0)
    F = torch.randn(40, 7, generator=gen).pow(2)
    G = F @ F.t()
    n = G.shape[0]
    d, o = G.diag().mean(), (G.sum() - G.diag().sum()) / (n * (n - 1))
    ideal = (d - o) * torch.eye(n) + o
    assert sample_gram_dist_from_ideal(F) == pytest.approx(float((G - ideal).norm() / G.norm()), rel=1e-6)
    # a Gram that is exactly a I + o 11^T: rows of an orthogonal design plus a shared constant column
    exact = torch.cat([torch.eye(6), torch.ones(6, 1)], dim=1)
    assert sample_gram_dist_from_ideal(exact) == pytest.approx(0.0, abs=1e-7)


def test_diagnostics_count_the_components_the_features_analysis_finds():
    g = parse_group("Z11")
    split = split_pairs(g, 0.7, seed=0)
    tr = GrokTrainer(hidden=64, lr=0.01, weight_decay=1e-3, epochs=800, diag_every=50).fit(g, split)
    d = tr.diagnostics_
    an = analyse_features(g, tr.model_.W.detach().numpy())
    assert d["components_covered"][-1] == len([k for k in an["emerged"] if k != "k=0"]) == 5  # all of Z11
    assert all(np.isfinite(d["sample_offdiag_mean_ratio"])) and all(np.isfinite(d["offdiag_mean_ratio"]))
    assert all(0 <= x < 1 for x in d["sample_dist_from_ideal"])
    assert 0 < d["offdiag_mean_ratio"][-1] < 1


def test_muon_decay_of_its_own_bounds_the_hidden_layer_and_it_generalises():
    g = parse_group("Z11")
    split = split_pairs(g, 0.7, seed=0)
    kw = {"hidden": 64, "optimizer": "muon", "lr": 0.01, "muon_lr": 0.02, "epochs": 600}
    weak = GrokTrainer(**kw, muon_weight_decay=0.0).fit(g, split)
    decayed = GrokTrainer(**kw, muon_weight_decay=1.0).fit(g, split)
    assert decayed.history_["w_norm"][-1] < 0.5 * weak.history_["w_norm"][-1]
    assert decayed.grok_epoch_ is not None and decayed.test_acc_ >= 0.95
