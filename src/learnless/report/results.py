"""The one schema of `benchmarks/results/<name>.json`: what was measured, how, and where it came from.

    {"name": "...", "provenance": {version, commit, command, date, cpus, load_average, ...},
     "params": {...}, "results": [ {row}, ... ], "summary": {...}}

`save_result` also writes `<name>.md` (the rows as a Markdown table) beside it; `schema_errors` says what
keeps a document from this schema (every file in benchmarks/results must pass it: the docs read no other).
A result migrated from an older shape keeps whatever provenance it had and sets the unknown fields to null
with `"provenance_recovered": false`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from learnless.report.tables import markdown_table


def save_result(name: str, results: list[dict], *, directory: str | os.PathLike, params: dict | None = None,
                summary: dict | None = None, notes: str | None = None, formats: dict | None = None,
                columns: list[str] | None = None) -> Path:
    """Write `<directory>/<name>.json` (schema above) and `<name>.md`; return the JSON path."""
    # imported here: the runtime (numpy, rich.progress) must not load with `learnless.report`
    from learnless.runtime.provenance import provenance
    from learnless.runtime.rundir import write_bytes_atomic, write_json_atomic

    directory = Path(directory)
    doc = {"name": name, "provenance": provenance(), "params": params or {}, "results": results,
           "summary": summary or {}}
    if notes:
        doc["notes"] = notes
    path = write_json_atomic(directory / f"{name}.json", doc)
    md = [f"# {name}\n", markdown_table(results, columns=columns, formats=formats)]
    if summary:
        md += ["\n", markdown_table([summary])]
    prov = doc["provenance"]
    md.append(f"\n`{prov['command']}` — learnless {prov['learnless_version']}, commit {prov['git_commit']}, "
              f"{prov['date']}, {prov['cpus']} CPUs, load average {prov['load_average']}\n")
    write_bytes_atomic(directory / f"{name}.md", "".join(md).encode())
    return path


# provenance fields `save_result` records; a migrated file may hold them as null, never leave them out
PROVENANCE_FIELDS = ("learnless_version", "git_commit", "command", "date", "python", "cpus", "load_average")
TOP_LEVEL = {"name": str, "provenance": dict, "params": dict, "results": list, "summary": dict}
OPTIONAL = {"notes": str, "details": dict}  # details: raw data behind the rows (e.g. whole fronts)


def schema_errors(doc, name: str | None = None) -> list[str]:
    """Why `doc` is not a result document (empty when it is). `name`: the file's stem, which must match."""
    if not isinstance(doc, dict):
        return [f"top level is {type(doc).__name__}, not an object"]
    errors = [f"missing key {k!r}" for k in TOP_LEVEL if k not in doc]
    errors += [f"{k!r} is {type(doc[k]).__name__}, not {t.__name__}" for k, t in TOP_LEVEL.items()
               if k in doc and not isinstance(doc[k], t)]
    errors += [f"{k!r} is {type(doc[k]).__name__}, not {t.__name__}" for k, t in OPTIONAL.items()
               if k in doc and not isinstance(doc[k], t)]
    errors += [f"unknown top-level key {k!r}" for k in doc if k not in TOP_LEVEL and k not in OPTIONAL]
    if isinstance(doc.get("results"), list):
        errors += [f"results[{i}] is not an object" for i, r in enumerate(doc["results"])
                   if not isinstance(r, dict)]
    prov = doc.get("provenance")
    if isinstance(prov, dict):
        errors += [f"provenance lacks {k!r}" for k in PROVENANCE_FIELDS if k not in prov]
    if name is not None and doc.get("name") != name:
        errors.append(f"name {doc.get('name')!r} is not the file's stem {name!r}")
    return errors


def load_result(path: str | os.PathLike) -> dict:
    with open(path) as fh:
        return json.load(fh)
