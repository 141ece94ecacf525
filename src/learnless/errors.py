"""One exception hierarchy. The CLI turns any LearnlessError into `error: <message>` and exit code 2."""


class LearnlessError(Exception):
    """Base of every error a user can cause (bad input, missing data, bad arguments)."""


class ConfigError(LearnlessError, ValueError):
    """An argument or hyper-parameter has a value that cannot work; the message names it."""


class NotFittedError(LearnlessError, AttributeError):
    """A fitted-state method (predict, score, embed, recommend, transform) was called before `fit`.

    An AttributeError too, like scikit-learn's, so `hasattr(est,
    "predict_proba")`-style probes keep working."""


class DataError(LearnlessError):
    """A data file is missing, malformed or inconsistent; the message names the file (and line)."""


class DatasetNotFoundError(DataError, KeyError):
    """An unknown dataset name; the message suggests close names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingFileError(DataError, FileNotFoundError):
    """A dataset file is absent from the data directory; the message names it and the fetch command."""


class ChecksumError(DataError):
    """A file's sha256 differs from the registered one (truncated or corrupt download)."""


class UnsafePickleError(DataError):
    """A pickle refers to a class outside the allow-list; nothing in it was executed."""
