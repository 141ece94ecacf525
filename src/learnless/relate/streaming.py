"""Measures over more samples than an N x N matrix allows: linear CKA (biased and debiased HSIC) accumulated
over row batches, and mutual-kNN alignment with neighbours found block by block.

Linear CKA needs only feature-space sums: with K = X X^T and L = Y Y^T every term of the HSIC estimators
(Gretton's biased one and Song et al.'s unbiased one) is a function of X^T Y, X^T X, Y^T Y, the column sums
and a handful of row-norm sums, each a sum over rows. One pass over aligned batches accumulates them in
O(d_x d_y) memory; nothing of size N x N is ever formed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_parallel


class LinearHSICAccumulator:
    """Running sums for HSIC(X, Y), HSIC(X, X) and HSIC(Y, Y) under the linear kernel.

    `update(x, y)` takes one batch of aligned rows; `cka(unbiased=...)` reads the result at any time. Rows are
    shifted by the first batch's column means before the products (HSIC with a linear kernel is unchanged by
    a shift of the features; the shift keeps the sums small and the cancellation in the unbiased formula
    harmless). Each batch is copied once into [X, 1, a, b] (a_i = |x_i|^2, b_i = |y_i|^2), so that the three
    Gram products of the augmented batches also deliver every column sum and row-norm sum the estimators
    need, at (d + 3) / d of the bare products' cost. Products run in float64 by default: `dtype=torch.float32`
    is faster and less exact."""

    def __init__(self, dtype=None):
        import torch

        self.dtype = dtype or torch.float64
        self.n = 0
        self._shift = None

    def _augmented(self, t, shift):
        import torch

        n, d = t.shape
        buf = torch.empty(n, d + 3, dtype=self.dtype)
        body = buf[:, :d]
        if isinstance(t, torch.Tensor):
            body.copy_(t)
        else:  # straight from a (possibly read-only, memory-mapped) array into the buffer
            np.copyto(body.numpy(), t, casting="unsafe")
        if shift is None:
            shift = body.mean(0)
        body -= shift
        buf[:, d] = 1.0
        buf[:, d + 1] = torch.linalg.vector_norm(body, dim=1) ** 2
        return buf, shift

    def update(self, x, y) -> None:
        import torch

        for name, t in (("A", x), ("B", y)):
            if np.ndim(t) != 2:
                raise DataError(f"{name}: expected a 2-D (n, d) batch, got shape {tuple(np.shape(t))}")
        if len(x) != len(y):
            raise DataError(f"batch of A has {len(x)} rows but batch of B has {len(y)}")
        if len(x) == 0:
            return
        if not isinstance(x, torch.Tensor):
            x, y = np.asarray(x), np.asarray(y)
        first = self._shift is None
        xa, sx = self._augmented(x, None if first else self._shift[0])
        ya, sy = self._augmented(y, None if first else self._shift[1])
        dx, dy = xa.shape[1] - 3, ya.shape[1] - 3
        xa[:, dx + 2] = ya[:, dy + 1]      # columns [.., 1, a, b] in both
        ya[:, dy + 2] = ya[:, dy + 1]
        ya[:, dy + 1] = xa[:, dx + 1]
        for name, norms in (("A", xa[:, dx + 1]), ("B", ya[:, dy + 2])):  # NaN / inf in a row shows here
            bad = ~torch.isfinite(norms)
            if bool(bad.any()):
                rows = (torch.nonzero(bad).flatten()[:5] + self.n).tolist()
                raise DataError(f"{name}: NaN or infinite values in rows {rows}")
        if first:
            self._shift = (sx, sy)
            self.pq = torch.zeros(dx + 3, dy + 3, dtype=self.dtype)
            self.pp = torch.zeros(dx + 3, dx + 3, dtype=self.dtype)
            self.qq = torch.zeros(dy + 3, dy + 3, dtype=self.dtype)
        self.pq += xa.T @ ya
        self.pp += xa.T @ xa
        self.qq += ya.T @ ya
        self.n += len(xa)

    # HSIC of a pair (P, Q) of spaces from the sums; P^T Q, sums of P, Q, row norms a, b, a p_i, b q_i ...
    def _hsic(self, pq, sp, sq, ap, bq, aq, bp, sa, sb, sab, unbiased: bool) -> float:
        n = self.n
        pq, sp, sq = pq.double(), sp.double(), sq.double()
        tr_kl = float((pq * pq).sum())                    # tr(K L) = ||P^T Q||_F^2
        if not unbiased:
            # tr(H K H L) = tr(KL) - 2/n 1^T K L 1 + (1^T K 1)(1^T L 1)/n^2
            kl1 = float(sp @ pq @ sq)
            return (tr_kl - 2.0 / n * kl1 + float(sp @ sp) * float(sq @ sq) / n**2) / (n - 1) ** 2
        # K~ = K with a zero diagonal: tr(K~ L~) = tr(KL) - sum a_i b_i; 1^T K~ 1 = |s_p|^2 - sum a
        tr = tr_kl - sab
        k1 = float(sp @ sp) - sa
        l1 = float(sq @ sq) - sb
        # 1^T K~ L~ 1 = sum_i (p_i.s_p - a_i)(q_i.s_q - b_i)
        kl1 = float(sp @ pq @ sq) - float(aq.double() @ sq) - float(bp.double() @ sp) + sab
        return (tr + k1 * l1 / ((n - 1) * (n - 2)) - 2.0 / (n - 2) * kl1) / (n * (n - 3))

    def hsic(self, unbiased: bool = True) -> tuple[float, float, float]:
        """(HSIC(X, Y), HSIC(X, X), HSIC(Y, Y))."""
        if self.n < (4 if unbiased else 2):
            raise DataError(f"A and B: {'the unbiased' if unbiased else 'the'} streaming CKA needs at least "
                            f"{4 if unbiased else 2} samples, got {self.n}")
        g = self.pq.double()
        dx, dy = g.shape[0] - 3, g.shape[1] - 3
        ax, bx, sx = g[:dx, dy + 1], g[:dx, dy + 2], g[:dx, dy]        # X^T a, X^T b, X^T 1
        ay, by, sy = g[dx + 1, :dy], g[dx + 2, :dy], g[dx, :dy]
        sa, sb, sab = float(g[dx, dy + 1]), float(g[dx, dy + 2]), float(g[dx + 1, dy + 2])
        saa, sbb = float(g[dx + 1, dy + 1]), float(g[dx + 2, dy + 2])
        xy = self._hsic(g[:dx, :dy], sx, sy, ax, by, ay, bx, sa, sb, sab, unbiased)
        xx = self._hsic(self.pp.double()[:dx, :dx], sx, sx, ax, ax, ax, ax, sa, sa, saa, unbiased)
        yy = self._hsic(self.qq.double()[:dy, :dy], sy, sy, by, by, by, by, sb, sb, sbb, unbiased)
        return xy, xx, yy

    def cka(self, unbiased: bool = True) -> float:
        xy, xx, yy = self.hsic(unbiased)
        denom = np.sqrt(max(xx, 0.0) * max(yy, 0.0))
        return float(xy / denom) if denom > 0 else 0.0


def row_batches(a, b, batch: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Aligned row slices of two arrays (memory-mapped .npy files stream from disk this way)."""
    check_parallel(a, b)
    for s in range(0, len(a), batch):
        yield np.asarray(a[s : s + batch]), np.asarray(b[s : s + batch])


