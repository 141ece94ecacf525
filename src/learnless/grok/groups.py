"""Finite groups for the grokking lab: Cayley tables, real isotypic components (irreducible representations)
and seeded train/test splits of the |G|^2 products.

Supported specs (case-insensitive): `Z71` (cyclic Z_M), `Z2xZ3xZ4` (direct products of cyclic groups),
`D5` (dihedral group of the regular 5-gon, order 2n), `S4` (symmetric group S_n, n <= 5).

Representations are found numerically and work for any group given by its Cayley table: a random real
symmetric central element of the group algebra, acting on R^G by left multiplication, has one eigenspace per
real-irreducible isotypic component. A complex irrep and its conjugate (frequencies k and -k of Z_M) share
one real component, which is what a real-valued hidden node sees. For each component we keep the orthogonal
projector on R^G, its character psi (sum of the characters it contains), the irrep dimension d and whether it
merges a complex pair (Frobenius-Schur indicator 0).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from learnless.errors import ConfigError

ACCEPTED = (
    "Z<M> (cyclic, e.g. Z71), Z<a>xZ<b>[x...] (direct product, e.g. Z2xZ3xZ4), D<n> (dihedral, order 2n), "
    "S<n> (symmetric, n <= 5)"
)
MAX_ORDER = 400


@dataclass(frozen=True)
class Component:
    """One real-irreducible isotypic component of R^G."""

    label: str  # "k=5" for Z_M frequencies, "trivial", else "d2#1"
    dim: int  # dimension d of the (complex) irrep
    complex_pair: bool  # True when the component holds an irrep and its conjugate (rank 2 d^2, else d^2)
    basis: np.ndarray  # |G| x rank orthonormal basis of the component
    character: np.ndarray  # psi(g) = sum of the characters of the irreps it holds

    @property
    def rank(self) -> int:
        return self.basis.shape[1]


@dataclass
class Group:
    """A finite group given by its Cayley table: table[a, b] = index of a*b; element 0 is the identity."""

    name: str
    table: np.ndarray
    elements: list = field(repr=False)
    abelian_orders: tuple | None = None  # (M,) for Z_M, (a, b, ...) for products

    @property
    def order(self) -> int:
        return int(self.table.shape[0])

    @property
    def is_abelian(self) -> bool:
        return bool(np.array_equal(self.table, self.table.T))

    @cached_property
    def inverse(self) -> np.ndarray:
        return np.argmax(self.table == 0, axis=1)

    def conjugacy_classes(self) -> list[np.ndarray]:
        n, inv, t = self.order, self.inverse, self.table
        seen = np.full(n, -1)
        classes = []
        for x in range(n):
            if seen[x] >= 0:
                continue
            members = np.unique(t[t[np.arange(n), x], inv])  # g x g^-1 for every g
            seen[members] = len(classes)
            classes.append(members)
        return classes

    @cached_property
    def components(self) -> list[Component]:
        return _isotypic_components(self)

    def irrep_dims(self) -> list[int]:
        """Dimensions of the complex irreducible representations (a complex pair counts twice)."""
        out = []
        for c in self.components:
            out += [c.dim] * (2 if c.complex_pair else 1)
        return sorted(out)

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All |G|^2 (a, b, a*b) triples, row-major in (a, b)."""
        a, b = np.meshgrid(np.arange(self.order), np.arange(self.order), indexing="ij")
        a, b = a.ravel(), b.ravel()
        return a, b, self.table[a, b]


