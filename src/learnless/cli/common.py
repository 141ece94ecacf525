"""What every sub-command shares: the option vocabulary, --set parsing, run directories and --json output.

The vocabulary is data: VOCABULARY maps each option name to its meaning, type, range and (where every command
agrees) its default. Commands build their options with `option(NAME)` (or the Annotated aliases below), so a
name means one thing everywhere; tests/cli/test_vocabulary.py walks the whole app and refuses any option that
is not in the table, or whose type, range or default disagrees with it. A new option is one `term(...)` line.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:  # the runtime (numpy, rich.progress) loads only when a command writes metrics
    from learnless.runtime.rundir import RunDir

# Human output goes to stderr when --json is on, so stdout holds exactly one JSON document.
stdout_console = Console()
stderr_console = Console(stderr=True)

MAX_SEED = 2**32 - 1  # NumPy's and torch's seeding take unsigned 32-bit seeds
MAX_COUNT = 2**31 - 1  # counts (evaluations, epochs, starts, ...) index int32/int64 arrays downstream


class _PerCommand:
    """Marker: the option's default differs by command (each command shows its own in --help)."""

    def __repr__(self) -> str:
        return "per command"


PER_COMMAND: Any = _PerCommand()


@dataclass(frozen=True)
class Term:
    """One option of the vocabulary. `decls` are click's declarations: "--seed", ("--dataset", "-d"), or
    "--center/--no-center" for an on/off flag; `kind` the Python type of one value; `multiple` for options
    that may be repeated; `min`/`max` the accepted range (checked by click, reported as one `error:` line)."""

    decls: tuple[str, ...]
    kind: type
    meaning: str
    default: Any = PER_COMMAND
    min: float | None = None
    max: float | None = None
    multiple: bool = False

    @property
    def name(self) -> str:
        return self.decls[0].split("/")[0]


def term(decls: str | tuple[str, ...], kind: type, meaning: str, **kw) -> Term:
    return Term((decls,) if isinstance(decls, str) else tuple(decls), kind, meaning, **kw)


def vocabulary(*terms: Term) -> dict[str, Term]:
    """The table, keyed by long option name; a name declared twice is a programming error."""
    table: dict[str, Term] = {}
    for t in terms:
        if t.name in table:
            raise ValueError(f"option {t.name} declared twice in the CLI vocabulary")
        table[t.name] = t
    return table


