"""Swap an encoder, keep the index: an index embedded by encoder A is searched with queries embedded by
encoder B, through anchors that both encoders embedded — the relative projection (each side re-expressed by
its own anchors) or a translator fitted on the anchors (B's queries carried into A's space). Scored against
the oracle that re-embeds the whole index with B."""

from __future__ import annotations

import numpy as np

from learnless.errors import ConfigError, DataError
from learnless.relate.checks import as_matrix, check_parallel
from learnless.relate.translators import TRANSLATORS, VIAS


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


def search(index: np.ndarray, queries: np.ndarray, top_n: int = 10, chunk: int = 4096):
    """(top-n index rows by cosine, their cosines) for each query, chunked over the queries."""
    import torch

    if index.shape[1] != queries.shape[1]:
        raise DataError(f"queries have {queries.shape[1]} dimensions and the index {index.shape[1]}")
    if not 1 <= top_n <= len(index):
        raise ConfigError(f"--top-n: must be in [1, {len(index)}], got {top_n}")
    xi = torch.from_numpy(_unit(np.asarray(index, dtype=np.float32)))
    xq = _unit(np.asarray(queries, dtype=np.float32))
    rows, scores = [], []
    for s in range(0, len(xq), chunk):
        sim = torch.from_numpy(xq[s : s + chunk]) @ xi.T
        top = sim.topk(top_n, dim=1)
        rows.append(top.indices.numpy())
        scores.append(top.values.numpy())
    return np.concatenate(rows), np.concatenate(scores)


def swap_search(index_a, queries_b, anchors_a, anchors_b, via: str = "relative", top_n: int = 10,
                center: bool = False):
    """Search an index embedded by A with queries embedded by B. anchors_a / anchors_b: the same anchor
    inputs embedded by A and by B (row i of each is the same input)."""
    from learnless.relate.projection import RelativeProjection
    from learnless.relate.translators import Translator

    if via not in VIAS:
        raise ConfigError(f"--via: {via!r} is not one of {', '.join(VIAS)}")
    index_a = np.asarray(as_matrix(index_a, "index (A)"), dtype=np.float64)
    queries_b = np.asarray(as_matrix(queries_b, "queries (B)"), dtype=np.float64)
    anchors_a = np.asarray(as_matrix(anchors_a, "anchors (A)"), dtype=np.float64)
    anchors_b = np.asarray(as_matrix(anchors_b, "anchors (B)"), dtype=np.float64)
    check_parallel(anchors_a, anchors_b, ("anchors (A)", "anchors (B)"))
    for what, x, ref in (("index (A)", index_a, anchors_a), ("queries (B)", queries_b, anchors_b)):
        if x.shape[1] != ref.shape[1]:
            raise DataError(f"{what}: {x.shape[1]} dimensions, but its anchors have {ref.shape[1]}")
    if via == "relative":
        ia = RelativeProjection(center=center).fit(anchors_a).transform(index_a)
        qb = RelativeProjection(center=center).fit(anchors_b).transform(queries_b)
        return search(ia, qb, top_n)
    assert via in TRANSLATORS
    return search(index_a, Translator(via).fit(anchors_b, anchors_a).transform(queries_b), top_n)


def retrieval_scores(top: np.ndarray, truth: np.ndarray, k: int = 10) -> dict:
    """recall@k (the relevant index row among the first k) and MRR@k (1 / its rank there, else 0)."""
    truth = np.asarray(truth).reshape(-1)
    if len(truth) != len(top):
        raise DataError(f"--truth: {len(truth)} entries for {len(top)} queries")
    hit = top[:, :k] == truth[:, None]
    rank = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, 0)
    rr = np.where(rank > 0, 1.0 / np.maximum(rank, 1), 0.0)
    return {f"recall@{k}": float(hit.any(axis=1).mean()), f"mrr@{k}": float(rr.mean())}
