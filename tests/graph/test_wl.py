import numpy as np
import scipy.sparse as sp

from learnless.graph import wl_colors


def graph(edges, n):
    r, c = zip(*edges)
    a = sp.coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n)).tocsr()
    return a.maximum(a.T)


def test_path_colours_by_distance_to_the_ends():
    # path 0-1-2-3-4: ends, their neighbours, the centre
    colors = wl_colors(graph([(0, 1), (1, 2), (2, 3), (3, 4)], 5))[-1]
    assert colors[0] == colors[4] and colors[1] == colors[3]
    assert len({colors[0], colors[1], colors[2]}) == 3


def test_regular_graphs_are_indistinguishable():
    # a 6-cycle and two triangles: both 2-regular, the classic 1-WL failure
    cycle = graph([(i, (i + 1) % 6) for i in range(6)], 6)
    triangles = graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)], 6)
    for a in (cycle, triangles):
        history = wl_colors(a)
        assert len(set(history[-1].tolist())) == 1
        assert len(history) == 2  # one refinement round shows the partition is already stable


def test_initial_colours_are_refined_and_history_starts_with_them():
    star = graph([(0, 1), (0, 2), (0, 3)], 4)
    history = wl_colors(star, initial=np.array([5, 5, 5, 9]))
    assert history[0].tolist() == [0, 0, 0, 1]
    final = history[-1]
    assert final[1] == final[2] != final[3] and final[0] not in (final[1], final[3])


def test_iterations_cap():
    path = graph([(i, i + 1) for i in range(9)], 10)
    assert len(wl_colors(path, iterations=1)) == 2
