"""A user's own graph: advise (homophily against PyG, recommendations on generated graphs with known
answers), label post-processing that never reads validation labels, `auto` choosing by validation only,
and bad input through the console script."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
import torch
from torch_geometric.utils import homophily as pyg_homophily

from learnless.classify import make
from learnless.classify.advise import advise, estimated_homophily, observed_homophily
from learnless.classify.auto import family_order
from learnless.classify.runs import graph_for_seed
from learnless.classify.synthetic import edge_homophily, sbm_arrays, write_graph_files
from learnless.classify.trainer import TrainResult
from learnless.data import load_graph

from .conftest import replace
from .test_cli import learnless, one_line_error

PER_CLASS = {"kind": "per-class", "train_per_class": 20, "val_per_class": 30, "n_test": None}


def own_graph(tmp_path, name="g", n_nodes=600, **kw):
    """A generated SBM written as graph-files and read back with the CLI's loader."""
    folder = write_graph_files(tmp_path / name, *sbm_arrays(n_nodes=n_nodes, **kw))
    return folder, load_graph(str(folder), format="graph-files")


def split(graph, seed=0):
    return graph_for_seed(graph, seed, PER_CLASS)[0]


def test_observed_homophily_is_pyg_on_a_fully_labelled_graph(tmp_path):
    _, g = own_graph(tmp_path, homophily=0.6, mean_degree=6)
    rows, cols = g.adj.nonzero()
    edge_index = torch.from_numpy(np.vstack([rows, cols]).astype(np.int64))
    y = torch.from_numpy(g.y)
    ours = observed_homophily(g.adj, g.y)
    assert ours["edge"] == pytest.approx(pyg_homophily(edge_index, y, method="edge"), abs=1e-6)
    assert ours["node"] == pytest.approx(pyg_homophily(edge_index, y, method="node"), abs=1e-6)
    assert ours["class_insensitive"] == pytest.approx(
        pyg_homophily(edge_index, y, method="edge_insensitive"), abs=1e-6)
    assert 0.5 < ours["edge"] < 0.7


@pytest.mark.parametrize("h", [0.2, 0.8])
def test_homophily_estimate_from_20_labels_per_class_on_a_dense_graph(tmp_path, h):
    edges, _, y = sbm_arrays(n_nodes=1200, homophily=h, mean_degree=15, seed=2)
    _, g = own_graph(tmp_path, n_nodes=1200, homophily=h, mean_degree=15, seed=2)
    g = split(g)
    labels = np.where(g.train_mask, g.y, -1)
    est = estimated_homophily(g.adj, labels)["edge"]
    assert abs(est - edge_homophily(edges, y)) < 0.05, est


@pytest.mark.parametrize("h", [0.1, 0.5, 0.9])
def test_homophily_estimate_from_20_labels_per_class_on_a_sparse_graph(tmp_path, h):
    # mean degree 3: ~8 edges join two of the 80 labelled nodes, so the estimate rests on longer paths;
    # averaged over five label draws, as the benchmark reports it
    edges, _, y = sbm_arrays(n_nodes=1200, homophily=h, mean_degree=3, seed=0)
    _, g = own_graph(tmp_path, n_nodes=1200, homophily=h, mean_degree=3, seed=0)
    errors = []
    for seed in range(5):
        labels = np.where(split(g, seed).train_mask, g.y, -1)
        errors.append(abs(estimated_homophily(g.adj, labels)["edge"] - edge_homophily(edges, y)))
    assert np.mean(errors) < 0.05, errors


def test_homophily_estimate_is_exact_with_every_label(tmp_path):
    edges, _, y = sbm_arrays(n_nodes=600, homophily=0.7, mean_degree=6, seed=4)
    _, g = own_graph(tmp_path, homophily=0.7, mean_degree=6, seed=4)
    assert estimated_homophily(g.adj, g.y)["edge"] == pytest.approx(edge_homophily(edges, y), abs=0.01)


def test_advise_reads_training_labels_only_and_recommends_propagation(tmp_path):
    _, g = own_graph(tmp_path, homophily=0.9, mean_degree=8, signal=0.3, seed=1)
    g = split(g)
    train = np.flatnonzero(g.train_mask)
    a = advise(g, train, depths=(0, 1, 2, 4, 8))
    assert a.recommendation == "low-pass" and a.depth >= 2, a.reason
    assert a.probe_by_depth[str(a.depth)] > a.feature_probe + 0.1
    garbage = g.y.copy()
    rest = np.flatnonzero(~g.train_mask)
    garbage[rest] = np.random.default_rng(0).integers(0, 4, len(rest))
    b = advise(replace(g, y=garbage), train, depths=(0, 1, 2, 4, 8))
    assert a.to_dict() == b.to_dict()


