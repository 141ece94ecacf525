from learnless.cli.main import main


def test_version_runs(capsys):
    try:
        main(["version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == "0.1.0"


def test_unknown_dataset_is_a_one_line_error(capsys):
    try:
        main(["data", "info", "coraa"])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("error: unknown dataset 'coraa'; did you mean cora")
    assert err.endswith("(see `learnless data list`)")


def test_exit_code_of_a_command_is_kept():
    import typer

    from learnless.cli import main as cli_main

    probe = typer.Typer()

    @probe.command()
    def fail():
        raise typer.Exit(3)

    @probe.command()
    def other():
        pass

    cli_main.app.add_typer(probe, name="probe-exit")
    try:
        try:
            cli_main.main(["probe-exit", "fail"])
        except SystemExit as exc:
            assert exc.code == 3
        else:
            raise AssertionError("main() must exit")
    finally:
        cli_main.app.registered_groups = [g for g in cli_main.app.registered_groups if g.name != "probe-exit"]


def test_the_demo_composes_library_demos_without_the_cli():
    import subprocess
    import sys

    code = ("import sys, learnless.demo; "
            "print(sorted(m for m in sys.modules if m.startswith('learnless.cli')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
