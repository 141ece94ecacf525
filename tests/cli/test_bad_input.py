"""Bad input across every command, through the installed console script: each case prints one `error: ...`
line and exits 2 (or, where it is only a warning, exits 0 with one `warning: ...` line), with no traceback,
and leaves its run directory as it was (absent when it did not exist).

Range cases are generated from the vocabulary (learnless.cli.common.VOCABULARY): every bounded or numeric
option of every command, just outside its range or not a number. File and semantic cases are listed by hand.
The cases run two at a time in threads (each is its own process), so the suite stays within a few minutes."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.core import TyperOption

from learnless.cli.common import VOCABULARY
from learnless.cli.main import SUBCOMMANDS, _load_subapp, _module_exists
from tests.console import ENV, LEARNLESS

DATA = "cora"  # a registered graph: only named here, never loaded by a refused case


class _Evil:
    """Pickled into evil.pt: a class torch's weights_only loader refuses (and never instantiates)."""


def _files(root: Path) -> dict[str, str]:
    """The bad (and the few good) files the cases point at."""
    root.mkdir(parents=True, exist_ok=True)
    f = {}
    (root / "binary.csv").write_bytes(bytes(range(256)) * 8)
    f["binary"] = root / "binary.csv"
    np.savez(root / "objects.npz", a=np.array([{"x": 1}, None], dtype=object))
    f["objnpz"] = root / "objects.npz"
    (root / "evil.pt").write_bytes(pickle.dumps(_Evil()))
    f["evil"] = root / "evil.pt"
    rng = np.random.default_rng(0)
    np.save(root / "a.npy", rng.normal(size=(50, 8)))
    np.save(root / "b.npy", rng.normal(size=(50, 8)))
    np.save(root / "short.npy", rng.normal(size=(20, 8)))
    np.save(root / "nan.npy", np.full((50, 8), np.nan))
    np.save(root / "vec.npy", rng.normal(size=50))
    (root / "truncated.npy").write_bytes(b"\x93NUMPY\x01\x00")
    (root / "text.npy").write_text("not numpy")
    (root / "words.csv").write_text("a,b\nc,d\n")
    f.update({k: root / f"{k}.npy" for k in ("a", "b", "short", "nan", "vec", "truncated", "text")})
    f["words"] = root / "words.csv"
    (root / "empty.csv").write_text("")
    f["empty"] = root / "empty.csv"
    (root / "header_only.csv").write_text("user,item\n")
    f["header_only"] = root / "header_only.csv"
    (root / "one_col.csv").write_text("user\n1\n2\n")
    f["one_col"] = root / "one_col.csv"
    # graph folders: no edges; one class; features not numeric; edge out of range; missing features
    two = "0\n1\n0\n1\n"
    for name, edges, labels in (("noedges", "", two), ("oneclass", "0,1\n1,2\n2,3\n", "0\n0\n0\n0\n"),
                                ("badedge", "0,9\n", two), ("words_edge", "a,b\n0,x\n", two)):
        g = root / name
        g.mkdir(exist_ok=True)
        np.save(g / "features.npy", rng.normal(size=(4, 3)))
        (g / "edges.csv").write_text(edges)
        (g / "labels.csv").write_text(labels)
        f[name] = g
    g = root / "objfeatures"
    g.mkdir(exist_ok=True)
    np.save(g / "features.npy", np.array([{"x": 1}] * 4, dtype=object), allow_pickle=True)
    (g / "edges.csv").write_text("0,1\n")
    f["objfeatures"] = g
    (root / "nofeatures").mkdir(exist_ok=True)
    f["nofeatures"] = root / "nofeatures"
    # grok "runs": an object array as the model; a config that is not JSON; no model at all
    for name, cfg, model in (("grok_obj", {"params": {"group": "Z5"}}, "objects"),
                             ("grok_badjson", None, None),
                             ("grok_nomodel", {"params": {"group": "Z5"}}, None)):
        d = root / name
        d.mkdir(exist_ok=True)
        (d / "config.json").write_text("{not json" if cfg is None else json.dumps(cfg))
        if model:
            np.savez(d / "model.npz", W=np.array([{"x": 1}], dtype=object), V=np.zeros(1), train=np.zeros(1),
                     test=np.zeros(1))
        elif cfg is None:  # a model beside the broken config: the config is what is refused
            np.savez(d / "model.npz", W=np.zeros((2, 10)), V=np.zeros((5, 2)), train=np.arange(3),
                     test=np.arange(3, 6))
        f[name] = d
    # a run directory of another command, and a search run without metrics
    other = root / "other_run"
    other.mkdir(exist_ok=True)
    (other / "config.json").write_text(json.dumps({"command": "learnless grok train", "params": {}}))
    f["other_run"] = other
    (root / "not_a_dir").write_text("x")
    f["not_a_dir"] = root / "not_a_dir"
    return {k: str(v) for k, v in f.items()}


