"""The README's two set-up commands are the contract with a new user: keep them and CI in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text())


def test_ci_runs_the_readme_test_command_verbatim():
    commands = readme_commands()
    test_cmd = [c for c in commands if "pytest" in c]
    assert len(test_cmd) == 1, commands
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_cmd[0] in ci_lines


def test_main_job_command_installs_pinned_torch_first_and_runs_the_demo():
    main_cmd = [c for c in readme_commands() if "learnless demo" in c]
    assert len(main_cmd) == 1
    assert main_cmd[0].index("pip install torch==2.13.0") < main_cmd[0].index("pip install .")
    assert main_cmd[0].endswith("learnless demo")