def parse_group(spec: str) -> Group:
    """The group named by `spec`; a ConfigError naming the accepted forms otherwise."""
    if not isinstance(spec, str) or not spec.strip():
        raise ConfigError(f"group: empty spec; accepted forms: {ACCEPTED}")
    s = spec.strip().replace("_", "").replace(" ", "")
    parts = re.split(r"[x×*]", s, flags=re.IGNORECASE) if re.fullmatch(r"(?i)z\d+([x×*]z\d+)+", s) else [s]
    if len(parts) > 1:
        orders = tuple(int(p[1:]) for p in parts)
        return _product(orders, spec)
    m = re.fullmatch(r"(?i)([zds])(\d+)", s)
    if not m:
        raise ConfigError(f"group: unknown spec {spec!r}; accepted forms: {ACCEPTED}")
    kind, n = m.group(1).upper(), int(m.group(2))
    if kind == "Z":
        return _product((n,), spec)
    if kind == "D":
        if n < 3:
            raise ConfigError(f"group: dihedral {spec!r} needs n >= 3; accepted forms: {ACCEPTED}")
        if 2 * n > MAX_ORDER:
            raise ConfigError(f"group: {spec!r} has order {2 * n} > {MAX_ORDER}")
        return _dihedral(n)
    if not 2 <= n <= 5:
        raise ConfigError(f"group: symmetric {spec!r} needs 2 <= n <= 5; accepted forms: {ACCEPTED}")
    return _symmetric(n)


def _product(orders: tuple, spec: str) -> Group:
    if any(o < 2 for o in orders):
        raise ConfigError(f"group: {spec!r}: every cyclic factor needs order >= 2")
    total = math.prod(orders)
    if total > MAX_ORDER:
        raise ConfigError(
            f"group: {spec!r} has order {total} > {MAX_ORDER} (the lab trains on all |G|^2 pairs)"
        )
    elements = list(itertools.product(*(range(o) for o in orders)))
    index = {e: i for i, e in enumerate(elements)}
    table = np.array(
        [[index[tuple((x + y) % o for x, y, o in zip(a, b, orders))] for b in elements] for a in elements],
        dtype=np.int64,
    )
    name = "x".join(f"Z{o}" for o in orders)
    return Group(name=name, table=table, elements=elements, abelian_orders=orders)


def _dihedral(n: int) -> Group:
    # (k, f) stands for r^k s^f; s r = r^-1 s.
    elements = [(k, f) for f in (0, 1) for k in range(n)]
    index = {e: i for i, e in enumerate(elements)}

    def mul(a, b):
        (k1, f1), (k2, f2) = a, b
        return ((k1 + (k2 if f1 == 0 else -k2)) % n, (f1 + f2) % 2)

    table = np.array([[index[mul(a, b)] for b in elements] for a in elements], dtype=np.int64)
    return Group(name=f"D{n}", table=table, elements=elements)


def _symmetric(n: int) -> Group:
    elements = list(itertools.permutations(range(n)))
    index = {e: i for i, e in enumerate(elements)}
    # (a*b)(i) = a(b(i)): apply b first.
    table = np.array(
        [[index[tuple(a[b[i]] for i in range(n))] for b in elements] for a in elements], dtype=np.int64
    )
    return Group(name=f"S{n}", table=table, elements=elements)


def left_regular(group: Group, g: int) -> np.ndarray:
    """Permutation matrix of x -> g x on R^G."""
    n = group.order
    p = np.zeros((n, n))
    p[group.table[g], np.arange(n)] = 1.0
    return p


def _isotypic_components(group: Group, seed: int = 0) -> list[Component]:
    n, t, inv = group.order, group.table, group.inverse
    classes = group.conjugacy_classes()
    class_of = np.empty(n, dtype=np.int64)
    for i, c in enumerate(classes):
        class_of[c] = i
    rng = np.random.default_rng(seed)
    for _attempt in range(5):
        weights = rng.standard_normal(len(classes))
        # the same weight on a class and its inverse class makes the central element symmetric
        weights = 0.5 * (weights + weights[class_of[inv[[c[0] for c in classes]]]])
        z = np.zeros((n, n))
        for g in range(n):
            z[t[g], np.arange(n)] += weights[class_of[g]]
        evals, evecs = np.linalg.eigh(z)
        groups_, start = [], 0
        scale = max(1.0, np.abs(evals).max())
        for i in range(1, n + 1):
            if i == n or evals[i] - evals[i - 1] > 1e-7 * scale:
                groups_.append((start, i))
                start = i
        comps = [_component(group, evecs[:, s:e]) for s, e in groups_]
        if all(c is not None for c in comps) and sum(c.rank for c in comps) == n:
            return _label(group, comps)
    raise RuntimeError(f"could not separate the irreducible components of {group.name}")  # pragma: no cover


