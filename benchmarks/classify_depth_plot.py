"""The depth study's figure and result from its CSV (no training).

    PYTHONPATH=src python benchmarks/classify_depth_plot.py [benchmarks/results/depth_study_cora.csv
    [out.png]]

The CSV is what `learnless classify depth-study --dataset cora --seeds 3` wrote (`depth_study.csv`, one row
per trained point and seed). This script redraws the PNG and saves the result `depth_study_<dataset>`
(learnless.report.save_result): one row per point, test accuracy mean ± std over its seeds and the training
accuracy of the selected epoch; the result's params name the CSV (path and sha256) and the command that
wrote it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from learnless.classify.depth_study import plot_depth_study, read_csv, summarize

RESULTS = Path(__file__).parent / "results"
STUDY_COMMAND = "learnless classify depth-study --dataset {dataset} --seeds 3"


def save_depth_result(rows: list[dict], src: Path, dataset: str, directory: Path = RESULTS) -> Path:
    """Save the study's points as `depth_study_<dataset>` (one schema), each with its `series`
    (`experiment/model`) so a docs template can pivot one series by depth."""
    from learnless.data.integrity import sha256_file
    from learnless.report import save_result

    points = [{"series": f"{s['experiment']}/{s['model']}", **s, "gsl": s["gsl"] if s["gsl"] != "" else None}
              for s in summarize(rows)]
    params = {
        "dataset": dataset,
        "csv": {"path": src.resolve().relative_to(RESULTS.parents[1]).as_posix(), "sha256": sha256_file(src),
                "command": STUDY_COMMAND.format(dataset=dataset)},
        "seeds": sorted({r["seed"] for r in rows}),
        "fixed_dp": sorted({r["prop_depth"] for r in rows if r["experiment"] == "vary_dt"}),
        "fixed_dt": sorted({r["trans_depth"] for r in rows if r["experiment"] == "vary_dp"
                            and r["model"] != "SGC"}),
    }
    return save_result(f"depth_study_{dataset}", points, directory=directory, params=params,
                       columns=["experiment", "model", "prop_depth", "trans_depth", "test_acc_mean",
                                "test_acc_std", "train_acc_mean", "gsl", "seeds"])


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else RESULTS / "depth_study_cora.csv"
    dst = Path(argv[1]) if len(argv) > 1 else src.with_suffix(".png")
    rows = read_csv(src)
    dataset = src.stem.removeprefix("depth_study_")
    print(plot_depth_study(rows, dst, f"depth study — {dataset} (test accuracy, mean ± std over seeds)"))
    print(save_depth_result(rows, src, dataset))


if __name__ == "__main__":
    main(sys.argv[1:])