# (command, arguments that make the rest of the command valid)
BASE = {
    "recommend run": ["-d", "tmall"], "recommend compare": ["-d", "tmall"],
    "recommend top": ["-d", "tmall", "--users", "1"],
    "classify run": ["-d", DATA], "classify smoothness": ["-d", DATA], "classify depth-study": ["-d", DATA],
    "search run": ["--supernet", "mlp-elastic", "--objectives", "accuracy:max"],
    "search resume": ["{other_run}"], "search show": ["{other_run}"], "search spaces": [],
    "relate compare": ["{a}", "{b}"], "relate invariance": [], "relate stitch": [], "relate reconstruct": [],
    "relate sentences": [],
    "grok train": [], "grok energy": [], "grok landscape": [], "grok features": ["{grok_nomodel}"],
    "grok scaling": [], "grok presets": [],
    "data list": [], "data info": [DATA], "data verify": [DATA], "data fetch": [DATA],
    "runs list": [], "runs show": ["{other_run}"], "demo": [],
    "recommend update": ["{other_run}", "--interactions", "{a}"],
    "recommend explain": ["-d", "tmall", "--user", "1", "--item", "1"],
    "classify advise": ["-d", DATA], "classify predict": ["-d", DATA, "--run", "{other_run}", "-o", "{a}"],
    "search export": ["{other_run}", "-o", "{a}"], "search profile": ["--supernet", "mlp-elastic"],
    "relate extract": ["--model", "{a}", "--data", "{a}"], "relate layers": ["{a}", "{b}"],
    "relate swap": ["{a}", "{b}", "--anchors-a", "{a}", "--anchors-b", "{b}"],
    "grok construct": [], "grok forecast": [],
}


def _commands() -> dict[str, object]:
    out = {}
    for name, module, help_ in SUBCOMMANDS:
        if _module_exists(module):
            group = _load_subapp(name, module, help_)
            out.update({f"{name} {sub}": cmd for sub, cmd in group.commands.items()})
    from learnless.cli.main import app

    out["demo"] = typer.main.get_command(app).commands["demo"]
    return out


def _range_cases() -> list[tuple[str, list[str], str]]:
    """Every numeric option of every command: below its minimum, above its maximum, not a number."""
    cases, worded = [], set()
    for path, cmd in _commands().items():
        for p in cmd.params:
            if not isinstance(p, TyperOption) or p.is_flag or p.name == "help":
                continue
            long = next(o for o in p.opts if o.startswith("--"))
            term = VOCABULARY[long]
            if term.kind not in (int, float):
                continue
            if term.min is not None:
                cases.append((f"{path} {long} below {term.min}", [long, str(term.min - 1)], "error"))
            if term.max is not None and (term.max > 2**30 or term.min is None):  # what overflowed before
                above = str(int(term.max) * 10 + 1)
                cases.append((f"{path} {long} above {term.max}", [long, above], "error"))
            if long not in worded:  # the type check is click's, the same for every command: once per option
                worded.add(long)
                cases.append((f"{path} {long} not a number", [long, "many"], "error"))
    return [(f"{cid}", [*cid.split(" --")[0].split(" "), *BASE[cid.split(" --")[0]], *extra], kind)
            for cid, extra, kind in cases]


