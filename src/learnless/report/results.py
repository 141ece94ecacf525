"""The one schema of `benchmarks/results/<name>.json`: what was measured, how, and where it came from.

    {"name": "...", "provenance": {version, commit, command, date, cpus, load_average, ...},
     "params": {...}, "results": [ {row}, ... ], "summary": {...}}

`save_result` also writes `<name>.md` (the rows as a Markdown table) beside it.
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


def load_result(path: str | os.PathLike) -> dict:
    with open(path) as fh:
        return json.load(fh)
