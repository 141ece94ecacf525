"""Every figure table in the docs, generated from the saved benchmark results (benchmarks/results/*.json).

    python benchmarks/report.py            # docs/results/*.md and every results block of the guides
    python benchmarks/report.py --check    # write nothing; exit 1 naming every stale page and every result
                                           # whose provenance does not say where it came from

A figure in the docs is therefore always the one its benchmark saved: no table of figures is typed by hand.
Every results file is in the one schema of `learnless.report.save_result` (name, provenance, params,
results, summary); a file in another shape is an error, not a guess.

**Results pages** (docs/results/<capability>.md): each file's params, result rows, summary and provenance.

**Results blocks** in a guide or the README: the text between the markers is regenerated, e.g.

    <!-- results: gte_depth
    | k | Recall@20 |
    |---|---|
    | {k} | {recall@20:.4f} |
    -->

    | k | Recall@20 |   <- generated
    ...

    <!-- /results -->

The first line names one or more result files. Without a template the block is the first file's result
rows, as on the results page. A template is a Markdown header and separator, then row lines: a line
starting `|` is rendered once per result row (a `rows: EXPR` line before it picks another list, a
`where: EXPR` line filters it), a line starting `= |` once. `{EXPR}` or `{EXPR:SPEC}` is a small
expression formatted with a Python format spec: names, `a.b`, `a['key']`, + - * /, comparisons, `or` as
"if missing", and the functions pick(list, k=v) (the one row matching; also `list['k=v,k2=v2']`),
best(list, key, k=v), values(list, key, k=v), pivot(list, by, column), min, max, abs, len, round, sum,
mean, startswith, yesno, join(list), rounded(list, digits), pairs(dict), num(text) (the first number in
"95.8 ± 1.2"). Names are looked up in the row (also bound as `row`), then the first file's document
(params, summary, ...), then the files by name (also `files['name']`); `@` may appear in names
(`recall@20`). A cell `A ;; B` renders B when A refers to something missing or null. Besides the files,
a block may name "fidelity": each paper figure against its result (benchmarks/fidelity.py).

A Markdown table in a guide must sit inside a results block, or follow a `<!-- not-results -->` line (a
table of options, formats, datasets), or an `<!-- unsaved-figures: why -->` line (figures no saved result
holds yet); `typed_tables` lists the others, and tests/test_docs.py fails on them.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import math
import re
import statistics
import sys
from pathlib import Path

from learnless.report import markdown_table
from learnless.report.results import schema_errors

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
# the pages whose results blocks report.py fills
GUIDES = ["README.md", "docs/index.md", "docs/fidelity.md", "docs/recommend.md", "docs/classify.md",
          "docs/search.md", "docs/relate.md", "docs/grok.md", "docs/core.md", "docs/data.md",
          "docs/methods.md"]
# Which results page a benchmark belongs on, by the prefix of its file name.
CAPABILITIES = {
    "gte": "recommend",
    "baseline": "recommend",
    "reproduction": "recommend",
    "recommend": "recommend",
    "dgmlp": "classify",
    "classify": "classify",
    "sgc": "classify",
    "depth": "classify",
    "search": "search",
    "relate": "relate",
    "relative": "relate",
    "grok": "grok",
    "propagate": "core",
    "cli": "core",
}


def capability_of(name: str) -> str:
    for prefix, capability in CAPABILITIES.items():
        if name.startswith(prefix):
            return capability
    return "core"


def provenance_errors(doc: dict) -> list[str]:
    """Why a result's provenance does not pin down where it came from (empty when it does): a figure counts
    only when it was measured on a committed tree (a commit, without `+dirty`), at a known date, with the
    machine's load recorded."""
    prov = doc.get("provenance") or {}
    commit = prov.get("git_commit")
    errors = []
    if not commit:
        errors.append("no git commit")
    elif str(commit).endswith("+dirty"):
        errors.append(f"commit {str(commit)[:12]} had uncommitted changes")
    if not prov.get("date"):
        errors.append("no date")
    if prov.get("load_average") is None:
        errors.append("no load average")
    return errors


