"""The relative projection rel(x) = [sim(x, a_1), ..., sim(x, a_|A|)] on NumPy or PyTorch, chunked."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import TransformerMixin

from learnless.base import Estimator, Integral, Interval, StrOptions
from learnless.errors import DataError
from learnless.relate.checks import as_matrix, check_nonzero

SIMILARITIES = ("cosine", "angular", "euclidean", "l1", "basis")
NORMALIZATIONS = ("l2", "layernorm")


def _is_torch(x) -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover
        return False
    return isinstance(x, torch.Tensor)


def _project_torch(x, anchors, similarity: str, eps: float = 1e-12):
    """Differentiable projection of a torch block `x` onto torch `anchors` (already centred if asked)."""
    import torch

    if similarity in ("cosine", "angular"):
        xn = torch.nn.functional.normalize(x, dim=1, eps=eps)
        an = torch.nn.functional.normalize(anchors, dim=1, eps=eps)
        sim = xn @ an.T
        if similarity == "angular":  # 1 - angle / pi, in [0, 1]
            sim = 1.0 - torch.arccos(sim.clamp(-1.0, 1.0)) / torch.pi
        return sim
    if similarity == "euclidean":  # negative distance: larger means closer, like the other similarities
        return -torch.cdist(x, anchors, p=2.0)
    if similarity == "l1":
        return -torch.cdist(x, anchors, p=1.0)
    # change of basis: coefficients c with c @ anchors ~= x (least squares through the pseudo-inverse)
    return x @ torch.linalg.pinv(anchors)


def _normalize_torch(r, how: str | None):
    import torch

    if how == "l2":
        return torch.nn.functional.normalize(r, dim=1)
    if how == "layernorm":
        return torch.nn.functional.layer_norm(r, (r.shape[1],))
    return r


class RelativeProjection(TransformerMixin, Estimator):
    """Re-express latents by their similarity to anchors embedded by the same encoder.

    similarity: cosine (the paper's), angular (1 - angle/pi), euclidean / l1 (negative distances), basis
    (least-squares coordinates in the anchors' span). center: subtract the anchors' mean from anchors and
    inputs first (adds translation invariance). normalize: None, "l2" or "layernorm" after projection.
    chunk_size: rows projected at a time, so inputs larger than memory stream through `transform`.

    `fit(anchors)` keeps the anchors (as given: NumPy or torch); `transform(x)` returns the same kind as `x`
    (a torch input keeps its graph, so a head can be trained through it); `module()` is a `torch.nn.Module`.
    """

    _parameter_constraints: ClassVar[dict] = {
        "similarity": [StrOptions(set(SIMILARITIES))],
        "center": ["boolean"],
        "normalize": [StrOptions(set(NORMALIZATIONS)), None],
        "chunk_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, similarity: str = "cosine", center: bool = False, normalize: str | None = None,
                 chunk_size: int = 65536):
        self.similarity = similarity
        self.center = center
        self.normalize = normalize
        self.chunk_size = chunk_size

    def memory_bytes(self, anchors, y=None) -> int:
        """The anchors, kept, and their centred copy (float64 at most)."""
        shape = getattr(anchors, "shape", None) or np.shape(anchors)
        n, d = int(shape[0]), int(shape[1]) if len(shape) > 1 else 1
        return 2 * 8 * n * d

    def fit(self, anchors, y=None):
        self.validate()
        anchors = as_matrix(anchors, "anchors")
        if len(anchors) == 0:
            raise DataError("anchors: no anchor rows")
        if _is_torch(anchors):
            mean = anchors.mean(dim=0, keepdim=True)
            centred = anchors - mean if self.center else anchors
            norms = centred.detach().norm(dim=1).cpu().numpy()
        else:
            mean = anchors.mean(axis=0, keepdims=True)
            centred = anchors - mean if self.center else anchors
            norms = np.linalg.norm(centred, axis=1)
        if self.similarity in ("cosine", "angular"):
            check_nonzero(norms, "anchors (after centring)" if self.center else "anchors")
        self.anchors_ = anchors
        self.mean_ = mean
        self.n_anchors_ = int(anchors.shape[0])
        self.n_features_in_ = int(anchors.shape[1])
        return self

    def _torch_anchors(self, like):
        import torch

        a = self.anchors_ if _is_torch(self.anchors_) else torch.as_tensor(self.anchors_)
        m = self.mean_ if _is_torch(self.mean_) else torch.as_tensor(self.mean_)
        a, m = a.to(dtype=like.dtype, device=like.device), m.to(dtype=like.dtype, device=like.device)
        return (a - m, m) if self.center else (a, m)

    def _check_input(self, x):
        self._check_fitted("anchors_")
        x = as_matrix(x, "x")
        if x.shape[1] != self.n_features_in_:
            raise DataError(f"X has {x.shape[1]} features, but RelativeProjection is expecting "
                            f"{self.n_features_in_} features as input (the anchors'): inputs and anchors "
                            "must come from the same encoder")
        return x

    def _block(self, x, anchors, mean):
        """Projection of one torch block (no checks)."""
        if self.center:
            x = x - mean
        if self.similarity in ("cosine", "angular"):
            norms = x.detach().norm(dim=1)
            if bool((norms <= 1e-12).any()):
                check_nonzero(norms.cpu().numpy(), "x (after centring)" if self.center else "x")
        return _normalize_torch(_project_torch(x, anchors, self.similarity), self.normalize)

    def transform(self, x):
        """rel(x): (n, n_anchors), NumPy in -> NumPy out (float32 stays float32), torch in -> torch out."""
        import torch

        x = self._check_input(x)
        as_numpy = not _is_torch(x)
        xt = torch.from_numpy(np.ascontiguousarray(x)) if as_numpy else x
        anchors, mean = self._torch_anchors(xt)
        n, step = xt.shape[0], self.chunk_size
        if n <= step:
            out = self._block(xt, anchors, mean)
        elif as_numpy or not xt.requires_grad:
            out = torch.empty((n, self.n_anchors_), dtype=xt.dtype)
            if self.similarity in ("cosine", "angular"):
                anchors = torch.nn.functional.normalize(anchors, dim=1)  # once, not per chunk
            with torch.no_grad():
                for start in range(0, n, step):
                    if self.similarity == "cosine" and not self.center and self.normalize is None:
                        # in place: one mm into the output rows, then divide by the rows' norms
                        block, rows = xt[start:start + step], out[start:start + step]
                        norms = torch.linalg.vector_norm(block, dim=1)
                        if bool((norms <= 1e-12).any()):
                            check_nonzero(norms.numpy(), "x", offset=start)
                        torch.mm(block, anchors.T, out=rows)
                        rows.div_(norms[:, None])
                    else:
                        out[start:start + step] = self._block(xt[start:start + step], anchors, mean)
        else:
            out = torch.cat([self._block(xt[s:s + step], anchors, mean) for s in range(0, n, step)])
        if as_numpy:
            with torch.no_grad():
                return out.detach().numpy()
        return out

    def module(self):
        """A `torch.nn.Module` holding the anchors as a buffer: forward(x) = rel(x), differentiable."""
        self._check_fitted("anchors_")
        return RelativeModule(self)


def _module_class():
    import torch

    class _RelativeModule(torch.nn.Module):
        def __init__(self, projection: RelativeProjection):
            super().__init__()
            a = projection.anchors_
            self.register_buffer("anchors", (a if _is_torch(a) else torch.as_tensor(a)).detach().float())
            self.similarity = projection.similarity
            self.center = projection.center
            self.normalize = projection.normalize

        def forward(self, x):
            anchors = self.anchors
            if self.center:
                mean = anchors.mean(dim=0, keepdim=True)
                anchors, x = anchors - mean, x - mean
            return _normalize_torch(_project_torch(x, anchors, self.similarity), self.normalize)

    return _RelativeModule


def RelativeModule(projection: RelativeProjection):
    """A torch.nn.Module computing `projection`'s rel(x) (torch is imported only when one is made)."""
    return _module_class()(projection)
