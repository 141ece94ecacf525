"""How close learnless comes to each paper, figure by figure: benchmarks/fidelity.toml (which paper figure
maps to which saved result, the paper's value, the rule that decides the verdict) evaluated over
benchmarks/results/*.json.

`document(docs)` returns a results-shaped document named "fidelity" (one row per claim, and per-paper
counts in the summary) that report.py hands to the results blocks of docs/fidelity.md and README.md, so
the fidelity tables are regenerated and checked like every other figure in the docs.
"""

from __future__ import annotations

from pathlib import Path

import tomllib

SPEC = Path(__file__).with_name("fidelity.toml")
VERDICTS = ("reproduced", "partial", "not reproduced")
FIELDS = ("paper", "figure", "paper_value", "results", "learnless", "setting", "criterion", "reproduced")


def load_spec(path: Path = SPEC) -> list[dict]:
    """The claims of `path`; ValueError naming a claim that lacks a field or names no known verdict rule."""
    claims = tomllib.loads(path.read_text())["claim"]
    for i, claim in enumerate(claims):
        missing = [f for f in FIELDS if f not in claim]
        if missing:
            raise ValueError(f"{path.name}: claim {i + 1} ({claim.get('figure', '?')}) lacks {missing}")
    return claims


def _source(name: str, doc: dict, provenance_errors) -> str:
    """The result's name, and why its provenance does not pin it down when it does not."""
    errors = provenance_errors(doc) if provenance_errors else []
    return f"`{name}`" + (f" ({'; '.join(errors)})" if errors else "")


def verdict(claim: dict, docs: dict[str, dict], evaluate, render_text, provenance_errors=None) -> dict:
    """One claim as a row: its texts rendered and its verdict decided by its rules over `docs`; its sources
    say which results it rests on and whether their provenance is incomplete (`provenance_errors(doc)`)."""
    unknown = [name for name in claim["results"] if name not in docs]
    if unknown:
        raise ValueError(f"fidelity claim {claim['figure']!r} names unknown result(s) {unknown}")
    scope: dict = {}
    scopes = [scope, docs]
    if claim.get("x"):
        scope["x"] = evaluate(claim["x"], scopes)
    if not claim["results"]:  # not measured: nothing can reproduce it
        outcome = "not reproduced"
    elif evaluate(claim["reproduced"], scopes):
        outcome = "reproduced"
    elif claim.get("partial") and evaluate(claim["partial"], scopes):
        outcome = "partial"
    else:
        outcome = "not reproduced"
    return {
        "paper": claim["paper"],
        "figure": claim["figure"],
        "paper_value": render_text(claim["paper_value"], scopes),
        "learnless": render_text(claim["learnless"], scopes),
        "setting": render_text(claim["setting"], scopes),
        "criterion": claim["criterion"],
        "verdict": outcome,
        "sources": ", ".join(_source(n, docs[n], provenance_errors) for n in claim["results"]) or "—",
    }


def document(docs: dict[str, dict], evaluate, render_text, spec: Path = SPEC, provenance_errors=None) -> dict:
    """The "fidelity" document: a row per claim; summary.papers: per paper, how many of each verdict."""
    rows = []
    for claim in load_spec(spec):
        try:
            rows.append(verdict(claim, docs, evaluate, render_text, provenance_errors))
        except (LookupError, TypeError, ValueError, SyntaxError) as exc:
            raise ValueError(f"{spec.name}: claim {claim['figure']!r}: {type(exc).__name__}: {exc}") from exc
    papers = []
    for paper in dict.fromkeys(r["paper"] for r in rows):
        mine = [r["verdict"] for r in rows if r["paper"] == paper]
        papers.append({"paper": paper, "claims": len(mine), **{v: mine.count(v) for v in VERDICTS}})
    return {"name": "fidelity", "provenance": {}, "params": {"spec": SPEC.name}, "results": rows,
            "summary": {"papers": papers}}