def load_all(directory: Path = RESULTS) -> dict[str, dict]:
    """{stem: document} of every results file; ValueError naming each file outside the schema."""
    docs, bad = {}, []
    for path in sorted(directory.glob("*.json")):
        doc = json.loads(path.read_text())
        errors = schema_errors(doc, path.stem)
        if errors:
            bad.append(f"{path.name}: {'; '.join(errors)}")
        docs[path.stem] = doc
    if bad:
        raise ValueError("results outside the save_result schema:\n  " + "\n  ".join(bad))
    return docs


# ---------------------------------------------------------------------------------------------- pages


def _is_scalar(v) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return v


def _flat(row: dict) -> dict:
    """One level of nested dicts flattened into "outer.inner" columns; lists left out."""
    out = {}
    for k, v in row.items():
        if isinstance(v, dict) and all(_is_scalar(x) for x in v.values()):
            out.update({f"{k}.{kk}": _fmt(vv) for kk, vv in v.items()})
        elif _is_scalar(v):
            out[k] = _fmt(v)
    return out


def rows_table(rows: list[dict]) -> str:
    """Result rows as a Markdown table, every scalar (and one level of nested dicts) a column."""
    flat = [_flat(r) for r in rows]
    columns = list(dict.fromkeys(c for r in flat for c in r))
    return markdown_table(flat, columns=columns)


def find_tables(node, path: str = "") -> list[tuple[str, list[dict]]]:
    """(where, rows) for every list of dicts and every dict whose values are all dicts, depth-first."""
    found = []
    if isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        found.append((path, [_flat(x) for x in node]))
        return found
    if isinstance(node, dict):
        values = list(node.values())
        if (
            values
            and all(isinstance(v, dict) for v in values)
            and all(sum(_is_scalar(x) for x in v.values()) >= 2 for v in values)
        ):
            found.append((path, [{"": k, **_flat(v)} for k, v in node.items()]))
            return found
        for k, v in node.items():
            found += find_tables(v, f"{path}.{k}" if path else str(k))
    return found


def render(doc: dict) -> str:
    """One result's section of its results page."""
    parts = [f"## {doc['name']}\n"]
    if doc.get("notes"):
        parts.append(f"{doc['notes']}\n")
    params = {k: _fmt(v) for k, v in doc["params"].items() if _is_scalar(v)}
    if params:
        parts.append("*params*\n\n" + markdown_table([params]))
    if doc["results"]:
        parts.append("*results*\n\n" + rows_table(doc["results"]))
    summary = {k: _fmt(v) for k, v in doc["summary"].items() if _is_scalar(v)}
    if summary:
        parts.append("*summary*\n\n" + markdown_table([summary]))
    for where, rows in find_tables({k: v for k, v in doc["summary"].items() if not _is_scalar(v)}):
        columns = list(dict.fromkeys(c for r in rows for c in r))
        parts.append(f"*summary.{where}*\n\n" + markdown_table(rows, columns=columns))
    prov = doc["provenance"]
    parts.append("Provenance: " + ", ".join(f"{k} `{v}`" for k, v in prov.items() if _is_scalar(v)) + "\n")
    parts.append(f"Source: `benchmarks/results/{doc['name']}.json`\n")
    return "\n".join(parts)


def write_pages(docs: dict[str, dict], out: Path) -> dict[Path, str]:
    """{path: text} of the results pages."""
    pages: dict[str, list[str]] = {}
    for name, doc in docs.items():
        pages.setdefault(capability_of(name), []).append(render(doc))
    texts = {}
    for capability, sections in pages.items():
        head = (
            f"# Results: {capability}\n\nGenerated by `python benchmarks/report.py` from "
            "`benchmarks/results/*.json`; do not edit by hand.\n\n"
        )
        texts[out / f"{capability}.md"] = head + "\n".join(sections)
    index = ["# Results\n", "Every table here is generated from the saved benchmark results.\n"]
    index += [f"- [{c}]({c}.md)" for c in sorted(pages)]
    texts[out / "index.md"] = "\n".join(index) + "\n"
    return texts


# ---------------------------------------------------------------------------------------------- expressions


class Missing(LookupError):
    """A name, key or row the expression asks for is not in the result."""


