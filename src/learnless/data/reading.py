"""The one guarded path every file read goes through: whatever the reader raises about the file itself (bad
encoding, an object array, a pickle beyond plain data, a truncated archive, no permission) becomes one
DataError naming the file. Pickle refusals never suggest loading the file unsafely."""

from __future__ import annotations

import errno
import os
import pickle
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from learnless.errors import DataError, LearnlessError, UnsafePickleError


@contextmanager
def reading(path: str | os.PathLike) -> Iterator[None]:
    """Run a read of `path`; reader errors about the file are re-raised as one DataError naming it."""
    try:
        yield
    except LearnlessError:
        raise
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); is it a binary "
                        "file?") from None
    except pickle.UnpicklingError:
        # torch's message goes on to recommend weights_only=False, i.e. running the file's code: never shown
        raise UnsafePickleError(f"{path}: refused: it holds Python objects other than tensors and arrays, "
                                "which are never loaded (nothing in the file was run)") from None
    except (zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path}: truncated or not the expected file type ({type(exc).__name__})") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.EROFS:
            raise DataError(f"{path}: on a read-only file system") from None
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        if "Object arrays" in str(exc) or "allow_pickle" in str(exc):
            raise DataError(f"{path}: holds an object array; only numeric arrays are read (object arrays "
                            "would need unpickling)") from None
        raise
