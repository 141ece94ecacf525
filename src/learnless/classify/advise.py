"""Before any training: what a graph's propagation can do for its node classes, from the TRAINING labels only.

- homophily: edge, node and class-insensitive (Lim et al., 2021) homophily and adjusted homophily
  (Platonov et al., 2022), with PyG's / DGL's formulas, on the edges between training nodes (`observed`);
  and an estimate that also uses longer paths (`estimated`): with 20 labels per class few edges join two
  labelled nodes, but many non-backtracking paths of length 2 and 3 do. Their class co-occurrence is
  ≈ Hˡ for the class compatibility matrix H (Kumar et al., "Factorized graph representations for
  semi-supervised learning from sparsely labeled data", 2020), so H is fitted to lengths 1..3 at once,
  through the symmetric share of edges between each pair of classes;
- how informative the raw features are: a linear probe cross-validated on the training nodes, beside the
  same probe on Âᵏ X over depth (low-pass) and on [X, (I − Â)X, (I − Â)²X] (high-pass, heterophily);
- NSL / GSL over depth and degree statistics;
- a recommendation — no propagation (MLP), low-pass propagation to depth k, or heterophily-aware
  propagation — with its reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from learnless.errors import DataError

DEPTHS = (0, 1, 2, 3, 4, 6, 8, 12, 16)
# names the homophily estimator: benchmarks key their journaled estimates by it, so a changed method is rerun
HOMOPHILY_METHOD = "nonbacktracking-paths-1..3-symmetric"
# a depth's probe must beat no propagation by this much (accuracy) before propagation is recommended
MARGIN = 0.02


# --- homophily -------------------------------------------------------------------------------------------
def _undirected_edges(adj: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of every directed edge of the symmetrised adjacency without self-loops (PyG's convention:
    each undirected edge appears in both directions)."""
    a = sp.csr_matrix(adj, dtype=np.float64)
    a = ((a + a.T) > 0).astype(np.float64).tocoo()
    keep = a.row != a.col
    return a.row[keep], a.col[keep]