def pick(rows: list, **fields) -> dict:
    """The one row of `rows` whose fields equal `fields`: pick(results, model='gte', dataset=dataset)."""
    hits = [r for r in rows if isinstance(r, dict) and all(k in r and r[k] == v for k, v in fields.items())]
    if len(hits) != 1:
        raise Missing(f"{len(hits)} rows match {fields}")
    return hits[0]


def values(rows: list, key: str, **fields) -> list:
    """`row[key]` of every row whose fields equal `fields`: min(values(results, 'wall_seconds', side='a'))."""
    return [r[key] for r in rows if isinstance(r, dict) and key in r
            and all(k in r and r[k] == v for k, v in fields.items())]


def best(rows: list, key: str, **fields) -> dict:
    """The row with the largest `key` among those whose fields equal `fields`."""
    hits = [r for r in rows if isinstance(r, dict) and key in r
            and all(k in r and r[k] == v for k, v in fields.items())]
    if not hits:
        raise Missing(f"no row with {key!r} matches {fields}")
    return max(hits, key=lambda r: r[key])


def pivot(rows: list, by: str, column: str) -> list[dict]:
    """One dict per distinct `by` value (first-seen order): {by: value, <column value>: row, ...}."""
    out: dict = {}
    for r in rows:
        out.setdefault(r[by], {by: r[by]})[str(r[column])] = r
    return list(out.values())


def num(value) -> float:
    """The first number in a text such as "95.8 ± 1.2" (a number is returned as it is)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    m = re.search(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", str(value))
    if not m:
        raise Missing(f"no number in {value!r}")
    return float(m.group())


_FUNCTIONS = {"min": min, "max": max, "abs": abs, "len": len, "round": round, "sum": sum,
              "mean": statistics.fmean, "num": num, "pick": pick, "pivot": pivot, "values": values,
              "best": best,
              "startswith": lambda s, prefix: str(s).startswith(prefix),
              "yesno": lambda flag: "yes" if flag else "no",
              "rounded": lambda items, digits=1: [None if x is None else round(x, digits) for x in items],
              "join": lambda items, sep=", ": sep.join("–" if x is None else f"{x:g}" if isinstance(x, float)
                                                        else str(x) for x in items),
              "pairs": lambda d: ", ".join(f"{k}: {v:.2g}" if isinstance(v, float) else f"{k}: {v}"
                                           for k, v in d.items())}
_AT = "_AT_"
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b if b else math.nan}
_CMPOPS = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
           ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
           ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}


def _key(value, key):
    if isinstance(value, dict):
        if key in value:
            return value[key]
        raise Missing(key)
    if isinstance(value, list) and isinstance(key, int):
        if -len(value) <= key < len(value):
            return value[key]
        raise Missing(key)
    if isinstance(value, list) and isinstance(key, str) and "=" in key:
        return select(value, key)
    raise Missing(f"{key!r} of a {type(value).__name__}")


def _matches(row: dict, key: str, want: str) -> bool:
    if key not in row:
        return False
    have = row[key]
    if isinstance(have, (int, float)) and not isinstance(have, bool):
        try:
            return float(want) == have
        except ValueError:
            return False
    return str(have) == want


def select(rows: list, selector: str) -> dict:
    """The one row of `rows` whose fields equal `selector`'s ("k=v,k2=v2")."""
    pairs = [p.split("=", 1) for p in selector.split(",")]
    hits = [r for r in rows
            if isinstance(r, dict) and all(_matches(r, k.strip(), v.strip()) for k, v in pairs)]
    if len(hits) != 1:
        raise Missing(f"{len(hits)} rows match {selector!r}")
    return hits[0]


