"""`learnless demo`: every capability that exists, on embedded (generated) data, in a few minutes.

Each capability contributes a module `learnless.<capability>.demo` with `run(quick: bool) -> list[dict]`;
every dict is one summary row with keys `capability`, `what`, `result`, `seconds`.
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


def run_demo(quick: bool = False, json_output: bool = False) -> list[dict]:
    # with --json, stdout holds only the JSON document: the human report goes to stderr
    console = Console(stderr=json_output)
    rows: list[dict] = []
    start = time.perf_counter()
    for module_name in SECTIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                continue  # capability not built yet
            raise
        console.rule(f"[bold]{module_name.split('.')[1]}")
        section_rows = module.run(quick=quick)
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
        sys.stdout.write(json.dumps(rows) + "\n")
    return rows
