"""Users' own interaction logs and MovieLens: rows of (user, item[, timestamp]) with arbitrary ids.

Ids (strings or integers) are mapped to row / column positions in order of first appearance; the maps are kept
in `Interactions.user_ids` / `item_ids`. Duplicated (user, item)
pairs are dropped with a warning (the earliest
is kept). The test set is drawn per user: `split="random"` holds out a seeded random `test_fraction` of each
user's items (at least one when the user has two or more), `split="leave-last-out"` holds out each user's
latest interaction by timestamp (users with a single interaction keep it for training)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from learnless.errors import ConfigError, DataError, MissingFileError
from learnless.graph.containers import Interactions

SPLITS = ("random", "leave-last-out")
HEADER_WORDS = {"user", "users", "user_id", "userid", "uid", "item", "items", "item_id", "itemid", "iid",
                "movie", "movie_id", "movieid", "timestamp", "time", "ts", "rating"}


def _delimiter(first_line: str) -> str | None:
    for d in (",", "\t", ";"):
        if d in first_line:
            return d
    return None  # whitespace


def read_interactions_csv(path: str | Path, split: str = "random", test_fraction: float = 0.2, seed: int = 0,
                          header: bool | None = None, name: str | None = None) -> Interactions:
    """A `user,item[,timestamp]` file (comma, tab, semicolon or whitespace separated). `header=None` detects
    a header row by its words (user, item, timestamp, ...)."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such interactions file")
    users, items, times, linenos = [], [], [], []
    with open(path, encoding="utf-8-sig") as fh:
        lines = fh.read().split("\n")
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise DataError(f"{path}: empty interactions file")
    delim = _delimiter(first)
    ncols = None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = [f.strip() for f in (line.split(delim) if delim else line.split())]
        if ncols is None:
            is_header = header if header is not None else all(f.lower() in HEADER_WORDS for f in fields)
            ncols = len(fields)
            if ncols not in (2, 3):
                raise DataError(f"{path}:{lineno}: expected 2 or 3 columns (user, item[, timestamp]), "
                                f"got {ncols}")
            if is_header:
                continue
        if len(fields) != ncols:
            raise DataError(f"{path}:{lineno}: expected {ncols} columns, got {len(fields)} ({line[:60]!r})")
        if not fields[0] or not fields[1]:
            raise DataError(f"{path}:{lineno}: empty user or item id")
        users.append(fields[0])
        items.append(fields[1])
        if ncols == 3:
            try:
                times.append(float(fields[2]))
            except ValueError as exc:
                raise DataError(f"{path}:{lineno}: timestamp {fields[2][:30]!r} is not a number") from exc
        linenos.append(lineno)
    if not users:
        raise DataError(f"{path}: no interactions (only a header?)")
    return interactions_from_pairs(users, items, np.asarray(times) if times else None, split=split,
                                   test_fraction=test_fraction, seed=seed, name=name or path.stem,
                                   source=str(path), fmt="interactions-csv")