def streaming_cka(a=None, b=None, *, batches: Iterable | None = None, batch: int = 8192,
                  unbiased: bool = True, dtype=None) -> float:
    """Linear CKA of two parallel spaces in one pass over row batches (debiased HSIC by default). Give two
    arrays (possibly np.load(..., mmap_mode='r')) or `batches`, an iterable of aligned (x, y) blocks."""
    if batch < 1:
        raise ConfigError(f"batch: must be >= 1, got {batch}")
    if batches is None:
        if a is None or b is None:
            raise ConfigError("streaming_cka: give a and b, or batches")
        for name, x in (("A", a), ("B", b)):
            if np.ndim(x) != 2:
                raise DataError(f"{name}: expected a 2-D (n, d) array, got shape {np.shape(x)}")
        batches = row_batches(a, b, batch)
    acc = LinearHSICAccumulator(dtype=dtype)
    for x, y in batches:
        acc.update(x, y)
    return acc.cka(unbiased=unbiased)


# ---- mutual k-nearest neighbours, blocked ------------------------------------------------------------------

def knn_indices(x, k: int, block: int = 4096, metric: str = "cosine") -> np.ndarray:
    """(n, k) indices of each row's k nearest other rows (cosine or inner product), computed one block of
    query rows at a time against all rows: peak memory block x n, never n x n."""
    import torch

    if metric not in ("cosine", "ip"):
        raise ConfigError(f"metric: {metric!r} is not one of cosine, ip")
    x = torch.as_tensor(np.asarray(as_matrix(x, "X"), dtype=np.float32))
    n = len(x)
    if not 1 <= k < n:
        raise ConfigError(f"k: must be in [1, {n - 1}] for {n} samples, got {k}")
    if metric == "cosine":
        x = torch.nn.functional.normalize(x, dim=1)
    out = np.empty((n, k), dtype=np.int64)
    for s in range(0, n, block):
        sim = x[s : s + block] @ x.T
        rows = torch.arange(len(sim))
        sim[rows, rows + s] = -float("inf")  # a row is not its own neighbour
        out[s : s + block] = sim.topk(k, dim=1).indices.numpy()
    return out


