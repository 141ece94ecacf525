import numpy as np
import pytest
import torch

from learnless.grok.energy import node_energy
from learnless.grok.features import memorisation_share, node_kinds
from learnless.grok.groups import Split, parse_group, split_pairs
from learnless.grok.lr_energy import describe_layer, fourier_maxima, measure_run, reference_energies
from learnless.grok.trainer import GrokTrainer, sample_gram_offdiag


def _offdiag(m: torch.Tensor) -> float:
    return float((m - torch.diag(m.diag())).norm() / m.norm())


def test_sample_gram_shares_match_the_n_by_n_matrices():
    gen = torch.Generator().manual_seed(0)
    F = torch.randn(40, 6, generator=gen) ** 2
    fc = F - F.mean(0, keepdim=True)
    share, share_sym = sample_gram_offdiag(F, fc, fc.t() @ fc)
    assert share == pytest.approx(_offdiag(fc @ F.t()), rel=1e-4)  # P F F^T
    assert share_sym == pytest.approx(_offdiag(fc @ fc.t()), rel=1e-4)  # P F F^T P


def test_trainer_logs_both_grams_and_refuses_a_missing_gpu():
    g = parse_group("Z7")
    tr = GrokTrainer(hidden=16, epochs=5, diag_every=1).fit(g, split_pairs(g, 0.6))
    d = tr.diagnostics_
    assert len(d["sample_offdiag_share"]) == len(d["offdiag_share"]) == len(d["epoch"])
    assert all(0 <= x <= 1 for x in d["sample_offdiag_share"] + d["sample_offdiag_share_sym"])
    assert tr.model_.W.device.type == "cpu" and tr.get_params()["device"] == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(Exception, match="--device cuda"):
            GrokTrainer(device="cuda").validate()


def test_fourier_maxima_reach_the_closed_form_and_memorisation_points_are_memorisation():
    g = parse_group("Z11")
    full = Split(train=np.arange(121), test=np.arange(0))
    e = node_energy(g, full, fourier_maxima(g))
    assert np.allclose(e, 11 / 16, atol=1e-5)  # Thm 2: E* = M/16 for every frequency (unit inputs)
    kinds = node_kinds(g, fourier_maxima(g))
    assert kinds["feature_frac"] == 1.0 and kinds["memorisation_frac"] == 0.0
    memo = np.zeros((3, 22), dtype=np.float32)
    memo[np.arange(3), [0, 4, 7]] = 1.0
    memo[np.arange(3), 11 + np.array([2, 5, 9])] = 1.0
    assert np.allclose(memorisation_share(memo), 1.0)
    assert node_kinds(g, memo)["memorisation_frac"] == 1.0
    ref = reference_energies(g, split_pairs(g, 0.3, seed=0))
    assert ref["fourier_full_table"] == pytest.approx(11 / 16, abs=1e-5)
    assert ref["memorisation_on_train"] > ref["fourier_on_train"]  # few pairs: memorisation has higher E


def test_measure_run_describes_the_layer():
    cfg = {"group": "Z7", "train_frac": 0.6, "trainer": {"hidden": 16, "lr": 0.01, "epochs": 10}, "seed": 1}
    r = measure_run(cfg, 0)
    assert r["seed"] == 1 and r["lr"] == 0.01
    assert r["feature_frac"] + r["memorisation_frac"] + r["mixed_frac"] == pytest.approx(1.0)
    assert len(r["energies"]) == r["n_active"]
    g = parse_group("Z7")
    again = describe_layer(g, split_pairs(g, 0.6, seed=1), fourier_maxima(g))
    assert again["feature_frac"] == 1.0 and again["frequencies_emerged"] == 3
