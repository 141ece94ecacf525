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
