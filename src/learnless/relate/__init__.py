"""Relative representations (Moschella et al., ICLR 2023): latents re-expressed as similarities to anchors,
latent-space similarity metrics, and zero-shot stitching."""

from learnless.relate.anchors import SAMPLERS, sample_anchors
from learnless.relate.metrics import (
    cka,
    compare_spaces,
    cosine_paired,
    cross_space_retrieval,
    procrustes_distance,
)
from learnless.relate.projection import RelativeModule, RelativeProjection

__all__ = [
    "SAMPLERS",
    "RelativeModule",
    "RelativeProjection",
    "cka",
    "compare_spaces",
    "cosine_paired",
    "cross_space_retrieval",
    "procrustes_distance",
    "sample_anchors",
]
