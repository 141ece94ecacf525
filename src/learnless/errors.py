"""One exception hierarchy. The CLI turns any LearnlessError into `error: <message>` and exit code 2.

Code written for scikit-learn catches these too: ConfigError and DataError are ValueErrors, and
NotFittedError is scikit-learn's NotFittedError."""


class LearnlessError(Exception):
    """Base of every error a user can cause (bad input, missing data, bad arguments)."""


class ConfigError(LearnlessError, ValueError):
    """An argument or hyper-parameter has a value that cannot work; the message names it."""


class DataError(LearnlessError, ValueError):
    """A data file is missing, malformed or inconsistent; the message names the file (and line)."""


class DataTypeError(DataError, TypeError):
    """Data of the wrong kind (an object array holding non-numbers where numbers are needed)."""


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


def _not_fitted_error() -> type:
    """NotFittedError, built on first use: its base, scikit-learn's, costs a second to import, and the CLI's
    start-up imports this module."""
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    class NotFittedError(LearnlessError, SklearnNotFittedError):
        """A fitted-state method (predict, score, embed, recommend, transform) was called before `fit`.

        scikit-learn's NotFittedError (a ValueError and an AttributeError), so `hasattr(est,
        "predict_proba")`-style probes and scikit-learn's own checks keep working."""

    NotFittedError.__module__ = __name__
    NotFittedError.__qualname__ = "NotFittedError"
    return NotFittedError


def __getattr__(name: str):
    if name == "NotFittedError":
        cls = _not_fitted_error()
        globals()[name] = cls  # one class for the life of the process
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
