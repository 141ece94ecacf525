"""`learnless demo`: every capability that exists, on embedded (generated) data, in a few minutes.

Each capability contributes a module `learnless.<capability>.demo` with `run(quick: bool) -> list[dict]`;
every dict is one summary row:

    {"capability": "recommend", "what": "GTE k=3 (no training), 600x400 synthetic",
     "result": "Recall@20 0.183  NDCG@20 0.101",                      # the human text
     "values": [{"name": "recall@20", "value": 0.183, "unit": None},  # the same figures as numbers
                {"name": "ndcg@20", "value": 0.101, "unit": None}],
     "seconds": 1.2}

`values` holds every figure of `result`, in the order the text shows them, as a number with its unit in its
own field (`None` for a ratio or a count, "%" for a percentage, "s" for seconds, "MACs"). A row without
`values` is a bug in its section, refused by `structured`. `learnless demo --json` prints the rows with
`result` renamed `text`.
"""

from __future__ import annotations

import importlib
import json
import sys
import time

from rich.console import Console
from rich.table import Table

SECTIONS = ["learnless.data.demo", "learnless.recommend.demo", "learnless.classify.demo",
            "learnless.search.demo", "learnless.relate.demo", "learnless.grok.demo"]


def value(name: str, number: float, unit: str | None = None) -> dict:
    """One figure of a demo row: {"name", "value", "unit"}."""
    number = number.item() if hasattr(number, "item") else number  # NumPy scalars -> int / float
    return {"name": name, "value": number, "unit": unit}


def structured(row: dict) -> dict:
    """A section's row in the JSON shape: numbers in `values`, the human text in `text`."""
    if not row.get("values"):
        raise ValueError(f"demo row {row['capability']}: {row['what']!r} gives no 'values' for its text")
    return {"capability": row["capability"], "what": row["what"], "text": str(row["result"]),
            "values": [value(v["name"], v["value"], v.get("unit")) for v in row["values"]],
            "seconds": float(row["seconds"])}


def run_demo(quick: bool = False, json_output: bool = False, only: list[str] | None = None) -> list[dict]:
    """Run the demo sections (all, or the capabilities in `only`) and print their rows; return them in the
    JSON shape (`structured`)."""
    from learnless.errors import ConfigError

    names = [m.split(".")[1] for m in SECTIONS]
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        raise ConfigError(f"--only: unknown section(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    # with --json, stdout holds only the JSON document: the human report goes to stderr
    console = Console(stderr=json_output)
    rows: list[dict] = []
    out: list[dict] = []
    start = time.perf_counter()
    for module_name in SECTIONS:
        if only and module_name.split(".")[1] not in only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                continue  # capability not built yet
            raise
        console.rule(f"[bold]{module_name.split('.')[1]}")
        section_rows = module.run(quick=quick)
        out.extend(structured(r) for r in section_rows)  # a row without values fails at its own section
        for row in section_rows:
            console.print(f"  {row['what']}: [bold]{row['result']}[/bold] ({row['seconds']:.1f} s)")
        rows.extend(section_rows)
    table = Table(title=f"learnless demo — {time.perf_counter() - start:.0f} s in all")
    for col in ("capability", "what", "result", "seconds"):
        table.add_column(col, justify="right" if col == "seconds" else "left")
    for row in rows:
        table.add_row(row["capability"], row["what"], str(row["result"]), f"{row['seconds']:.1f}")
    console.print(table)
    if json_output:
        sys.stdout.write(json.dumps(out) + "\n")
    return out
