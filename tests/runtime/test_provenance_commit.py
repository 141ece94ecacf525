"""A result's commit is `+dirty` when the code differs from the commit, not when only benchmark outputs
(benchmarks/results/, docs/) do: a benchmark that writes its result must not dirty the next one's."""

import subprocess

from learnless.runtime.provenance import git_commit


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_outputs_do_not_dirty_the_commit_but_code_does(tmp_path):
    files = {"src/pkg/mod.py": "x = 1\n", "benchmarks/results/r.json": "{}\n", "docs/g.md": "# g\n",
             "benchmarks/b.py": "y = 1\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
    head = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    start = tmp_path / "src" / "pkg"
    (tmp_path / "benchmarks/results/r.json").write_text('{"a": 1}\n')
    (tmp_path / "docs/g.md").unlink()
    assert git_commit(start) == head
    (tmp_path / "benchmarks/b.py").write_text("y = 2\n")
    assert git_commit(start) == head + "+dirty"
