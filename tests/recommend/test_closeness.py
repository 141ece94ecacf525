import numpy as np
import pytest
import scipy.sparse as sp

from learnless.data import user_item_graph
from learnless.errors import ConfigError
from learnless.recommend import GTE, Recommender
from learnless.recommend.closeness import closeness_agreement, closeness_order, shortest_paths, wl_check

# Hand-drawn: u0-{i0,i1}, u1-{i1,i2}, u2-{i1,i2,i3}, u3-{i3,i4}; i5 isolated.
#   from u0: i0, i1 at distance 1 (one path each); i2 at 3 via u1 and via u2 (2 paths);
#   i3 at 3 via u2 (1 path); i4 at 5 (u0-i1-u2-i3-u3-i4, 1 path); i5 unreachable.
HAND = sp.csr_matrix((np.ones(9), ([0, 0, 1, 1, 2, 2, 2, 3, 3], [0, 1, 1, 2, 1, 2, 3, 3, 4])), shape=(4, 6))


def test_shortest_paths_on_a_hand_drawn_graph():
    dist, count = shortest_paths(HAND, 0)
    assert dist.tolist() == [1, 1, 3, 3, 5, np.inf]
    assert count.tolist() == [1, 1, 2, 1, 1, 0]
    dist3, _ = shortest_paths(HAND, 3)
    assert dist3.tolist() == [5, 3, 3, 1, 1, np.inf]
    assert closeness_order(HAND, 0).tolist() == [0, 1, 2, 3, 4, 5]
    assert shortest_paths(HAND, 0, max_distance=3)[0].tolist() == [1, 1, 3, 3, np.inf, np.inf]


def test_more_shortest_paths_is_closer_at_equal_distance():
    # u0-{i0}; u1, u2 -{i0, i1}; u3 -{i0, i2}: i1 has two 3-paths from u0, i2 one
    R = sp.csr_matrix((np.ones(7), ([0, 1, 1, 2, 2, 3, 3], [0, 0, 1, 0, 1, 0, 2])), shape=(4, 3))
    assert closeness_order(R, 0).tolist() == [0, 1, 2]


def test_gte_k3_agrees_with_closeness_up_to_distance_three():
    data = user_item_graph(300, 200, seed=11)
    res = closeness_agreement(GTE(3).fit(data), n_users=40, max_distance=3, pairs_per_user=10**6)
    assert res["pairs"] > 1000 and res["agreement"] == 1.0


def test_hand_graph_agreement_counts_ties_of_unreached_items():
    res = closeness_agreement(GTE(3).fit(HAND), users=[0], pairs_per_user=100)
    # candidates i2..i5: pairs (2,3) (2,4) (2,5) (3,4) (3,5) (4,5), all strictly ordered;
    # GTE k=3 scores i4 and i5 both 0, so exactly one pair is a score tie
    assert res["pairs"] == 6
    assert res["score_ties"] == pytest.approx(1 / 6)
    assert res["agreement"] == pytest.approx(5 / 6)


class Reversed(Recommender):
    name = "reversed"

    def _fit(self, R, val):
        self.gte_ = GTE(3).fit(R)

    def _score(self, users):
        return -self.gte_.score(users)


def test_a_model_ordering_the_other_way_disagrees_everywhere():
    data = user_item_graph(200, 150, seed=1)
    res = closeness_agreement(Reversed().fit(data), n_users=20, max_distance=3)
    assert res["agreement"] == 0.0


def test_wl_check_users_automorphic_vs_gte():
    # u0-{i0}, u1-{i1}: swapping (u0,i0) with (u1,i1) is an automorphism; WL cannot split u0, u1;
    # GTE's one-hot item identities can. u2-{i0, i1} differs from both by degree.
    R = sp.csr_matrix((np.ones(4), ([0, 1, 2, 2], [0, 1, 0, 1])), shape=(3, 2))
    res = wl_check(R, GTE(3).fit(R).score(np.arange(3)))
    assert res["wl_user_classes"] == 2
    assert res["model_user_classes"] == 3
    assert res["wl_pairs_separated"] == 1.0
    assert res["model_pairs_separated_beyond_wl"] == 1
    assert wl_check(R, np.zeros((3, 4)))["wl_pairs_separated"] == 0.0  # a constant model separates nothing
    with pytest.raises(ConfigError, match="rows"):
        wl_check(R, np.zeros((2, 4)))


def test_bad_closeness_arguments():
    model = GTE(3).fit(HAND)
    with pytest.raises(ConfigError, match="unknown user"):
        shortest_paths(HAND, 9)
    with pytest.raises(ConfigError, match="pairs_per_user"):
        closeness_agreement(model, pairs_per_user=0)