_COUNT = {"min": 1, "max": MAX_COUNT}
VOCABULARY: dict[str, Term] = vocabulary(
    # the data
    term(("--dataset", "-d"), str, "Dataset: a registered name (see `learnless data list`) or a path to your "
         "own files (with --format)."),
    term("--format", str, "Format when --dataset is a path to your own files.", default=None),
    term("--data-dir", Path, "Data directory (default $LEARNLESS_DATA, else the user cache).", default=None),
    term("--task", str, "Only datasets of this task.", default=None),
    # seeds and model parameters
    term("--seed", int, "First seed (splits, initialisation, sampling); runs use SEED, SEED+1, ...",
         default=0, min=0, max=MAX_SEED),
    term("--seeds", int, "How many seeds, from --seed: SEED .. SEED+SEEDS-1 (one run each).", min=1,
         max=1_000_000),
    term("--set", str, "Model parameter KEY=VALUE (repeatable); `--set help` lists the keys, types and "
         "defaults.", default=None, multiple=True),
    term("--preset", str, "Named starting hyper-parameters (the --set keys override them)."),
    term("--memory-budget", float, "Refuse a run whose estimated memory exceeds this many GiB (default: the "
         "memory available now).", default=None, min=0),
    # execution
    term("--backend", str, "Executor: local (process pool) or ray.", default="local"),
    term("--workers", int, "Parallel workers.", min=1, max=4096),
    term("--address", str, "Ray cluster address (with --backend ray).", default=None),
    term("--device", str, "Where to train: cpu or cuda (cuda needs a GPU build of torch).", default="cpu"),
    term("--time-budget", float, "Seconds of training per model.", min=0),
    # outputs
    term("--out", Path, "Run directory (default runs/<capability>/<time>-<name>).", default=None),
    term("--force", bool, "Replace what is there: an --out directory that holds a different run.",
         default=False),
    term("--json", bool, "Print the results as one JSON document on stdout, nothing else.", default=False),
    term(("--quiet", "-q"), bool, "No progress bars or tables; errors and warnings still print.",
         default=False),
    term(("--top-n", "-n"), int, "List length: recommendations per user, or neighbours per sample.",
         **_COUNT),
    term(("--output", "-o"), Path, "File to write (a single file, not a run directory)."),
    term("--run", Path, "Run directory of an earlier run to build on."),
    term("--samples", int, "How many to draw: rows for a layer map, sub-networks to profile.", **_COUNT),
    term("--permutations", int, "Shuffles for each permutation null and p-value.", min=0, max=MAX_COUNT),
    term("--bootstrap", int, "Resamples for each 95 % bootstrap interval.", min=0, max=MAX_COUNT),
    # recommend
    term(("--model", "-m"), str, "Model."),
    term("--models", str, "Comma-separated subset of the models (default: all).", default=None),
    term("--cutoffs", str, "Evaluation cut-offs K of Recall@K / NDCG@K (repeat, or comma-separated).",
         default="20,40", multiple=True),
    term("--protocol", str, "Evaluation: exact (seen items never ranked, ties by lower item id) or official "
         "(HKUDS/GTE main.py's evaluation, reproduced exactly).", default="exact"),
    term("--block-size", int, "Users per scoring block (exact protocol; default: sized to memory).",
         default=None, min=1, max=MAX_COUNT),
    term("--users", str, "Comma-separated user ids: the source file's ids for data with its own ids "
         "(interactions-csv), else row positions."),
    term("--user", str, "User id: the source file's id for data with its own ids, else a row position."),
    term("--item", str, "Item id: the source file's id for data with its own ids, else a position."),
    term("--metrics", str, "Beyond-accuracy metrics: all, or a comma-separated subset of coverage, novelty, "
         "diversity, personalisation, popularity, distributions (percentiles + a histogram PNG in the run "
         "directory).", default=None),
    term("--save-model", bool, "Also write the fitted model to RUN/model.npz (for `recommend update`).",
         default=False),
    term("--interactions", Path, "CSV of new user,item rows."),
    term("--new-items", bool, "Add items the model has not seen (else they are refused).", default=False),
    # classify
    term("--variant", str, "DGMLP: robust (default), paper or released.", default=None),
    term("--prop-depth", int, "Propagation depth Dp (default: the preset's).", default=None, min=0,
         max=100_000),
    term("--trans-depth", int, "DGMLP transformation depth Dt (default: the preset's).", default=None, min=1,
         max=10_000),
    term("--row-normalize/--raw-features", bool, "Scale feature rows to sum 1.", default=False),
    term("--split", str, "Split for every seed: planetoid (20 per class / 500 / 1000) or per-class "
         "(Shchur et al.). Default: the dataset's published split if it has one, else per-class 20 / 30.",
         default=None),
    term("--train-per-class", int, "Training nodes per class (default 20).", default=None, min=1,
         max=MAX_COUNT),
    term("--val-per-class", int, "per-class split: validation nodes per class (default 30).", default=None,
         min=0, max=MAX_COUNT),
    term("--test-size", int, "Test nodes drawn from the rest (default: planetoid 1000, per-class every "
         "remaining labelled node).", default=None, min=1, max=MAX_COUNT),
    term("--max-depth", int, "Largest propagation depth Dp.", min=0, max=100_000),
    term("--quick", bool, "Smaller problems, for a smoke test.", default=False),
    term("--choice-seed", int, "Which seed's saved choice to refit (default: the run's first).", default=None,
         min=0, max=MAX_SEED),
    # search
    term("--supernet", str, "Super-network: a built-in name or module.path:factory (the module must be "
         "importable: installed, or on PYTHONPATH)."),
    term("--supernet-arg", str, "Argument of the super-network's factory, KEY=VALUE (repeatable); "
         "`--supernet-arg help` lists the keys.", default=None, multiple=True),
    term("--objectives", str, "1-3 of NAME:min|NAME:max, e.g. --objectives accuracy:max macs:min.",
         default=None, multiple=True),
    term("--constraint", str, "NAME<=VALUE or NAME>=VALUE (repeatable), e.g. latency@v100<=10.", default=None,
         multiple=True),
    term("--tactic", str, "Search tactic: linas, evolutionary or random.", default="linas"),
    term("--evals", int, "Validated evaluations in all.", **_COUNT),
    term("--population", int, "Candidates per iteration.", min=2, max=1_000_000),
    term("--inner-evals", int, "LINAS: predictor evaluations per inner loop.", default=20000, min=10,
         max=10_000_000),
    term("--latency-table", Path, "latency@cpu from this `search profile` table (measured rows) and its "
         "predictor (other sub-networks) instead of timing each candidate.", default=None),
    term("--plot", Path, "Write the runs' fronts on one figure here (.png, .pdf or .svg).", default=None),
    term("--rank", int, "Which front member: 1 = front.csv's first row (best in the first objective).",
         default=1, **_COUNT),
    term("--repeats", int, "Timed passes per sub-network.", min=2, max=MAX_COUNT),
    term("--warmup", int, "Untimed passes before timing.", min=0, max=MAX_COUNT),
    term("--rounds", int, "Passes over the whole sample; a sub-network's latency is its rounds' median.",
         min=1, max=MAX_COUNT),
    term("--core", int, "Core to pin the timing to (default: the last allowed one).", default=None, min=0,
         max=4095),
    term("--clock", str, "What a timed pass measures: thread (its CPU time; not inflated by other processes) "
         "or wall (elapsed time).", default="thread"),
    # relate
    term("--anchors", int, "Number of anchors (rows sampled as anchors).", default=300, min=1, max=MAX_COUNT),
    term("--anchor-method", str, "Anchor choice: uniform, farthest or kmeans.", default="uniform"),
    term("--arch", str, "Encoders: mlp and/or cnn (repeatable; default both).", default=None, multiple=True),
    term("--epochs", int, "Training epochs.", min=1, max=MAX_COUNT),
    term("--head", str, "Classification head: mlp (LayerNorm, 128, ReLU) or paper (the relative head of the "
         "paper's vision-stitching code, standardising over the batch).", default="mlp"),
    term("--center/--no-center", bool, "Centre on the anchors' mean before the cosine.", default=False),
    term("--via", str, "How latents cross between spaces: relative (each side projected on its own "
         "anchors) or a translator fitted on the anchors (orthogonal, affine, linear).", default=None,
         multiple=True),
    term("--data", str, "Inputs: a shared set (mnist-test, trec, sst2, mr), a .npy / .csv array (rows = "
         "samples, reshaped by the model) or a .txt file (one text per line).", default=None),
    term("--layers", str, "NAME[,NAME...] as model.named_modules() names them (default: every leaf module); "
         "`--layers help` lists them.", default=None),
    term("--weights", Path, "A state_dict (.pt) loaded into the model.", default=None),
    term("--limit", int, "Use the first N inputs only.", default=None, **_COUNT),
    term("--batch-size", int, "Inputs per forward pass.", **_COUNT),
    term("--anchors-a", Path, "The anchor inputs embedded by encoder A."),
    term("--anchors-b", Path, "The same anchor inputs, in the same order, embedded by encoder B."),
    term("--truth", Path, "Per query, the relevant index row (.npy / .csv of integers): adds recall@n and "
         "MRR@n.", default=None),
    term("--oracle-index", Path, "The index re-embedded by B: adds the oracle's scores (needs --truth).",
         default=None),
    # grok
    term("--group", str, "Group: Z71 (cyclic), Z2xZ3xZ4 (product), D5 (dihedral, order 10), S4 (symmetric, "
         "n <= 5)."),
    term("--groups", str, "Groups, comma-separated, e.g. Z23,Z31,Z47,Z71."),
    term("--train-frac", float, "Share of the |G|^2 pairs to train on (default 0.4, or the preset's).",
         default=None, min=0, max=1),
    term("--fracs", str, "Training fractions, comma-separated, in (0, 1] (1.0: the full table)."),
    term("--landscape-opt", str, "Landscape option KEY=VALUE (repeatable); `--landscape-opt help` lists the "
         "keys and defaults.", default=None, multiple=True),
    term("--ratios", str, "Grid of n / (M ln M), comma-separated (default 1, 1.5, ..., 5).", default=None),
    term("--energy-starts", int, "Energy-ascent starts for the match (0: skip).", default=64, min=0,
         max=MAX_COUNT),
    term("--compare-trained", bool, "Also train a GrokTrainer of the same width (the cpu_scaling preset, "
         "stopped at grokking) and report its cost in node-gradient evaluations.", default=False),
    # demo
    term("--only", str, "Run only these sections (repeat, or comma-separated): data, recommend, classify, "
         "search, relate, grok.", default=None, multiple=True),
    term("--version", bool, "Print the version and exit.", default=False),
)