def _eval(node, scopes: list[dict]):
    if isinstance(node, ast.Expression):
        return _eval(node.body, scopes)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        name = node.id.replace(_AT, "@")
        for scope in scopes:
            if isinstance(scope, dict) and name in scope:
                return scope[name]
        raise Missing(name)
    if isinstance(node, ast.Attribute):
        return _key(_eval(node.value, scopes), node.attr.replace(_AT, "@"))
    if isinstance(node, ast.Subscript):
        return _key(_eval(node.value, scopes), _eval(node.slice, scopes))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval(node.left, scopes), _eval(node.right, scopes))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, scopes)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _eval(node.operand, scopes)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        for value in node.values:  # `a or b`: a when it is there and not null, else b
            try:
                got = _eval(value, scopes)
            except Missing:
                continue
            if got is not None:
                return got
        raise Missing("every alternative of an `or`")
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return all(_eval(v, scopes) for v in node.values)
    if isinstance(node, ast.Compare) and all(type(op) in _CMPOPS for op in node.ops):
        left = _eval(node.left, scopes)
        for op, right_node in zip(node.ops, node.comparators):
            right = _eval(right_node, scopes)
            if not _CMPOPS[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        return _FUNCTIONS[node.func.id](*[_eval(a, scopes) for a in node.args],
                                        **{k.arg: _eval(k.value, scopes) for k in node.keywords})
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, scopes) for e in node.elts]
    raise ValueError(f"not allowed in a results template: {ast.dump(node)[:80]}")


def evaluate(expr: str, scopes: list[dict]):
    # `@` joins name parts (recall@20) outside string literals
    parts = re.split(r"('[^']*'|\"[^\"]*\")", expr)
    parts = [p if i % 2 else re.sub(r"(?<=\w)@(?=\w)", _AT, p) for i, p in enumerate(parts)]
    return _eval(ast.parse("".join(parts).strip(), mode="eval"), scopes)


def _split_spec(field: str) -> tuple[str, str]:
    """'expr:spec' at the last top-level colon (none inside quotes or brackets)."""
    depth, quote, cut = 0, None, -1
    for i, ch in enumerate(field):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ":" and depth == 0:
            cut = i
    return (field, "") if cut < 0 else (field[:cut], field[cut + 1:])


def format_value(value, spec: str) -> str:
    if value is None:
        return "—"
    if spec:
        return format(value, spec)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


_FIELD = re.compile(r"\{([^{}]+)\}")


def render_text(template: str, scopes: list[dict], null_is_missing: bool = False) -> str:
    def one(m):
        expr, spec = _split_spec(m.group(1))
        got = evaluate(expr, scopes)
        if got is None and null_is_missing:
            raise Missing(expr)
        return format_value(got, spec).replace("|", "\\|")

    return _FIELD.sub(one, template)


def _cells(line: str) -> list[str]:
    """A template row's cells (split at `|` outside `{...}`), without the outer pipes."""
    cells, depth, cur = [], 0, ""
    for ch in line.strip()[1:]:
        if ch == "|" and depth == 0:
            cells.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    return cells


def render_row(template: str, scopes: list[dict]) -> str:
    out = []
    for cell in _cells(template):
        alternatives = cell.split(";;")
        for i, alt in enumerate(alternatives):
            try:
                out.append(render_text(alt.strip(), scopes, null_is_missing=i < len(alternatives) - 1))
                break
            except Missing:
                if i == len(alternatives) - 1:
                    raise
    return "| " + " | ".join(out) + " |"


# ---------------------------------------------------------------------------------------------- blocks

# markers start a line: an indented example (a code block) is not a block
BLOCK = re.compile(r"^(?P<open><!-- results: (?P<head>[^\n]*?)(?P<spec>\n.*?)?-->\n)(?P<body>.*?)"
                   r"^(?P<close><!-- /results -->)", re.DOTALL | re.MULTILINE)


