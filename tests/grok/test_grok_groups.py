import numpy as np
import pytest

from learnless.errors import ConfigError
from learnless.grok.groups import parse_group, split_pairs


@pytest.mark.parametrize(
    "spec,order,dims",
    [
        ("Z7", 7, [1] * 7),
        ("z_12", 12, [1] * 12),
        ("Z2xZ3xZ4", 24, [1] * 24),
        ("D5", 10, [1, 1, 2, 2]),
        ("D4", 8, [1, 1, 1, 1, 2]),
        ("S3", 6, [1, 1, 2]),
        ("S4", 24, [1, 1, 2, 3, 3]),
        ("S5", 120, [1, 1, 4, 4, 5, 5, 6]),
    ],
)
def test_orders_and_irrep_dimensions(spec, order, dims):
    g = parse_group(spec)
    assert g.order == order
    assert g.irrep_dims() == dims
    assert sum(d * d for d in g.irrep_dims()) == order
    # number of irreps = number of conjugacy classes
    assert len(g.irrep_dims()) == len(g.conjugacy_classes())


@pytest.mark.parametrize("spec", ["Z5", "Z2xZ3", "D4", "S4"])
def test_cayley_table_is_a_group(spec):
    g = parse_group(spec)
    t = g.table
    n = g.order
    assert (t[0] == np.arange(n)).all() and (t[:, 0] == np.arange(n)).all()  # identity is element 0
    for row in t:
        assert sorted(row) == list(range(n))  # Latin square
    i, j, k = np.meshgrid(range(n), range(n), range(n), indexing="ij")
    assert (t[t[i, j], k] == t[i, t[j, k]]).all()  # associative
    assert g.is_abelian == spec.startswith("Z")


@pytest.mark.parametrize("spec", ["Z9", "D5", "S4"])
def test_components_are_orthogonal_and_characters_orthonormal(spec):
    g = parse_group(spec)
    basis = np.concatenate([c.basis for c in g.components], axis=1)
    assert np.allclose(basis.T @ basis, np.eye(g.order), atol=1e-8)
    for c1 in g.components:
        for c2 in g.components:
            inner = (
                c1.character @ c2.character / g.order
            )  # real characters (a complex pair sums to 2 for itself)
            expected = (2 if c1.complex_pair else 1) if c1 is c2 else 0
            assert inner == pytest.approx(expected, abs=1e-8)
        assert c1.character[0] == pytest.approx(c1.dim * (2 if c1.complex_pair else 1))


def test_cyclic_components_are_fourier_frequencies():
    g = parse_group("Z11")
    assert [c.label for c in g.components] == [f"k={k}" for k in range(6)]
    x = np.arange(11)
    comp = {c.label: c for c in g.components}
    f = np.cos(2 * np.pi * 3 * x / 11 + 0.4)
    proj = comp["k=3"].basis @ (comp["k=3"].basis.T @ f)
    assert np.allclose(proj, f)


def test_split_is_seeded_nested_and_disjoint():
    g = parse_group("Z13")
    s1, s2 = split_pairs(g, 0.3, seed=4), split_pairs(g, 0.3, seed=4)
    assert (s1.train == s2.train).all()
    assert len(np.intersect1d(s1.train, s1.test)) == 0 and len(s1.train) + len(s1.test) == 169
    small, big = split_pairs(g, seed=1, n_train=20), split_pairs(g, seed=1, n_train=60)
    assert set(small.train) <= set(big.train)
    assert not (split_pairs(g, 0.3, seed=5).train == s1.train).all()


@pytest.mark.parametrize("spec", ["", "Q8", "Z", "Z1", "S6", "D2", "A4", "Z3xD4", "Z1000"])
def test_unknown_group_names_accepted_forms(spec):
    with pytest.raises(ConfigError) as e:
        parse_group(spec)
    assert "group" in str(e.value)


@pytest.mark.parametrize("frac", [0.0, 1.0, -0.2, 1.5, float("nan"), "x", 0.001, 0.9999])
def test_bad_train_fraction(frac):
    with pytest.raises(ConfigError) as e:
        split_pairs(parse_group("Z7"), frac)
    assert "train_frac" in str(e.value)