def option(name: str, detail: str = "", **overrides) -> Any:
    """The typer.Option of vocabulary entry `name`: its declarations, help (the meaning, then `detail`) and
    range. `overrides` are passed to typer.Option (e.g. a per-command `min`)."""
    t = VOCABULARY[name.split("/")[0]]
    help_ = f"{t.meaning} {detail}".strip()
    kw: dict = {"help": help_}
    if t.min is not None:
        kw["min"] = t.min
    if t.max is not None:
        kw["max"] = t.max
    kw.update(overrides)
    return typer.Option(*t.decls, **kw)


def ensure_writable(directory: Path) -> None:
    """DataError naming `directory` when outputs cannot be written there (read-only, or not a directory),
    checked before any work."""
    from learnless.errors import DataError

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise DataError(f"{directory}: not a directory; choose another --out")
    probe = directory if directory.exists() else directory.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    import tempfile

    try:  # a real write, not os.access: that says yes to root on a read-only mount
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise DataError(f"{directory}: not writable ({exc.strerror or exc}); choose another --out") from None


# The options most commands take, ready to annotate a parameter with (defaults: those of the table, or the
# command's own where the table says per command).
DatasetOption = Annotated[str, option("--dataset")]
SeedOption = Annotated[int, option("--seed")]
SeedsOption = Annotated[int, option("--seeds")]
SetOption = Annotated[list[str] | None, option("--set")]
QuietOption = Annotated[bool, option("--quiet")]
ForceOption = Annotated[bool, option("--force")]
TimeBudgetOption = Annotated[float | None, option("--time-budget", "Default: no limit; epochs bound it.")]
OutOption = Annotated[Path | None, option("--out")]
JsonOption = Annotated[bool, option("--json")]
DataDirOption = Annotated[Path | None, option("--data-dir")]
FormatOption = Annotated[str | None, option("--format")]
DeviceOption = Annotated[str, option("--device")]
BackendOption = Annotated[str, option("--backend")]
AddressOption = Annotated[str | None, option("--address")]
WorkersOption = Annotated[int, option("--workers")]
TopNOption = Annotated[int, option("--top-n")]
MemoryBudgetOption = Annotated[float | None, option("--memory-budget")]


