from learnless.data.demo import run


def test_data_demo_quick_rows():
    rows = run(quick=True)
    assert [r["capability"] for r in rows] == ["data"] * 5
    assert all(set(r) == {"capability", "what", "result", "values", "seconds"} for r in rows)
    assert "100 train / 150 val / 750 test" in rows[1]["result"]  # 5 classes x 20 / x 30
    assert [(v["name"], v["value"]) for v in rows[1]["values"]] == [
        ("train_nodes", 100), ("val_nodes", 150), ("test_nodes", 750)]
    assert "1000 users x 800 items, 1000 test" in rows[3]["result"]  # leave-last-out: one per user