def knn_overlap(na: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """Per row, |N_A(i) & N_B(i)| / k for two (n, k) neighbour index arrays."""
    k = na.shape[1]
    both = np.sort(np.concatenate([na, nb], axis=1), axis=1)
    return (both[:, 1:] == both[:, :-1]).sum(axis=1) / k


def mutual_knn(a, b, k: int = 10, block: int = 4096) -> float:
    """Mutual-kNN alignment (Huh et al., the Platonic Representation Hypothesis): the mean fraction of each
    sample's k nearest neighbours in A that are also among its k nearest in B."""
    check_parallel(a, b)
    return float(knn_overlap(knn_indices(a, k, block), knn_indices(b, k, block)).mean())


def calibrated_mutual_knn(a, b, k: int = 10, permutations: int = 20, seed: int = 0, block: int = 4096,
                          level: float = 0.95, n_boot: int = 200) -> dict:
    """Mutual-kNN alignment raw, against its permutation null, and calibrated.

    The null permutes B's rows (correspondence destroyed: the neighbour sets of B are relabelled), keeping
    both spaces' own structure; the neighbours are computed once per space. calibrated = (raw - null) /
    (1 - null), the excess over chance as a fraction of the possible excess (0 at chance, 1 for identical
    neighbourhoods), so that scores of spaces of different width / depth, whose raw values inflate
    differently, are comparable. p: the fraction of permutations at least as high as raw (with the +1
    correction). ci: percentile bootstrap over samples of the per-sample overlaps."""
    check_parallel(a, b)
    na, nb = knn_indices(a, k, block), knn_indices(b, k, block)
    per_row = knn_overlap(na, nb)
    raw = float(per_row.mean())
    rng = np.random.default_rng(seed)
    nulls = []
    for _ in range(permutations):
        perm = rng.permutation(len(nb))           # sample i of A is paired with sample perm[i] of B
        inv = np.empty_like(perm)
        inv[perm] = np.arange(len(perm))
        nulls.append(float(knn_overlap(na, inv[nb[perm]]).mean()))
    null = float(np.mean(nulls)) if nulls else float("nan")
    cal = (raw - null) / (1.0 - null) if nulls and null < 1 else float("nan")
    boots = [per_row[rng.integers(0, len(per_row), len(per_row))].mean() for _ in range(n_boot)]
    lo, hi = np.quantile(boots, [(1 - level) / 2, 1 - (1 - level) / 2]) if boots else (np.nan, np.nan)
    p = (1 + sum(v >= raw for v in nulls)) / (1 + len(nulls)) if nulls else float("nan")
    return {f"mutual_knn@{k}": raw, f"mutual_knn@{k}.null": null, f"mutual_knn@{k}.calibrated": cal,
            f"mutual_knn@{k}.p": float(p), f"mutual_knn@{k}.ci": [float(lo), float(hi)]}