def test_advise_says_mlp_when_edges_ignore_classes(tmp_path):
    # homophily 0.25 with 4 classes: edges are independent of the class, features are strong
    _, g = own_graph(tmp_path, homophily=0.25, mean_degree=8, signal=1.5, seed=3)
    g = split(g)
    a = advise(g, np.flatnonzero(g.train_mask), depths=(0, 1, 2, 4))
    assert a.recommendation == "mlp", a.reason


def test_advise_cli_json(tmp_path):
    folder, _ = own_graph(tmp_path, homophily=0.9, mean_degree=8, signal=0.3)
    proc = learnless("classify", "advise", "-d", str(folder), "--format", "graph-files", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["recommendation"] in ("mlp", "low-pass", "heterophily") and doc["reason"]
    assert {"edge", "adjusted", "class_insensitive"} <= set(doc["homophily_estimated"])
    assert doc["training_nodes"] == 80 and doc["degrees"]["nodes"] == 600


@pytest.mark.parametrize("post", ["lp", "cs"])
def test_post_processing_never_reads_validation_or_test_labels(tmp_path, post):
    _, g = own_graph(tmp_path, homophily=0.9, mean_degree=6, signal=0.3)
    g = split(g)
    m = make("sgc", post=post, epochs=50).fit(g)
    assert m.result_.network_test_acc is not None
    garbage = g.y.copy()
    other = np.flatnonzero(~g.train_mask)
    garbage[other] = (garbage[other] + 1) % 4  # every validation and test label wrong
    np.testing.assert_array_equal(m.predict_proba(g), m.predict_proba(replace(g, y=garbage)))
    # on a homophilous graph with weak features, correcting and smoothing with the labels helps
    plain = make("sgc", epochs=50).fit(g).result_
    assert m.result_.val_acc > plain.val_acc


def test_auto_chooses_by_validation_only(tmp_path):
    _, g = own_graph(tmp_path, homophily=0.9, mean_degree=6, signal=0.3)
    g = split(g)
    kw = {"n_trials": 5, "time_budget": 1e6, "families": ["mlp", "sgc", "dgmlp"], "epochs": 60}
    a = make("auto", **kw).fit(g)
    test = np.flatnonzero(g.test_mask)
    shuffled = g.y.copy()
    shuffled[test] = np.random.default_rng(0).permutation(shuffled[test])
    b = make("auto", **kw).fit(replace(g, y=shuffled))
    assert a.choice_ == b.choice_ and a.ensemble_ == b.ensemble_
    assert [r["val_acc"] for r in a.trials_] == [r["val_acc"] for r in b.trials_]
    assert a.choice_["family"] != "mlp"  # the graph carries the signal here
    assert a.result_.test_acc > 0.6
    assert a.choice_["family"] in a.reason_


def test_auto_first_trials_are_the_default_models_on_raw_features(tmp_path):
    """Each family's first trial is exactly `make(family, seed=...)` on the graph as given, so auto's
    candidates include every default model (same validation and test accuracy)."""
    _, g = own_graph(tmp_path, homophily=0.7, mean_degree=6, signal=0.5)
    g = split(g)
    families = ["mlp", "sgc", "s2gc"]
    a = make("auto", n_trials=3, time_budget=1e6, families=families, epochs=200, seed=3).fit(g)
    firsts = a.trials_[:3]
    assert [(t["family"], t["params"], t["feature_scaling"]) for t in firsts] == [
        (f, {}, "none") for f in families]
    for t in firsts:
        assert t["val_acc"] == make(t["family"], seed=3).fit(g).result_.val_acc
    assert a.best_choice_["val_acc"] == max(t["val_acc"] for t in a.trials_ if t["val_acc"] is not None)


def test_within_noise_keeps_an_earlier_trial_unless_a_later_one_is_clearly_better():
    """Validation records of 100 nodes. A later trial right on 3 more nodes, the two disagreeing on 9
    (3 > 1·√9 is false), is noise: the earlier stays eligible. Right on 10 more where they disagree on 10
    (10 > √10): the earlier is out. select_se = 0 keeps the best alone, and a tie keeps the earlier."""
    from learnless.classify.auto import by_validation, within_noise

    base = np.zeros(100, bool)
    base[:60] = True
    slightly = base.copy()
    slightly[[0, 1, 2]] = False  # 3 of base's nodes wrong, 6 others right: 3 more right, 9 disagreements
    slightly[60:66] = True
    clearly = base.copy()
    clearly[60:70] = True  # 10 more right, 10 disagreements
    assert within_noise([base, slightly], 1.0) == [0, 1]
    assert within_noise([base, clearly], 1.0) == [1]
    assert within_noise([base, slightly], 0.0) == [1]
    assert within_noise([base, slightly, clearly], 1.0) == [2]  # the best is always eligible
    assert within_noise([base, base.copy()], 0.0) == [0, 1] and by_validation([base, base.copy()]) == [0, 1]
    assert by_validation([base, clearly, slightly]) == [1, 2, 0]


def test_auto_keeps_the_earliest_trial_within_noise_of_the_best(tmp_path):
    """The kept trial is the first of `within_noise` over the finished trials' validation records; with
    select_se = 0 it is the best trial by validation."""
    from learnless.classify.auto import within_noise

    _, g = own_graph(tmp_path, homophily=0.3, mean_degree=4, signal=0.3)
    g = split(g)
    kw = {"n_trials": 8, "time_budget": 1e6, "families": ["mlp", "sgc", "sign"], "epochs": 60}
    a = make("auto", **kw).fit(g)
    finished = [t for t in a.trials_ if t["val_acc"] is not None]
    val = np.flatnonzero(g.val_mask)
    # each finished trial's validation record, refitted from its choice (training is deterministic)
    from learnless.classify.auto import estimator_for, scaled_graph

    correct = [estimator_for(t, seed=0, epochs=60).fit(scaled_graph(g, t["feature_scaling"]))
               .predict(scaled_graph(g, t["feature_scaling"]))[val] == g.y[val] for t in finished]
    kept = finished[within_noise(correct, 1.0)[0]]
    assert (a.choice_["family"], a.choice_["params"]) == (kept["family"], kept["params"])
    assert a.choice_["family"] in a.reason_ and a.best_choice_["family"] in a.reason_
    strict = make("auto", select_se=0.0, **kw).fit(g)
    assert strict.choice_ is strict.best_choice_
    assert strict.choice_["val_acc"] == max(t["val_acc"] for t in finished)


def test_auto_refits_a_kept_trial_whose_model_was_dropped(tmp_path, monkeypatch):
    """A trial's model is dropped once it is neither within the noise of the best nor among the best few;
    should the final choice still land on it, it is refitted, and predicts as the dropped model did."""
    from learnless.classify import auto as auto_module

    calls = {"n": 0}
    real = auto_module.within_noise

    def best_alone_until_the_end(correct, select_se):
        calls["n"] += 1
        return real(correct, 0.0) if calls["n"] <= 3 else [0] + real(correct, 0.0)

    monkeypatch.setattr(auto_module, "within_noise", best_alone_until_the_end)
    _, g = own_graph(tmp_path, homophily=0.9, mean_degree=6, signal=0.3)
    g = split(g)
    a = make("auto", n_trials=3, time_budget=1e6, families=["mlp", "sgc", "s2gc"], epochs=60,
             ensemble=1).fit(g)
    assert a.best_choice_["family"] != "mlp"  # so mlp's model, the first trial's, was dropped
    assert a.choice_["family"] == "mlp" and a.model_ is not None
    assert a.model_.result_.val_acc == a.trials_[0]["val_acc"]
    assert a.score(g, "val") == pytest.approx(a.trials_[0]["val_acc"])


def test_auto_averages_the_best_trials_by_validation(tmp_path):
    """ensemble=3: of the kept trial and the two best others by validation accuracy (ties: the earlier),
    the first k whose mean probabilities have the best validation accuracy (ties: the larger k), each member
    on the features scaled as it was chosen; its accuracies are the average's. ensemble=1: the kept trial
    alone."""
    from learnless.classify.auto import scaled_graph

    _, g = own_graph(tmp_path, homophily=0.7, mean_degree=6, signal=0.3)
    g = split(g)
    kw = {"n_trials": 6, "time_budget": 1e6, "families": ["mlp", "sgc", "s2gc"], "epochs": 60}
    a = make("auto", ensemble=3, **kw).fit(g)
    finished = [(i, t) for i, t in enumerate(a.trials_) if t["val_acc"] is not None]
    key = ("family", "params", "feature_scaling")
    kept = next(i for i, t in finished if all(t[k] == a.choice_[k] for k in key))
    others = sorted([(i, t) for i, t in finished if i != kept], key=lambda it: (-it[1]["val_acc"], it[0]))
    candidates = [a.trials_[kept]] + [t for _, t in others[:2]]
    accs = a.ensemble_val_accs_
    assert len(accs) == 3 and accs[0] == pytest.approx(a.choice_["val_acc"], abs=1e-6)  # the kept one alone
    k = max(i + 1 for i, v in enumerate(accs) if v == max(accs))
    same = [tuple(c[f] for f in key) for c in a.ensemble_]
    assert same == [tuple(t[f] for f in key) for t in candidates[:k]]
    assert a.ensemble_[0] == a.choice_ and a.members_[0] is a.model_
    mean = np.mean([m.predict_proba(scaled_graph(g, c["feature_scaling"]))
                    for m, c in zip(a.members_, a.ensemble_)], axis=0)
    np.testing.assert_allclose(a.predict_proba(g), mean)
    for mask in ("val", "test"):
        idx = np.flatnonzero(getattr(g, f"{mask}_mask"))
        expected = (mean[idx].argmax(1) == g.y[idx]).mean()
        assert getattr(a.result_, f"{mask}_acc") == a.score(g, mask) == pytest.approx(expected)
    one = make("auto", ensemble=1, **kw).fit(g)
    assert one.choice_ == a.choice_ and len(one.members_) == 1 and one.result_ is one.model_.result_
    np.testing.assert_array_equal(one.predict_proba(g),
                                  one.model_.predict_proba(scaled_graph(g, one.choice_["feature_scaling"])))


class _Fixed:
    """A fitted model stand-in whose probabilities are given."""

    def __init__(self, probs):
        self.probs = probs
        self.result_ = TrainResult(best_epoch=0, val_acc=0.0, test_acc=0.0, train_acc=0.0, seconds=0.0)

    def predict_proba(self, graph):
        return self.probs


@pytest.mark.parametrize("second_fixes_half", [True, False])
def test_auto_averages_only_where_validation_says_the_average_is_better(tmp_path, second_fixes_half):
    """Three candidate trials on 4 classes; the best is right on half the validation nodes, the third
    confidently wrong everywhere. Where the second is confidently right on the other half, the mean of the
    first two is right everywhere and is kept; where it is confidently wrong on the best's half, averaging
    would cost validation accuracy, and the best stays alone."""
    from learnless.classify.auto import AutoClassifier

    _, g = own_graph(tmp_path, homophily=0.7, mean_degree=6, signal=0.3)
    g = split(g)
    n, y = g.num_nodes, g.y
    val = np.flatnonzero(g.val_mask)
    half = np.zeros(n, bool)
    half[val[: len(val) // 2]] = True
    onehot = np.eye(4)[y]
    wrong = np.eye(4)[(y + 1) % 4]
    best = np.where(half[:, None], 0.4 * onehot + 0.2, 0.4 * wrong + 0.2)  # 0.6 on its class, 0.2 elsewhere
    if second_fixes_half:
        second = np.where(half[:, None], 0.25, onehot)
    else:
        second = np.where(half[:, None], wrong, 0.25)
    third = 2.0 * wrong
    choices = [{"family": f, "params": {}, "feature_scaling": "none", "val_acc": v}
               for f, v in (("sgc", 0.5), ("mlp", 0.5), ("s2gc", 0.25))]
    auto = AutoClassifier(ensemble=3)
    auto.model_ = _Fixed(best)
    auto._choose_ensemble(g, choices, [auto.model_, _Fixed(second), _Fixed(third)])
    if second_fixes_half:
        assert [c["family"] for c in auto.ensemble_] == ["sgc", "mlp"]
        assert auto.result_.val_acc == 1.0 and auto.ensemble_val_accs_ == [0.5, 1.0, 0.0]
    else:
        assert [c["family"] for c in auto.ensemble_] == ["sgc"] and auto.result_ is auto.model_.result_
        assert auto.ensemble_val_accs_ == [0.5, 0.0, 0.0]


def test_auto_default_trials_start_with_the_families_the_homophily_suggests(tmp_path):
    _, hetero = own_graph(tmp_path, "hetero", homophily=0.1, mean_degree=10, signal=0.5)
    _, homo = own_graph(tmp_path, "homo", homophily=0.9, mean_degree=10, signal=0.5)
    first = {}
    for name, g in (("hetero", split(hetero)), ("homo", split(homo))):
        a = make("auto", n_trials=3, time_budget=1e6, epochs=20).fit(g)
        first[name] = [t["family"] for t in a.trials_]
        assert a.family_order_[:3] == first[name]
        assert all(t["params"] == {} and t["feature_scaling"] == "none" for t in a.trials_)
    assert first["hetero"] == ["sgc", "mlp", "s2gc"]  # a linear model, no propagation, the other linear one
    assert first["homo"] == ["sgc", "appnp", "s2gc"]  # a linear model, propagation, the other linear one


def test_auto_family_order_reads_no_test_label(tmp_path):
    _, g = own_graph(tmp_path, homophily=0.3, mean_degree=4, signal=0.5)
    g = split(g)
    test = np.flatnonzero(g.test_mask)
    shuffled = g.y.copy()
    shuffled[test] = np.random.default_rng(0).permutation(shuffled[test])
    assert family_order(g) == family_order(replace(g, y=shuffled))
    # with fewer labelled edges than the direct count needs, the path-count fit decides; still no test label
    assert family_order(g, min_edges=10**9) == family_order(replace(g, y=shuffled), min_edges=10**9)


def test_auto_cli_saves_its_choice_and_predict_reuses_it(tmp_path):
    folder, _ = own_graph(tmp_path, homophily=0.9, mean_degree=6, signal=0.3)
    run = tmp_path / "run"
    # a trial count, not a budget, so the choice does not depend on the machine's load
    proc = learnless("classify", "run", "-d", str(folder), "--format", "graph-files", "--model", "auto",
                     "--set", "n_trials=3", "--set", "epochs=60", "--seeds", "1", "--out", str(run), "--json")
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads(proc.stdout)
    assert metrics["test_acc_mean"] > 0.5
    choice = json.loads((run / "choice.json").read_text())["0"]
    assert choice["family"] and choice["reason"]
    assert 1 <= len(choice["ensemble"]) <= 3 and choice["ensemble"][0]["family"] == choice["family"]
    out = tmp_path / "pred.csv"
    proc = learnless("classify", "predict", "-d", str(folder), "--format", "graph-files", "--run", str(run),
                     "-o", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    predicted = json.loads(proc.stdout)
    assert predicted["family"] == choice["family"]
    assert predicted["ensemble"] == [c["family"] for c in choice["ensemble"]]
    # the same members refitted with the same seed: the run's validation accuracy again
    assert predicted["val_acc"] == pytest.approx(metrics["val_acc_mean"])
    assert len(out.read_text().splitlines()) == 601
    # two members, the second on standardised features: predict writes the argmax of their mean
    second = {"family": "mlp", "params": {"epochs": 30}, "feature_scaling": "standardize", "val_acc": 0.0}
    members = [choice["ensemble"][0], second]
    (run / "choice.json").write_text(json.dumps({"0": {**choice, "ensemble": members}}))
    proc = learnless("classify", "predict", "-d", str(folder), "--format", "graph-files", "--run", str(run),
                     "-o", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ensemble"] == [members[0]["family"], "mlp"]
    from learnless.classify.auto import average_proba, estimator_for, scaled_graph
    from learnless.classify.splits import resolve_split

    graph = load_graph(str(folder), format="graph-files")
    g = graph_for_seed(graph, 0, resolve_split(graph))[0]
    models = [estimator_for(c, seed=0).fit(scaled_graph(g, c["feature_scaling"])) for c in members]
    expected = average_proba(models, members, g).argmax(1)
    written = np.array([int(line.split(",")[1]) for line in out.read_text().splitlines()[1:]])
    np.testing.assert_array_equal(written, expected)
    assert (written != models[0].predict(g)).any()  # the second member changed some predictions
    # a saved choice with a member that is not one: one error line naming the file, no predictions written
    out.unlink()
    (run / "choice.json").write_text(json.dumps({"0": {**choice, "ensemble": [{"family": "mlp"}]}}))
    proc = learnless("classify", "predict", "-d", str(folder), "--format", "graph-files", "--run", str(run),
                     "-o", str(out))
    one_line_error(proc, "choice.json", "feature_scaling")
    assert not out.exists()
    (run / "choice.json").unlink()
    proc = learnless("classify", "predict", "-d", str(folder), "--format", "graph-files", "--run", str(run),
                     "-o", str(out))
    one_line_error(proc, "choice.json", "no saved choice")


def test_auto_budget_never_stops_the_first_trial(tmp_path):
    _, g = own_graph(tmp_path, homophily=0.9, mean_degree=6, signal=0.3)
    a = make("auto", time_budget=1e-3, epochs=20).fit(split(g))
    assert len([r for r in a.trials_ if r["val_acc"] is not None]) == 1
    assert a.predict(split(g)).shape == (g.num_nodes,)


def test_auto_defers_a_default_trial_that_would_not_finish_in_the_budget_left(tmp_path, monkeypatch):
    """A default model whose first epochs project it past the budget left waits behind the other defaults,
    so the cheap ones run; the first finished trial is never deferred."""
    import learnless.classify.auto as auto_module

    made = auto_module.estimator_for

    def with_slow_gcn(choice, seed=0, epochs=None):
        est = made(choice, seed=seed, epochs=epochs)
        if choice["family"] == "gcn":
            fit = est.fit

            def slow_fit(graph, device="cpu", monitor=None):
                def slowed(epoch, val_acc):
                    time.sleep(0.04)  # 100 epochs: about 4 s, past a 3 s budget
                    monitor(epoch, val_acc)
                return fit(graph, device=device, monitor=slowed)
            est.fit = slow_fit
        return est

    monkeypatch.setattr(auto_module, "estimator_for", with_slow_gcn)
    _, g = own_graph(tmp_path, homophily=0.9, mean_degree=6, signal=0.3)
    a = make("auto", time_budget=3.0, epochs=100, families=["sgc", "gcn", "mlp"]).fit(split(g))
    order = [(r["family"], bool(r.get("deferred"))) for r in a.trials_]
    assert order[:3] == [("sgc", False), ("gcn", True), ("mlp", False)], order
    assert a.trials_[2]["val_acc"] is not None  # the model behind the slow one finished
    assert a.choice_["family"] in ("sgc", "mlp")
    # slow first: it is the only model so far, so it is not deferred
    b = make("auto", time_budget=3.0, epochs=100, families=["gcn", "sgc"]).fit(split(g))
    assert [r["family"] for r in b.trials_][:1] == ["gcn"] and not b.trials_[0].get("deferred")
    assert b.trials_[0]["val_acc"] is not None


def _bad(tmp_path, kind):
    edges, x, y = sbm_arrays(n_nodes=400, homophily=0.8, mean_degree=4)
    if kind == "one class":
        y = np.zeros_like(y)
    if kind == "constant features":
        x = np.ones_like(x)
    folder = write_graph_files(tmp_path / kind.replace(" ", "_"), edges, x, y)
    if kind == "labels on three nodes":
        (folder / "labels.csv").write_text("0\n1\n2\n" + "\n" * (len(y) - 3))
    if kind == "edge to a missing node":
        with open(folder / "edges.csv", "a") as fh:
            fh.write(f"0,{len(y) + 5}\n")
    return folder


BAD = [("one class", "needs at least 2 classes"),
       ("labels on three nodes", "has 1 labelled nodes, fewer than"),
       ("constant features", "features: every column is constant"),
       ("edge to a missing node", "edges.csv:802: node id out of range")]


@pytest.fixture(scope="module")
def auto_run(tmp_path_factory):
    """A run directory of `classify run --model auto` on a good graph, for `classify predict`."""
    tmp = tmp_path_factory.mktemp("auto_run")
    folder, _ = own_graph(tmp, n_nodes=400, homophily=0.8, mean_degree=4)
    proc = learnless("classify", "run", "-d", str(folder), "--format", "graph-files", "--model", "auto",
                     "--set", "n_trials=1", "--set", "epochs=20", "--seeds", "1", "--out", str(tmp / "run"),
                     "-q")
    assert proc.returncode == 0, proc.stderr
    return tmp / "run"


@pytest.mark.parametrize("command", ["advise", "run", "predict"])
@pytest.mark.parametrize(("kind", "needle"), BAD)
def test_bad_input_is_one_error_line(tmp_path, kind, needle, command, request):
    folder = _bad(tmp_path, kind)
    args = {"advise": ["advise"], "run": ["run", "--model", "auto"]}.get(command)
    if command == "predict":
        run = request.getfixturevalue("auto_run")
        args = ["predict", "--run", str(run), "-o", str(tmp_path / "pred.csv")]
    proc = learnless("classify", *args, "-d", str(folder), "--format", "graph-files")
    assert one_line_error(proc, needle).startswith("error:")
    assert not (tmp_path / "pred.csv").exists()  # nothing half-written