def observed_homophily(adj: sp.spmatrix, labels: np.ndarray) -> dict:
    """Edge, node, class-insensitive and adjusted homophily of the labelled subgraph (labels < 0 unknown):
    on a fully labelled graph exactly PyG's `homophily(method=...)` and DGL's `adjusted_homophily`."""
    labels = np.asarray(labels)
    row, col = _undirected_edges(adj)
    known = (labels[row] >= 0) & (labels[col] >= 0)
    row, col = row[known], col[known]
    nodes = np.flatnonzero(labels >= 0)
    out = {"edges": int(len(row) // 2), "labelled_nodes": len(nodes)}
    if len(row) == 0:
        return {**out, "edge": None, "node": None, "class_insensitive": None, "adjusted": None}
    classes = np.unique(labels[nodes])
    same = (labels[row] == labels[col]).astype(np.float64)
    out["edge"] = float(same.mean())
    n = len(labels)
    per_node = np.bincount(col, weights=same, minlength=n) / np.maximum(np.bincount(col, minlength=n), 1)
    out["node"] = float(per_node[nodes].mean())  # nodes without a labelled neighbour count 0, as in PyG
    k = int(classes.max()) + 1
    hc = np.bincount(labels[col], weights=same, minlength=k) / np.maximum(
        np.bincount(labels[col], minlength=k), 1
    )
    prop = np.bincount(labels[nodes], minlength=k) / len(nodes)
    out["class_insensitive"] = float(np.clip(hc - prop, 0, None).sum() / max(len(classes) - 1, 1))
    deg_share = np.bincount(labels[row], minlength=k) / len(row)
    out["adjusted"] = _adjusted(out["edge"], deg_share)
    return out


def _adjusted(edge_h: float, deg_share: np.ndarray) -> float:
    """Platonov et al.'s adjusted homophily: edge homophily corrected for the agreement expected by chance
    given each class's share of edge endpoints."""
    chance = float((deg_share**2).sum())
    return float((edge_h - chance) / (1 - chance)) if chance < 1 else 0.0


def _nonbacktracking_counts(adj: sp.csr_matrix, onehot: np.ndarray, max_len: int) -> list[np.ndarray]:
    """C_l = Yᵀ W_l Y for l = 1..max_len, W_l counting non-backtracking walks of length l:
    W_1 = A, W_2 = A² − D, W_{l+1} = A W_l − (D − I) W_{l−1}."""
    deg = np.asarray(adj.sum(1)).ravel()
    prev2, prev = None, adj @ onehot  # W_1 Y
    out = [onehot.T @ prev]
    if max_len >= 2:
        w2 = adj @ prev - deg[:, None] * onehot
        prev2, prev = prev, w2
        out.append(onehot.T @ w2)
    for _ in range(3, max_len + 1):
        nxt = adj @ prev - (deg - 1)[:, None] * prev2
        prev2, prev = prev, nxt
        out.append(onehot.T @ nxt)
    return out


def compatibility(adj: sp.spmatrix, labels: np.ndarray, max_len: int = 3) -> tuple[np.ndarray, np.ndarray,
                                                                                  np.ndarray]:
    """(H, M, counts): M is the symmetric class-by-class share of edge ends (M_ij = M_ji: every undirected
    edge joins its two classes both ways; sum 1), H = M with rows normalised, the class compatibility. M is
    fitted so that Hˡ matches the row-normalised class co-occurrence of non-backtracking paths of length
    l = 1..max_len between labelled nodes, each row weighted by its number of paths; counts = paths per
    length. The symmetry halves the free parameters, which matters when few paths join labelled nodes."""
    row, col = _undirected_edges(adj)
    n = len(labels)
    a = sp.csr_matrix((np.ones(len(row)), (row, col)), shape=(n, n))
    known = labels >= 0
    k = int(labels[known].max()) + 1
    onehot = np.zeros((n, k))
    onehot[np.flatnonzero(known), labels[known]] = 1.0
    counts = _nonbacktracking_counts(a, onehot, max_len)
    totals = np.array([c.sum() for c in counts])
    targets = [c / np.maximum(c.sum(1, keepdims=True), 1e-12) for c in counts]
    weights = [c.sum(1) for c in counts]  # rows with more paths weigh more
    upper = np.triu_indices(k)

    def edge_mass(theta):
        m = np.zeros((k, k))
        m[upper] = np.exp(theta - theta.max())
        m = m + m.T - np.diag(np.diag(m))
        return m / m.sum()

    def loss(theta):
        m = edge_mass(theta)
        h = m / np.maximum(m.sum(1, keepdims=True), 1e-300)
        total, power = 0.0, np.eye(k)
        for t, w in zip(targets, weights):
            power = power @ h
            total += float((w[:, None] * (power - t) ** 2).sum())
        return total

    # Hˡ for l >= 2 does not pin H down alone (a heterophilous and a homophilous H can share H²), so start
    # from homophilous to heterophilous guesses and keep the best fit
    fits = []
    for same in (0.9, 0.5, 0.25, 0.05):
        s0 = np.full((k, k), (1 - same) / max(k - 1, 1))
        np.fill_diagonal(s0, same)
        fits.append(minimize(loss, np.log(s0[upper]), method="L-BFGS-B"))
    m = edge_mass(min(fits, key=lambda f: f.fun).x)
    return m / np.maximum(m.sum(1, keepdims=True), 1e-300), m, totals


def estimated_homophily(adj: sp.spmatrix, labels: np.ndarray, max_len: int = 3) -> dict:
    """Edge, class-insensitive and adjusted homophily from the fitted edge-class mass M: edge homophily is
    its trace (the share of edges inside a class), each class's share of edge ends its row sum."""
    labels = np.asarray(labels)
    h, m, totals = compatibility(adj, labels, max_len)
    known = np.flatnonzero(labels >= 0)
    k = h.shape[0]
    share = m.sum(1)
    prop = np.bincount(labels[known], minlength=k) / len(known)
    edge = float(np.trace(m))
    present = int((np.bincount(labels[known], minlength=k) > 0).sum())
    return {
        "edge": edge,
        "class_insensitive": float(np.clip(np.diag(h) - prop, 0, None).sum() / max(present - 1, 1)),
        "adjusted": _adjusted(edge, share),
        "compatibility": h.round(4).tolist(),
        "paths_per_length": [int(t) for t in totals],
    }


# --- features and propagation ---------------------------------------------------------------------------
def cv_probe(z: np.ndarray, labels: np.ndarray, idx: np.ndarray, folds: int = 5, seed: int = 0) -> float:
    """Stratified k-fold accuracy of the ridge probe on the nodes `idx` (their labels only)."""
    from sklearn.model_selection import StratifiedKFold

    from learnless.classify.probe import probe_accuracy

    y = labels[idx]
    folds = max(2, min(folds, int(np.bincount(y).min()) if len(y) else 2))
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    accs = [probe_accuracy(z[idx], y, a, b) for a, b in skf.split(np.zeros(len(y)), y)]
    return float(np.mean(accs))


def degree_stats(adj: sp.spmatrix) -> dict:
    row, _col = _undirected_edges(adj)
    n = adj.shape[0]
    deg = np.bincount(row, minlength=n)
    return {
        "nodes": int(n),
        "edges": int(len(row) // 2),
        "mean_degree": float(deg.mean()),
        "median_degree": float(np.median(deg)),
        "max_degree": int(deg.max()) if n else 0,
        "isolated_nodes": int((deg == 0).sum()),
    }


@dataclass
class Advice:
    homophily_observed: dict
    homophily_estimated: dict
    feature_probe: float  # CV accuracy of the probe on the raw (standardised) features
    chance: float
    probe_by_depth: dict  # depth -> CV accuracy on Âᵏ X
    probe_high_pass: float  # CV accuracy on [X, (I−Â)X, (I−Â)²X]
    gsl_by_depth: dict
    degrees: dict
    recommendation: str  # "mlp", "low-pass" or "heterophily"
    depth: int
    reason: str
    training_nodes: int
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def check_advisable(graph, train_idx: np.ndarray) -> None:
    """DataError for inputs no classifier can be advised on (each names what is wrong)."""
    y = np.asarray(graph.y)[train_idx]
    classes = np.unique(y[y >= 0])
    if len(classes) < 2:
        raise DataError(f"{graph.name}: labels: the training nodes hold {len(classes)} class; at least 2 are "
                        "needed to classify")
    counts = np.bincount(y[y >= 0])
    if counts[classes].min() < 2:
        raise DataError(f"{graph.name}: labels: class {int(classes[np.argmin(counts[classes])])} has "
                        f"{int(counts[classes].min())} training node; at least 2 per class are needed")
    check_features_vary(graph)


def check_features_vary(graph) -> None:
    """DataError when every feature column is constant: no model can learn from such features."""
    x = np.asarray(graph.x)
    if x.size == 0 or np.ptp(x, axis=0).max(initial=0) == 0:
        raise DataError(f"{graph.name}: features: every column is constant, so the features carry nothing "
                        "to classify by")


def advise(graph, train_idx: np.ndarray, depths=DEPTHS, seed: int = 0) -> Advice:
    """The advice for `graph` from the labels of `train_idx` only (every other label is hidden first)."""
    from learnless.classify.hops import propagated_hops
    from learnless.classify.smoothness import gsl
    from learnless.classify.transforms import scale_features

    train_idx = np.asarray(train_idx)
    check_advisable(graph, train_idx)
    labels = np.full(graph.num_nodes, -1, dtype=np.int64)
    labels[train_idx] = np.asarray(graph.y)[train_idx]  # the only labels read below
    depths = sorted({int(d) for d in depths})
    x = scale_features(graph.x, "standardize")
    h = propagated_hops(graph.adj, x, max(depths))
    by_depth = {d: cv_probe(h[d], labels, train_idx, seed=seed) for d in depths}
    from learnless.classify.baselines import high_pass_hops

    hp = np.concatenate([h[0], *high_pass_hops(h[:3])], axis=1)
    high = cv_probe(hp, labels, train_idx, seed=seed)
    g = gsl(graph.adj, x, max(depths))
    classes = np.unique(labels[train_idx])
    est = estimated_homophily(graph.adj, labels)
    rec, depth, reason = _recommend(by_depth, high, est, len(classes))
    return Advice(
        homophily_observed=observed_homophily(graph.adj, labels),
        homophily_estimated=est,
        feature_probe=by_depth[0],
        chance=float(1 / len(classes)),
        probe_by_depth={str(d): v for d, v in by_depth.items()},
        probe_high_pass=high,
        gsl_by_depth={str(d): float(g[d]) for d in depths},
        degrees=degree_stats(graph.adj),
        recommendation=rec,
        depth=depth,
        reason=reason,
        training_nodes=len(train_idx),
    )


def _recommend(by_depth: dict, high: float, est: dict, n_classes: int) -> tuple[str, int, str]:
    base = by_depth[0]
    best_d = max((d for d in by_depth if d > 0), key=lambda d: (by_depth[d], -d))
    low = by_depth[best_d]
    h, adj_h = est["edge"], est["adjusted"]
    numbers = (f"probe CV accuracy on the training nodes: raw features {base:.0%}, Â^{best_d}X {low:.0%}, "
               f"high-pass hops {high:.0%}; estimated edge homophily {h:.2f} (adjusted {adj_h:.2f}, "
               f"chance {1 / n_classes:.2f})")
    if low >= max(base, high) + MARGIN:
        return ("low-pass", best_d, (f"propagating to depth {best_d} makes the classes more separable than "
                f"the raw features: {numbers}"))
    if high >= max(base, low) + MARGIN:
        return ("heterophily", 2, (f"neighbours tend to differ in class, and the differences to them "
                f"(I − Â) carry more class signal than averages: {numbers}"))
    return ("mlp", 0, f"no propagation separates the classes better than the raw features: {numbers}")