def _component(group: Group, basis: np.ndarray) -> Component | None:
    n = group.order
    proj_e = basis @ basis[0]  # column e of the projector
    psi = n * proj_e  # sum of d * conj(chi) over the irreps in this component
    rank = basis.shape[1]
    fs = float(psi[group.table[np.arange(n), np.arange(n)]].sum() / n)  # d * Frobenius-Schur indicator sum
    if fs > 0.5:
        d, pair = round(fs), False
        if d * d != rank:
            return None
    else:
        d, pair = round(math.sqrt(rank / 2)), True
        if 2 * d * d != rank:
            return None
    return Component(label="", dim=d, complex_pair=pair, basis=basis, character=psi / d)


def _label(group: Group, comps: list[Component]) -> list[Component]:
    out = []
    cyclic = group.abelian_orders is not None and len(group.abelian_orders) == 1
    m = group.order
    counter: dict[int, int] = {}
    for c in comps:
        if np.allclose(c.character, c.character[0]) and c.rank == 1:
            label = "trivial" if not cyclic else "k=0"
        elif cyclic:
            # psi(1) = 2 cos(2 pi k / M) for the pair {k, -k}; 1-dim real ones are k = M/2
            val = c.character[1] / (2 if c.complex_pair else 1)
            k = round(math.acos(max(-1.0, min(1.0, val))) * m / (2 * math.pi))
            label = f"k={k}"
        else:
            counter[c.dim] = counter.get(c.dim, 0) + 1
            label = f"d{c.dim}#{counter[c.dim]}" + ("c" if c.complex_pair else "")
        out.append(
            Component(
                label=label, dim=c.dim, complex_pair=c.complex_pair, basis=c.basis, character=c.character
            )
        )

    def key(c):
        if cyclic:
            return int(c.label[2:])
        return (c.dim, c.label != "trivial", int(c.label.split("#")[1].rstrip("c")) if "#" in c.label else 0)

    return sorted(out, key=key)


@dataclass(frozen=True)
class Split:
    train: np.ndarray  # indices into group.pairs()
    test: np.ndarray


def split_pairs(
    group: Group, train_frac: float | None = None, seed: int = 0, n_train: int | None = None
) -> Split:
    """A seeded random split of the |G|^2 pairs: round(train_frac * |G|^2) (or n_train) pairs for training,
    the
    rest for test. With one seed, a larger training set contains every smaller one (prefixes of one
    permutation)."""
    total = group.order**2
    if n_train is not None:
        if (
            isinstance(n_train, bool)
            or not isinstance(n_train, (int, np.integer))
            or not 1 <= n_train < total
        ):
            raise ConfigError(
                f"n_train: must be an integer in [1, {total - 1}] for {group.name}, got {n_train!r}"
            )
        perm = np.random.default_rng(seed).permutation(total)
        return Split(train=np.sort(perm[:n_train]), test=np.sort(perm[n_train:]))
    try:
        frac = float(train_frac)
    except (TypeError, ValueError):
        raise ConfigError(f"train_frac: expected a number in (0, 1), got {train_frac!r}") from None
    if not 0.0 < frac < 1.0 or not math.isfinite(frac):
        raise ConfigError(f"train_frac: must be in (0, 1), got {train_frac!r}")
    n_train = round(frac * total)
    if n_train < 1 or n_train >= total:
        raise ConfigError(
            f"train_frac: {frac} of the {total} pairs of {group.name} gives "
            f"{n_train} training and {total - n_train} test pairs; both must be non-empty"
        )
    perm = np.random.default_rng(seed).permutation(total)
    return Split(train=np.sort(perm[:n_train]), test=np.sort(perm[n_train:]))