def render_block(head: str, spec: str, docs: dict[str, dict]) -> str:
    names = head.split()
    unknown = [n for n in names if n not in docs]
    if not names or unknown:
        raise ValueError(f"results block names unknown result(s) {unknown or head!r}")
    first = docs[names[0]]
    sources = {n: docs[n] for n in names}
    sources["files"] = dict(sources)  # files['grok_muon_lr0.002']: a name that is not an identifier
    lines = [ln for ln in (spec or "").strip("\n").splitlines() if ln.strip()]
    if not lines:
        return rows_table(first["results"])
    # directives apply to the row lines after them, until the next one
    rows_expr, where, out, table = "results", None, [], 0
    for line in lines:
        s = line.strip()
        if s.startswith("rows:"):
            rows_expr = s[5:].strip()
        elif s.startswith("where:"):
            where = s[6:].strip() or None
        elif table < 2:
            if not s.startswith("|") or (table == 1 and not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", s)):
                raise ValueError(f"results block {head!r}: a template starts with a header and a separator")
            out.append(s)
            table += 1
        elif s.startswith("= |"):
            out.append(render_row(s[1:].strip(), [first, sources]))
        elif s.startswith("|"):
            for row in evaluate(rows_expr, [first, sources]):
                scopes = [row, {"row": row}, first, sources]
                if where is None or evaluate(where, scopes):
                    out.append(render_row(s, scopes))
        else:
            raise ValueError(f"results block {head!r}: not a directive or a table line: {s[:60]!r}")
    return "\n".join(out) + "\n"


def fill(text: str, docs: dict[str, dict], where: str = "") -> str:
    """`text` with the body of every results block regenerated."""
    def one(m):
        try:
            body = render_block(m.group("head"), m.group("spec"), docs)
        except (Missing, ValueError, SyntaxError, TypeError) as exc:
            line = text[: m.start()].count("\n") + 1
            raise ValueError(f"{where}:{line}: results block {m.group('head')!r}: {exc}") from exc
        return f"{m.group('open')}\n{body}\n{m.group('close')}"

    return BLOCK.sub(one, text)


def typed_tables(text: str) -> list[int]:
    """Line numbers of Markdown tables outside results blocks and code fences, not marked as
    `<!-- not-results -->` or `<!-- unsaved-figures: ... -->`."""
    lines = text.splitlines()
    found, fence, block, prev = [], False, False, ""
    for i, line in enumerate(lines):
        s = line.strip()
        if line.startswith("    ") and not fence:
            continue  # an indented code block: an example, not a table or a marker
        if s.startswith("```"):
            fence = not fence
        elif not fence and s.startswith("<!-- results:"):
            block = True
        elif not fence and s.startswith("<!-- /results -->"):
            block = False
        elif (not fence and not block and s.startswith("|") and i + 1 < len(lines)
              and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1].strip())
              and not (i and lines[i - 1].strip().startswith("|"))
              and not prev.startswith(("<!-- not-results -->", "<!-- unsaved-figures:"))):
            found.append(i + 1)
        if s and not s.startswith("|"):
            prev = s
    return found


def _fidelity_module():
    spec = importlib.util.spec_from_file_location("fidelity", Path(__file__).with_name("fidelity.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def with_derived(docs: dict[str, dict]) -> dict[str, dict]:
    """`docs` and the documents derived from them that results blocks may name: "fidelity", each paper
    figure against its saved result (benchmarks/fidelity.py)."""
    fidelity = _fidelity_module()
    return {**docs, "fidelity": fidelity.document(docs, evaluate, render_text,
                                                  provenance_errors=provenance_errors)}


def guide_texts(docs: dict[str, dict], root: Path = ROOT) -> dict[Path, str]:
    """{path: regenerated text} of every guide that holds a results block."""
    docs = with_derived(docs)
    out = {}
    for rel in GUIDES:
        path = root / rel
        if path.is_file():
            text = path.read_text()
            new = fill(text, docs, rel)
            out[path] = new
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "results", help="results pages directory")
    ap.add_argument("--pages-only", action="store_true", help="do not touch the guides")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if any page is stale")
    args = ap.parse_args(argv)
    docs = load_all(args.results)
    texts = write_pages(docs, args.out)
    if not args.pages_only:
        texts.update(guide_texts(docs))
    stale = [p for p, t in texts.items() if not p.is_file() or p.read_text() != t]
    unproven = {name: provenance_errors(doc) for name, doc in docs.items()}
    unproven = {name: errors for name, errors in unproven.items() if errors}
    for name, errors in unproven.items():
        print(f"provenance: benchmarks/results/{name}.json: {'; '.join(errors)}", file=sys.stderr)
    if args.check:
        for p in stale:
            print(f"stale: {p}", file=sys.stderr)
        sys.exit(1 if stale or unproven else 0)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(texts[path])
    print(f"wrote {len(stale)} of {len(texts)} pages")


if __name__ == "__main__":
    main()