def _constraint_text(constraints) -> str:
    """scikit-learn's constraints of one parameter as a short type description: `int in [1, inf)`,
    `{'relu', 'sqr'}`, `float in [0, 1) or None`."""
    from sklearn.utils._param_validation import Interval, Options, StrOptions

    parts = []
    for c in constraints:
        if c is None:
            parts.append("None")
        elif isinstance(c, Interval):
            kind = "int" if c.type is not None and c.type.__name__ == "Integral" else "float"
            lo = "-inf" if c.left is None else f"{c.left:g}"
            hi = "inf" if c.right is None else f"{c.right:g}"
            left = "[" if c.closed in ("left", "both") and c.left is not None else "("
            right = "]" if c.closed in ("right", "both") and c.right is not None else ")"
            parts.append(f"{kind} in {left}{lo}, {hi}{right}")
        elif isinstance(c, (StrOptions, Options)):
            parts.append("{" + ", ".join(sorted(map(repr, c.options))) + "}")
        elif isinstance(c, type):
            parts.append(c.__name__)
        elif isinstance(c, str):
            parts.append(c)
        else:
            parts.append(type(c).__name__)
    return " or ".join(parts)


def parameter_table(estimator: type) -> list[tuple[str, str, Any]]:
    """(key, type, default) of each constructor parameter of `estimator`: the type from its (and its
    parents') `_parameter_constraints`, else from the default's type; the default from the signature."""
    import inspect

    constraints: dict = {}
    for klass in reversed(estimator.__mro__):
        constraints.update(getattr(klass, "_parameter_constraints", None) or {})
    sig = inspect.signature(estimator.__init__)
    rows = []
    for name in estimator._get_param_names():
        default = sig.parameters[name].default if name in sig.parameters else None
        if name in constraints:
            kind = _constraint_text(constraints[name])
        else:
            kind = "any" if default is None else type(default).__name__
        rows.append((name, kind, default))
    return rows


