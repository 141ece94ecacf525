"""Plots, Markdown tables and benchmark result files, for every capability.

The matplotlib backend is chosen once, at the CLI entry point (`use_file_backend`), never at import time;
library users keep whatever backend they have (a notebook's inline one).
"""

from learnless.report.figures import DPI, new_figure, save_figure, use_file_backend
from learnless.report.results import load_result, save_result, schema_errors
from learnless.report.tables import markdown_table

__all__ = ["DPI", "load_result", "markdown_table", "new_figure", "save_figure", "save_result",
           "schema_errors", "use_file_backend"]
