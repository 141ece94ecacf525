"""`--metrics` of `recommend run` / `recommend compare`: beyond-accuracy metrics of the top-K lists (K = the
first of --cutoffs), per-user distributions as percentiles in metrics.json and histograms in the run
directory."""

from __future__ import annotations

from typing import Annotated

from learnless.cli.common import option

MetricsOption = Annotated[str | None, option("--metrics")]

_KEYS = {"coverage": ("coverage",), "novelty": ("novelty",), "diversity": ("diversity",),
         "personalisation": ("personalisation",), "popularity": ("arp", "long_tail_share")}


def parse_groups(text: str | None) -> tuple[str, ...]:
    from learnless.recommend.beyond import parse_groups as parse

    return parse(text)


def beyond_metrics(model, data, k: int, groups: tuple[str, ...], run_dir, label: str) -> dict:
    """Flat metrics for the chosen groups; with `distributions`, `<metric>@K/pP` percentiles and
    RUN/distributions-<label>.png."""
    from learnless.recommend.beyond import beyond_accuracy, distribution_summary, plot_distributions

    if not groups:
        return {}
    summary, per_user = beyond_accuracy(model, data, k=k)
    out = {f"{key}@{k}": summary[f"{key}@{k}"] for g in groups for key in _KEYS.get(g, ())}
    if "diversity" in groups:
        out["diversity_similarity"] = summary["diversity_similarity"]
    if "distributions" in groups:
        for name, stats in distribution_summary(per_user).items():
            out.update({f"{name}@{k}/{s}": v for s, v in stats.items()})
        path = run_dir.path / f"distributions-{label}.png"
        plot_distributions({f"{n}@{k}": v for n, v in per_user.items()}, path,
                           title=f"{label}: per-user metrics ({len(next(iter(per_user.values())))} users)")
        run_dir.log(f"per-user histograms: {path.name}")
    return out