def _print_keys(option_name: str, sections: dict[str, list[tuple[str, str, Any]]]) -> None:
    """`--set help`: the keys, types and defaults, on stdout; then exit 0."""
    lines = []
    for title, rows in sections.items():
        lines.append(f"{option_name} keys{f' of {title}' if title else ''}:")
        width = max((len(k) for k, _, _ in rows), default=0)
        rows_text = [f"  {k:<{width}}  {kind}  (default: {default!r})" for k, kind, default in rows]
        lines += rows_text or ["  (none)"]
    sys.stdout.write("\n".join(lines) + "\n")
    raise typer.Exit(0)


def parse_set(pairs: list[str] | None, estimator: type | dict[str, type] | None = None,
              extra_keys: tuple[str, ...] = (), option_name: str = "--set",
              keys: list[tuple[str, str, Any]] | None = None) -> dict:
    """KEY=VALUE pairs as a dict; VALUE parsed as a Python literal (1, 0.5, True, None, [1, 2], 'x') and kept
    as a string otherwise. The valid keys are the parameters of `estimator` (one class, or {title: class} for
    several), plus `extra_keys`, or the (key, type, default) rows `keys`: an unknown key is refused, naming
    the valid ones; `help` prints them with their types and defaults on stdout and exits 0."""
    import ast

    from learnless.errors import ConfigError

    if isinstance(estimator, type):
        estimator = {"": estimator}
    sections: dict[str, list] = {title: parameter_table(cls) for title, cls in (estimator or {}).items()}
    if keys is not None:
        sections[""] = list(keys)
    if extra_keys:
        sections.setdefault("", []).extend((k, "bool", False) for k in extra_keys)
    known = estimator is not None or keys is not None
    valid = sorted({k for rows in sections.values() for k, _, _ in rows})
    out = {}
    for pair in pairs or []:
        if pair.strip() == "help":
            _print_keys(option_name, sections)
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ConfigError(f"{option_name}: expected KEY=VALUE, got {pair!r}")
        if known and key not in valid:
            import difflib

            close = difflib.get_close_matches(key, valid, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{option_name}: unknown key {key!r}{hint}; valid keys: "
                              f"{', '.join(valid) or '(none)'}")
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = raw.strip()
        out[key] = value
    return out


def command_name(ctx: typer.Context) -> str:
    """"learnless classify run": with the resolved params, what config.json compares to resume a run dir."""
    return ctx.command_path


_silent = Console(quiet=True)


def console_for(json_output: bool, quiet: bool = False) -> Console:
    """Where human output goes: stdout, stderr under --json (stdout holds the JSON), nowhere under --quiet."""
    if quiet:
        return _silent
    return stderr_console if json_output else stdout_console


def quiet_progress(quiet: bool) -> None:
    """--quiet: no progress bars (learnless.runtime.progress reads LEARNLESS_PROGRESS)."""
    if quiet:
        import os

        os.environ["LEARNLESS_PROGRESS"] = "0"


def apply_memory_budget(budget_gb: float | None) -> None:
    """--memory-budget: every estimator's fit (here and in worker processes) refuses estimates above it."""
    if budget_gb is not None:
        import os

        from learnless.memory import BUDGET_ENV

        os.environ[BUDGET_ENV] = repr(float(budget_gb))


def emit_metrics(metrics: dict, run: RunDir | None, json_output: bool) -> None:
    """Write metrics.json (atomically) and print the metrics: a JSON dict on stdout with --json."""
    from learnless.runtime.rundir import to_jsonable

    if run is not None:
        run.write_metrics(metrics)
    if json_output:
        sys.stdout.write(json.dumps(to_jsonable(metrics)) + "\n")
        sys.stdout.flush()
