import numpy as np

from tests.conftest import require_shared


def test_ofa_costs_match_flop_counter_and_dynast_rows():
    require_shared("dynast/notebooks_data/mbnv3w10_evoga_acc.csv")
    from learnless.search.hardware import count_macs_params
    from learnless.search.supernets import ofa_mbv3 as o
    from learnless.search.supernets.ofa_build import build

    t = o.dynast_table()
    macs, params = o.analytic_costs(o.dynast_vectors(t))
    assert np.array_equal(macs, t.macs.astype(np.int64)) and np.array_equal(params, t.params.astype(np.int64))
    i = 7
    m, p = count_macs_params(
        build(t.arch["ks"][i].tolist(), t.arch["e"][i].tolist(), t.arch["d"][i].tolist()), (1, 3, 224, 224)
    )
    assert (m, p) == (int(t.macs[i]), int(t.params[i]))


def test_ofa_masks_inactive_blocks():
    from learnless.search import load_supernet, space_of

    net = load_supernet("ofa-mbv3")
    sp = space_of(net)
    cfg = {**{n: c[-1] for n, c in sp.params.items()}, "d_0": 2}
    inactive = net.inactive(cfg)
    assert inactive == {"ks_2", "ks_3", "e_2", "e_3"}
    x = sp.to_vector(cfg)
    assert not sp.mask(x)[0][sp.names.index("ks_2")]