def _ids(values) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each value and the id of each position, in order of first appearance."""
    index: dict = {}
    pos = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    ids = np.asarray(list(index))
    if ids.dtype.kind in "iu":
        ids = ids.astype(np.int64)
    elif all(isinstance(v, str) and v.lstrip("-").isdigit() for v in index):
        ids = ids.astype(np.int64)  # integer ids read from text
    return pos, ids


def interactions_from_pairs(users, items, timestamps=None, split: str = "random", test_fraction: float = 0.2,
                            seed: int = 0, name: str = "interactions", source: str = "<pairs>",
                            fmt: str = "pairs", meta: dict | None = None) -> Interactions:
    if split not in SPLITS:
        raise ConfigError(f"split: unknown {split!r}; expected one of {', '.join(SPLITS)}")
    if split == "leave-last-out" and timestamps is None:
        raise ConfigError(f"split='leave-last-out' needs a timestamp column, and {source} has none")
    if split == "random" and not 0 < test_fraction < 1:
        raise ConfigError(f"test_fraction must be in (0, 1), got {test_fraction}")
    u, user_ids = _ids(list(users))
    i, item_ids = _ids(list(items))
    t = np.zeros(len(u)) if timestamps is None else np.asarray(timestamps, dtype=np.float64)
    # Sort by user, then time (stable: file order breaks ties), and keep each pair's first occurrence.
    order = np.lexsort((np.arange(len(u)), t, u))
    u, i, t = u[order], i[order], t[order]
    pair = u * len(item_ids) + i
    _, first = np.unique(pair, return_index=True)
    n_dup = len(u) - len(first)
    if n_dup:
        warnings.warn(f"{source}: dropped {n_dup} duplicated (user, item) interaction(s)", stacklevel=3)
        keep = np.sort(first)
        u, i, t = u[keep], i[keep], t[keep]
    test = _split(u, t, split, test_fraction, seed)
    shape = (len(user_ids), len(item_ids))

    def matrix(mask):
        return sp.csr_matrix((np.ones(int(mask.sum()), np.float32), (u[mask], i[mask])), shape=shape)

    info = {"format": fmt, "split": split, "seed": seed, "duplicates_dropped": int(n_dup)}
    if split == "random":
        info["test_fraction"] = test_fraction
    return Interactions(matrix(~test), matrix(test), user_ids=user_ids, item_ids=item_ids, name=name,
                        meta={**info, **(meta or {})})


def _split(u: np.ndarray, t: np.ndarray, split: str, test_fraction: float, seed: int) -> np.ndarray:
    """Boolean test mask over rows sorted by (user, time)."""
    test = np.zeros(len(u), bool)
    starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
    ends = np.r_[starts[1:], len(u)]
    counts = ends - starts
    if split == "leave-last-out":
        test[(ends - 1)[counts >= 2]] = True
        return test
    rng = np.random.default_rng(seed)
    for s, n in zip(starts, counts):
        if n < 2:
            continue
        k = max(1, round(test_fraction * n))
        test[s + rng.choice(n, min(k, n - 1), replace=False)] = True
    return test


def _read_ratings(path: Path, sep: str | None, encoding: str = "latin-1"):
    """MovieLens ratings: user, item, rating, timestamp per line."""
    if not path.exists():
        raise MissingFileError(f"{path}: missing MovieLens ratings file")
    users, items, ratings, times = [], [], [], []
    with open(path, encoding=encoding) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            fields = line.rstrip("\r\n").split(sep) if sep else line.split()
            if len(fields) != 4:
                raise DataError(f"{path}:{lineno}: expected user, item, rating, timestamp; got "
                                f"{line.strip()[:60]!r}")
            try:
                uu, ii, rr, tt = int(fields[0]), int(fields[1]), float(fields[2]), int(fields[3])
            except ValueError as exc:
                raise DataError(f"{path}:{lineno}: non-numeric field in {line.strip()[:60]!r}") from exc
            users.append(uu)
            items.append(ii)
            ratings.append(rr)
            times.append(tt)
    if not users:
        raise DataError(f"{path}: no ratings")
    return users, items, np.asarray(ratings), np.asarray(times, dtype=np.float64)


def _movielens(path: Path, sep: str | None, name: str, split: str, test_fraction: float, seed: int,
               min_rating: float | None) -> Interactions:
    users, items, ratings, times = _read_ratings(path, sep)
    keep = np.ones(len(users), bool) if min_rating is None else ratings >= min_rating
    idx = np.flatnonzero(keep)
    return interactions_from_pairs([users[k] for k in idx], [items[k] for k in idx], times[idx], split=split,
                                   test_fraction=test_fraction, seed=seed, name=name, source=str(path),
                                   fmt="movielens", meta={"min_rating": min_rating,
                                                          "ratings_read": len(users)})


def read_movielens_100k(path: str | Path, split: str = "random", test_fraction: float = 0.2, seed: int = 0,
                        min_rating: float | None = None, name: str = "movielens-100k") -> Interactions:
    """ml-100k `u.data`: tab-separated `user item rating timestamp`. Every rating is an interaction unless
    `min_rating` is given."""
    return _movielens(Path(path), "\t", name, split, test_fraction, seed, min_rating)


def read_movielens_1m(path: str | Path, split: str = "random", test_fraction: float = 0.2, seed: int = 0,
                      min_rating: float | None = None, name: str = "movielens-1m") -> Interactions:
    """ml-1m `ratings.dat`: `UserID::MovieID::Rating::Timestamp`."""
    return _movielens(Path(path), "::", name, split, test_fraction, seed, min_rating)
