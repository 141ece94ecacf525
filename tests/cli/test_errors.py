"""User mistakes, Ctrl-C, --out problems and warnings, driven through the installed console script (or, where
a probe command is needed, through `learnless.cli.main.main` in a child process)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
SCRIPT = shutil.which("learnless") or str(Path(sys.executable).parent / "learnless")


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=SRC, COLUMNS="100")
    env.pop("FORCE_COLOR", None)
    return env


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    if not Path(SCRIPT).exists():
        pytest.skip("the learnless console script is not installed")
    return subprocess.run([SCRIPT, *args], check=False, capture_output=True, text=True, env=_env(),
                          timeout=timeout)


def py(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], check=False,
                          capture_output=True, text=True,
                          env=_env(), timeout=timeout)


def assert_usage_error(proc: subprocess.CompletedProcess, message: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 5  # click's usage + hint + one error line


@pytest.mark.parametrize("args, message", [
    (["classfy"], "No such command 'classfy'. Did you mean 'classify'?"),
    (["data", "info"], "Missing argument"),
    (["classify", "run", "--seeds", "abc"], "Invalid value for '--seeds'"),
    (["--no-such-option"], "No such option: --no-such-option"),
    (["data", "list", "--no-such-option"], "No such option: --no-such-option"),
])
def test_user_mistakes_are_usage_errors(args, message):
    assert_usage_error(cli(*args), message)


def test_a_group_without_its_sub_command_shows_its_help_and_exits_2():
    proc = cli("classify")
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    assert "run" in proc.stdout + proc.stderr


def test_library_errors_are_one_error_line():
    proc = cli("data", "info", "coraa")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("error: unknown dataset 'coraa'")


def test_version():
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip().startswith("learnless 0.")


def test_root_help_imports_no_capability_code():
    proc = py("""
        import sys
        from learnless.cli.main import main
        try:
            main(["--help"])
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        from learnless.cli.startup import _Deferred  # stand-ins for deferred modules: nothing imported

        loaded = [m for m, mod in sys.modules.items() if not isinstance(mod, _Deferred)]
        heavy = sorted(m for m in loaded if m.split(".")[0] in ("torch", "scipy", "sklearn",
                                                                       "matplotlib",
                                                                       "numpy", "torch_geometric", "pymoo")
                       or m.startswith(("learnless.recommend", "learnless.classify", "learnless.grok",
                                        "learnless.data", "learnless.cli.data", "learnless.runtime")))
        print("HEAVY", heavy, file=sys.stderr)
    """)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    for name in ("data", "recommend", "classify", "demo"):
        assert name in proc.stdout


def test_a_real_import_error_in_a_sub_app_is_not_hidden(tmp_path):
    pkg = tmp_path / "broken_cli"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("import no_such_module_anywhere\n")
    proc = py("""
        import sys
        sys.path.insert(0, sys.argv[1])
        from learnless.cli import main as m
        m.SUBCOMMANDS.append(("broken", "broken_cli", "A sub-app whose import fails."))
        m.main(["broken", "--help"])
    """, str(tmp_path))
    assert proc.returncode == 1 and "no_such_module_anywhere" in proc.stderr


PROBE = """
    import sys, time, warnings
    from pathlib import Path
    import typer
    from learnless.cli import main as m
    from learnless.runtime import Experiment, RunDir

    probe = typer.Typer()

    def slow(config, seed):
        time.sleep(0.3)
        return {"x": config["x"]}

    @probe.command()
    def sweep(journal: Path, n: int = 40):
        # run from a shell's background job, the test inherits SIGINT ignored (and Python then installs no
        # Ctrl-C handler); this child stands for a command at a terminal, where Ctrl-C raises
        import signal
        signal.signal(signal.SIGINT, signal.default_int_handler)
        Experiment(slow, [{"x": i} for i in range(n)], seeds=[0], journal=journal).run()

    @probe.command()
    def out(ctx: typer.Context, out: Path, k: int = 1, force: bool = False):
        run = RunDir.open("probe", "out", out, command=ctx.command_path, params={"k": k}, force=force)
        print("RESUMED" if run.resumed else "NEW")

    @probe.command()
    def warn():
        warnings.warn("the file has\\n  a long message", UserWarning)

    m.app.add_typer(probe, name="probe")
    m.main(sys.argv[1:])
"""


def test_ctrl_c_prints_interrupted_exits_130_and_keeps_finished_units(tmp_path):
    journal = tmp_path / "journal.jsonl"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(PROBE), "probe", "sweep", str(journal)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    deadline = time.time() + 60
    # the journal's first line is the experiment's header; wait for two unit records after it
    while time.time() < deadline and (not journal.exists() or len(journal.read_text().splitlines()) < 3):
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err
    from learnless.runtime import Journal

    kept = [record for _, record in Journal(journal).items()]
    assert 2 <= len(kept) < 40 and all(r["status"] == "ok" for r in kept)
    assert [r["result"]["x"] for r in kept] == list(range(len(kept)))


def test_out_naming_a_file_or_an_uncreatable_directory_is_one_line(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for target, message in ((a_file, "is a file, not a directory"), (a_file / "sub", "cannot create")):
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(PROBE), "probe", "out", str(target)],
                              check=False, capture_output=True, text=True, env=_env(), timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("error: --out: ") and message in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_out_resumes_the_same_run_and_refuses_another_unless_forced(tmp_path):
    def probe(*args):
        return subprocess.run([sys.executable, "-c", textwrap.dedent(PROBE), "probe", "out",
                               str(tmp_path / "r"),
                               *args], check=False, capture_output=True, text=True, env=_env(), timeout=60)

    assert probe().stdout.strip() == "NEW"
    assert probe().stdout.strip() == "RESUMED"
    refused = probe("--k", "2")
    assert refused.returncode == 2 and "add --force" in refused.stderr
    assert probe("--k", "2", "--force").stdout.strip() == "NEW"
    assert json.loads((tmp_path / "r" / "config.json").read_text())["params"] == {"k": 2}


def test_warnings_print_as_one_line():
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(PROBE), "probe", "warn"],
                          check=False, capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 0
    assert proc.stderr == "warning: the file has a long message\n"