HAND = [
    # the root and unknown things
    ("root unknown command", ["classfy"], "error"),
    ("root unknown option", ["--nope"], "error"),
    *[(f"{c} unknown option", [*c.split(), *BASE[c], "--nope"], "error") for c in BASE],
    # data
    ("data info unknown", ["data", "info", "coraa"], "error"),
    ("data list bad task", ["data", "list", "--task", "cooking"], "error"),
    ("data fetch unknown", ["data", "fetch", "nope"], "error"),
    ("data verify unknown", ["data", "verify", "nope"], "error"),
    # recommend
    ("recommend run unknown model", ["recommend", "run", "-d", "tmall", "--model", "svd"], "error"),
    ("recommend run unknown set key", ["recommend", "run", "-d", "tmall", "--set", "layers=3"], "error"),
    ("recommend run set not k=v", ["recommend", "run", "-d", "tmall", "--set", "k"], "error"),
    ("recommend run gte k huge", ["recommend", "run", "-d", "tmall", "--set", "k=1000001"], "error"),
    ("recommend run lightgcn dim huge", ["recommend", "run", "-d", "tmall", "--model", "lightgcn", "--set",
                                         "dim=1000000000000"], "error"),
    ("recommend run bad protocol", ["recommend", "run", "-d", "tmall", "--protocol", "fast"], "error"),
    ("recommend run cutoffs words", ["recommend", "run", "-d", "tmall", "--cutoffs", "x"], "error"),
    ("recommend run cutoffs zero", ["recommend", "run", "-d", "tmall", "--cutoffs", "0"], "error"),
    ("recommend run binary csv", ["recommend", "run", "-d", "{binary}", "--format", "interactions-csv"],
     "error"),
    ("recommend run empty csv", ["recommend", "run", "-d", "{empty}", "--format", "interactions-csv"],
     "error"),
    ("recommend run header only", ["recommend", "run", "-d", "{header_only}", "--format", "interactions-csv"],
     "error"),
    ("recommend run one column", ["recommend", "run", "-d", "{one_col}", "--format", "interactions-csv"],
     "error"),
    ("recommend run no format", ["recommend", "run", "-d", "{binary}"], "error"),
    ("recommend run unknown format", ["recommend", "run", "-d", "{binary}", "--format", "xls"], "error"),
    ("recommend run missing path", ["recommend", "run", "-d", "/nonexistent.csv", "--format",
                                    "interactions-csv"], "error"),
    ("recommend run out is a file", ["recommend", "run", "-d", "tmall", "--out", "{not_a_dir}"], "error"),
    ("recommend run bad device", ["recommend", "run", "-d", "tmall", "--device", "tpu"], "error"),
    ("recommend compare empty models", ["recommend", "compare", "-d", "tmall", "--models", ""], "error"),
    ("recommend compare unknown model", ["recommend", "compare", "-d", "tmall", "--models", "gte,svd"],
     "error"),
    ("recommend compare unknown key", ["recommend", "compare", "-d", "tmall", "--set", "colour=1"], "error"),
    ("recommend top no users", ["recommend", "top", "-d", "tmall", "--users", ","], "error"),
    ("recommend top words users", ["recommend", "top", "-d", "tmall", "--users", "abc"], "error"),
    ("recommend top user out of range", ["recommend", "top", "-d", "tmall", "--users", "99999999"], "error"),
    # classify
    ("classify run unknown model", ["classify", "run", "-d", DATA, "--model", "gat"], "error"),
    ("classify run unknown key", ["classify", "run", "-d", DATA, "--set", "colour=3"], "error"),
    ("classify run negative lr", ["classify", "run", "-d", DATA, "--set", "lr=-1"], "error"),
    ("classify run hidden huge", ["classify", "run", "-d", DATA, "--set", "hidden=1000000000",
                                  "--trans-depth", "3"], "error"),
    ("classify run gcn hidden huge", ["classify", "run", "-d", DATA, "--model", "gcn", "--set",
                                      "hidden=1000000000"], "error"),
    ("classify run mlp hidden huge", ["classify", "run", "-d", DATA, "--model", "mlp", "--set",
                                      "hidden=1000000000"], "error"),
    ("classify run prop depth huge", ["classify", "run", "-d", DATA, "--set", "prop_depth=100000000"],
     "error"),
    ("classify run seed huge", ["classify", "run", "-d", DATA, "--seed", "99999999999999999999"], "error"),
    ("classify run set seed huge", ["classify", "run", "-d", DATA, "--set", "seed=99999999999999999999"],
     "error"),
    ("classify run over memory budget", ["classify", "run", "-d", DATA, "--memory-budget", "0.00001"],
     "error"),
    ("recommend run over memory budget", ["recommend", "run", "-d", "tmall", "--memory-budget", "0.00001"],
     "error"),
    ("classify run bad preset", ["classify", "run", "-d", DATA, "--preset", "fig5"], "error"),
    ("classify run variant for gcn", ["classify", "run", "-d", DATA, "--model", "gcn", "--variant", "paper"],
     "error"),
    ("classify run bad split", ["classify", "run", "-d", DATA, "--split", "half"], "error"),
    ("classify run bad device", ["classify", "run", "-d", DATA, "--device", "tpu"], "error"),
    ("classify run no edges", ["classify", "run", "-d", "{noedges}", "--format", "graph-files"], "error"),
    ("classify run one class", ["classify", "run", "-d", "{oneclass}", "--format", "graph-files", "--split",
                                "per-class", "--train-per-class", "1", "--val-per-class", "1"], "error"),
    ("classify run edge out of range", ["classify", "run", "-d", "{badedge}", "--format", "graph-files"],
     "error"),
    ("classify run words in edges", ["classify", "run", "-d", "{words_edge}", "--format", "graph-files"],
     "error"),
    ("classify run object features", ["classify", "run", "-d", "{objfeatures}", "--format", "graph-files"],
     "error"),
    ("classify run no features", ["classify", "run", "-d", "{nofeatures}", "--format", "graph-files"],
     "error"),
    ("classify run npz object array", ["classify", "run", "-d", "{objnpz}", "--format", "npz"],
     "error"),
    ("classify smoothness no edges", ["classify", "smoothness", "-d", "{noedges}", "--format", "graph-files"],
     "error"),
    ("classify smoothness depth huge", ["classify", "smoothness", "-d", DATA, "--max-depth", "100000"],
     "error"),
    ("classify depth-study bad split", ["classify", "depth-study", "-d", DATA, "--split", "half"], "error"),
    # search
    ("search run no objectives", ["search", "run", "--supernet", "mlp-elastic"], "error"),
    ("search run bad objective", ["search", "run", "--supernet", "mlp-elastic", "--objectives", "accuracy"],
     "error"),
    ("search run unknown metric", ["search", "run", "--supernet", "mlp-elastic", "--objectives", "joy:max"],
     "error"),
    ("search run bad constraint", ["search", "run", *BASE["search run"], "--constraint", "macs<"], "error"),
    ("search run unknown supernet", ["search", "run", "--supernet", "resnet", "--objectives", "accuracy:max"],
     "error"),
    ("search run module not importable", ["search", "run", "--supernet", "nopkg.nets:make", "--objectives",
                                          "accuracy:max"], "error"),
    ("search run bad tactic", ["search", "run", *BASE["search run"], "--tactic", "anneal"], "error"),
    ("search run evals below population", ["search", "run", *BASE["search run"], "--evals", "10"], "error"),
    ("search run huge evals", ["search", "run", *BASE["search run"], "--evals", "100000000000",
                               "--population", "50000000000"], "error"),
    ("search run unknown supernet arg", ["search", "run", *BASE["search run"], "--supernet-arg", "depth=3"],
     "error"),
    ("search run supernet arg device", ["search", "run", *BASE["search run"], "--supernet-arg", "device=cpu"],
     "error"),
    ("search run address without ray", ["search", "run", *BASE["search run"], "--address", "x:1"], "error"),
    ("search resume not a run", ["search", "resume", "{nofeatures}"], "error"),
    ("search resume another command", ["search", "resume", "{other_run}"], "error"),
    ("search resume evals on another run", ["search", "resume", "{other_run}", "--evals", "5"], "error"),
    ("search show not a run", ["search", "show", "{nofeatures}"], "error"),
    ("search show missing", ["search", "show", "/nonexistent-run"], "error"),
    # relate
    ("relate compare missing file", ["relate", "compare", "/nonexistent.npy", "{b}"], "error"),
    ("relate compare evil pickle", ["relate", "compare", "{evil}", "{b}"], "error"),
    ("relate compare object npz", ["relate", "compare", "{objnpz}", "{b}"], "error"),
    ("relate compare nan", ["relate", "compare", "{nan}", "{b}", "--anchors", "10"], "error"),
    ("relate compare 1-d", ["relate", "compare", "{vec}", "{b}", "--anchors", "10"], "error"),
    ("relate compare truncated", ["relate", "compare", "{truncated}", "{b}"], "error"),
    ("relate compare text as npy", ["relate", "compare", "{text}", "{b}"], "error"),
    ("relate compare words csv", ["relate", "compare", "{words}", "{b}"], "error"),
    ("relate compare binary csv", ["relate", "compare", "{binary}", "{b}"], "error"),
    ("relate compare rows differ", ["relate", "compare", "{a}", "{short}"], "error"),
    ("relate compare too many anchors", ["relate", "compare", "{a}", "{b}", "--anchors", "500"], "error"),
    ("relate compare bad method", ["relate", "compare", "{a}", "{b}", "--anchor-method", "best"], "error"),
    ("relate compare unknown extension", ["relate", "compare", "{not_a_dir}", "{b}"], "error"),
    ("relate stitch one seed", ["relate", "stitch", "--seeds", "1"], "error"),
    ("relate reconstruct one seed", ["relate", "reconstruct", "--seeds", "1"], "error"),
    ("relate stitch bad arch", ["relate", "stitch", "--arch", "vit"], "error"),
    ("relate stitch bad dataset", ["relate", "stitch", "-d", "cifar"], "error"),
    ("relate stitch bad head", ["relate", "stitch", "--head", "big"], "error"),
    ("relate reconstruct bad dataset", ["relate", "reconstruct", "-d", "cifar"], "error"),
    ("relate sentences bad dataset", ["relate", "sentences", "-d", "imdb"], "error"),
    ("relate stitch bad device", ["relate", "stitch", "--device", "tpu"], "error"),
    # grok
    ("grok train unknown group", ["grok", "train", "--group", "Q8"], "error"),
    ("grok train unknown key", ["grok", "train", "--set", "wd=1e-3"], "error"),
    ("grok train bad act", ["grok", "train", "--set", "act=tanh"], "error"),
    ("grok train hidden huge", ["grok", "train", "--set", "hidden=10000000000"], "error"),
    ("grok train set device", ["grok", "train", "--set", "device=cpu"], "error"),
    ("grok train unknown preset", ["grok", "train", "--preset", "fig9"], "error"),
    ("grok train frac above 1", ["grok", "train", "--train-frac", "1.5"], "error"),
    ("grok energy unknown key", ["grok", "energy", "--set", "hidden=3"], "error"),
    ("grok energy starts huge", ["grok", "energy", "--set", "starts=10000000000000"], "error"),
    ("grok landscape bad fracs", ["grok", "landscape", "--fracs", "a,b"], "error"),
    ("grok landscape zero frac", ["grok", "landscape", "--group", "Z7", "--fracs", "0,1"], "error"),
    ("grok landscape unknown opt", ["grok", "landscape", "--landscape-opt", "colour=1"], "error"),
    ("grok landscape set is not its option", ["grok", "landscape", "--set", "lr=1"], "error"),
    ("grok features object model", ["grok", "features", "{grok_obj}"], "error"),
    ("grok features bad json", ["grok", "features", "{grok_badjson}"], "error"),
    ("grok features no model", ["grok", "features", "{grok_nomodel}"], "error"),
    ("grok features not a dir", ["grok", "features", "{not_a_dir}"], "error"),
    ("grok scaling bad ratios", ["grok", "scaling", "--ratios", "x"], "error"),
    ("grok scaling unknown group", ["grok", "scaling", "--groups", "Z7,Q8"], "error"),
    # runs and demo
    ("runs show not a run", ["runs", "show", "/nonexistent-run"], "error"),
    ("demo unknown section", ["demo", "--only", "cooking"], "error"),
    # warnings: exit 0, one warning line
    ("relate compare widths differ", ["relate", "compare", "{a}", "{wide}", "--anchors", "10", "--quiet"],
     "warning"),
]

