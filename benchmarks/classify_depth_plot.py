"""Re-plot a finished depth study from its CSV (no training): the figure the README shows.

    PYTHONPATH=src python benchmarks/classify_depth_plot.py [benchmarks/results/depth_study_cora.csv
    [out.png]]

The CSV is what `learnless classify depth-study --dataset cora --seeds 3` wrote (`depth_study.csv`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from learnless.classify.depth_study import plot_depth_study, read_csv

RESULTS = Path(__file__).parent / "results"


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else RESULTS / "depth_study_cora.csv"
    dst = Path(argv[1]) if len(argv) > 1 else src.with_suffix(".png")
    rows = read_csv(src)
    dataset = src.stem.removeprefix("depth_study_")
    print(plot_depth_study(rows, dst, f"depth study — {dataset} (test accuracy, mean ± std over seeds)"))


if __name__ == "__main__":
    main(sys.argv[1:])
