"""The 2-layer network of the Li2 paper: output V sigma(W x), x = onehot(a) (+) onehot(b), no biases.

W is K x 2n (the two halves act on a and on b), V is n x K. V starts U(+-1/sqrt(K)), as nn.Linear(K, n).
W starts U(+-1/sqrt(n)) (`init_w="uniform"`: each half scaled as its own n-input layer) or U(+-1/sqrt(2n))
(`init_w="linear"`: nn.Linear(2n, K)'s default, the reference code's W, sqrt(2) narrower). W is stored
transposed (`Wt`, 2n x K) so that the forward pass is a contiguous row gather instead of a one-hot matmul.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from learnless.errors import ConfigError

ACTIVATIONS = {"sqr": lambda h: h * h, "relu": torch.relu, "silu": torch.nn.functional.silu}
LOSSES = ("mse", "ce")
W_INITS = ("uniform", "linear")


class GrokNet(nn.Module):
    def __init__(
        self,
        n: int,
        hidden: int,
        act: str = "sqr",
        generator: torch.Generator | None = None,
        init_w: str = "uniform",
    ):
        super().__init__()
        if not isinstance(hidden, int) or hidden < 1:
            raise ConfigError(f"hidden: width must be an integer >= 1, got {hidden!r}")
        if act not in ACTIVATIONS:
            raise ConfigError(f"act: unknown {act!r}; expected one of {', '.join(ACTIVATIONS)}")
        if init_w not in W_INITS:
            raise ConfigError(f"init_w: unknown {init_w!r}; expected one of {', '.join(W_INITS)}")
        self.n, self.hidden, self.act = n, hidden, act
        bw = 1 / math.sqrt(n if init_w == "uniform" else 2 * n)
        bv = 1 / math.sqrt(hidden)
        self.Wt = nn.Parameter(
            ((torch.rand(hidden, 2 * n, generator=generator) * 2 - 1) * bw).t().contiguous()
        )
        self.V = nn.Parameter((torch.rand(n, hidden, generator=generator) * 2 - 1) * bv)

    def hidden_features(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """F = sigma(W x) for each pair: N x K."""
        emb = nn.functional.embedding  # faster than advanced indexing on CPU
        return ACTIVATIONS[self.act](emb(a, self.Wt) + emb(b + self.n, self.Wt))

    @property
    def W(self) -> torch.Tensor:
        """The hidden layer as K x 2n (a view)."""
        return self.Wt.t()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return self.hidden_features(a, b) @ self.V.t()


def centred_targets(c: torch.Tensor, n: int) -> torch.Tensor:
    """Y~ = onehot(c) - 1/n."""
    return torch.nn.functional.one_hot(c, n).to(torch.float32) - 1.0 / n


def loss_fn(out: torch.Tensor, c: torch.Tensor, kind: str, centring: str = "sample") -> torch.Tensor:
    """Cross-entropy, or a centred MSE, mean_i ||o~_i - y~_i||^2: centred along the samples (the paper's
    P = I - 11^T/N on outputs and one-hot targets), or along the labels (the reference code's:
    o_i - mean_c(o_i) against onehot(c_i) - 1/n)."""
    if kind == "ce":
        return torch.nn.functional.cross_entropy(out, c)
    y = torch.nn.functional.one_hot(c, out.shape[1]).to(out.dtype)
    if centring == "sample":
        return ((out - out.mean(0, keepdim=True) - (y - y.mean(0, keepdim=True))) ** 2).sum(dim=1).mean()
    oc = out - out.mean(dim=1, keepdim=True)
    return ((oc - centred_targets(c, out.shape[1])) ** 2).sum(dim=1).mean()


def ridge_top_layer(F: torch.Tensor, Yt: torch.Tensor, eta: float) -> torch.Tensor:
    """V = ((F^T F + eta I)^-1 F^T Y~)^T, the top layer the theory assumes (n x K)."""
    k = F.shape[1]
    gram = F.t() @ F + eta * torch.eye(k, dtype=F.dtype, device=F.device)
    return torch.linalg.solve(gram, F.t() @ Yt).t()