CASES = _range_cases() + HAND


def _fill(args: list[str], files: dict) -> list[str]:
    return [a.format(**files) if "{" in a else a for a in args]


def _snapshot(path: Path):
    if not path.exists():
        return None
    return sorted((str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns) for p in path.rglob("*"))


def _run(case, files, root: Path):
    cid, args, _ = case
    args = _fill(args, files)
    out = root / "runs" / cid.replace(" ", "_").replace("/", "_")
    if "--out" not in args and not any(a in ("--help",) for a in args):
        args = [*args, "--out", str(out)] if "--out" in _options_of(args) else args
    watched = [Path(a) for a in args if Path(a).is_dir()] + [out]
    before = {str(p): _snapshot(p) for p in watched}
    env = {**ENV, "COLUMNS": "100"}  # the real data directory: memory refusals need the graph's shape
    proc = subprocess.run([LEARNLESS, *args], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    after = {str(p): _snapshot(p) for p in watched}
    return proc, before, after


_OPTIONS: dict[str, set[str]] = {}


def _options_of(args: list[str]) -> set[str]:
    """The long options of the command `args` starts with (to know whether it takes --out)."""
    key = " ".join(args[:2])
    if key not in _OPTIONS:
        cmd = _commands().get(key) or _commands().get(args[0])
        _OPTIONS[key] = {o for p in getattr(cmd, "params", []) for o in getattr(p, "opts", [])}
    return _OPTIONS[key]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    files = _files(root / "files")
    np.save(root / "files" / "wide.npy", np.random.default_rng(2).normal(size=(50, 12)))
    files["wide"] = str(root / "files" / "wide.npy")
    os.environ.setdefault("LEARNLESS_PROGRESS", "0")
    with ThreadPoolExecutor(2) as pool:
        done = dict(zip([c[0] for c in CASES], pool.map(lambda c: _run(c, files, root), CASES)))
    return done


def test_the_suite_covers_every_command_with_enough_cases():
    assert len(CASES) >= 150
    assert len({c[0] for c in CASES}) == len(CASES)
    covered = {" ".join(a for a in c[1][:2] if not a.startswith("-")) for c in CASES}
    for command in BASE:
        assert any(cov.startswith(command) for cov in covered), command


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_and_leaves_no_trace(case, results):
    cid, _, kind = case
    proc, before, after = results[cid]
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text, text[-2000:]
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    if kind == "error":
        assert proc.returncode == 2, (proc.returncode, text[-1500:])
        assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        assert len(lines) == 1 and lines[0].startswith("warning: "), proc.stderr
    if kind == "error":
        assert before == after, f"{cid}: the run directory changed"


def _verdict(case, result) -> str | None:
    """None when the case is clean, else why not (the test's assertions, as one line)."""
    _, _, kind = case
    proc, before, after = result
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    if "Traceback" in proc.stdout + proc.stderr:
        return "traceback"
    want = "error: " if kind == "error" else "warning: "
    if proc.returncode != (2 if kind == "error" else 0):
        return f"exit {proc.returncode}"
    if len(lines) != 1 or not lines[0].startswith(want):
        return f"{len(lines)} stderr lines: {' | '.join(lines)[:200]}"
    if kind == "error" and before != after:
        return "run directory changed"
    return None


if __name__ == "__main__":  # the counts for a report: python -m tests.cli.test_bad_input OUT.jsonl
    import sys
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="bad_input_"))
    files = _files(root / "files")
    np.save(root / "files" / "wide.npy", np.random.default_rng(2).normal(size=(50, 12)))
    files["wide"] = str(root / "files" / "wide.npy")
    chosen = [c for c in CASES if len(sys.argv) < 3 or any(w in c[0] for w in sys.argv[2:])]
    with open(sys.argv[1], "w") as log, ThreadPoolExecutor(2) as pool:
        for case, result in zip(chosen, pool.map(lambda c: _run(c, files, root), chosen)):
            why = _verdict(case, result)
            log.write(json.dumps({"case": case[0], "clean": why is None, "why": why,
                                  "stderr": result[0].stderr[-300:]}) + "\n")
            log.flush()
