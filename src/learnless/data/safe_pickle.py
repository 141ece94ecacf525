"""Loading pickles without running what is in them.

Research datasets ship as pickles (Planetoid's `ind.*` files, HKUDS's scipy matrices). `pickle.load` would run
any callable named in the file; this unpickler resolves only the handful of NumPy/SciPy/builtin classes those
files need and refuses everything else before anything is called.
"""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path

from learnless.errors import DataError, UnsafePickleError

# (module, name) pairs that real dataset pickles use. Module names cover NumPy 1.x/2.x and SciPy's old and
# new private module paths (scipy.sparse.csr -> scipy.sparse._csr).
ALLOWED_GLOBALS: frozenset[tuple[str, str]] = frozenset(
    [("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
     ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
     ("numpy._core.multiarray", "scalar"), ("numpy", "matrix"), ("numpy.matrixlib.defmatrix", "matrix"),
     ("collections", "defaultdict"), ("collections", "OrderedDict"),
     ("__builtin__", "list"), ("builtins", "list"), ("__builtin__", "dict"), ("builtins", "dict"),
     ("__builtin__", "set"), ("builtins", "set"), ("copy_reg", "_reconstructor"), ("copyreg",
                                                                                   "_reconstructor"),
     ("__builtin__", "object"), ("builtins", "object"),
     # Python 3 pickles: protocol <= 2 writes bytes as _codecs.encode(text, 'latin1') (a pure data transform);
     # protocol 5 writes arrays as numpy's _frombuffer(buffer, dtype, shape, order).
     ("__builtin__", "bytes"), ("builtins", "bytes"), ("__builtin__", "bytearray"), ("builtins", "bytearray"),
     ("_codecs", "encode"), ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer")]
    + [(mod, cls) for cls, short in (("csr_matrix", "csr"), ("csc_matrix", "csc"), ("coo_matrix", "coo"))
       for mod in (f"scipy.sparse.{short}", f"scipy.sparse._{short}", "scipy.sparse")]
)

_RENAMED = {"__builtin__": "builtins", "copy_reg": "copyreg",
            "numpy.core.multiarray": "numpy._core.multiarray",
            "numpy.core.numeric": "numpy._core.numeric"}


class AllowListUnpickler(pickle.Unpickler):
    """An Unpickler whose find_class only returns allow-listed classes."""

    def __init__(self, file, *, source: str = "<pickle>", allowed=ALLOWED_GLOBALS, **kwargs):
        super().__init__(file, **kwargs)
        self._source = source
        self._allowed = allowed

    def find_class(self, module: str, name: str):
        if (module, name) not in self._allowed:
            raise UnsafePickleError(
                f"{self._source}: refuses to load '{module}.{name}' — not on the allow-list of data classes "
                "(nothing in the file was executed)")
        module = _RENAMED.get(module, module)
        if module.startswith("numpy._core."):
            try:
                import numpy._core  # noqa: F401  (NumPy >= 2)
            except ImportError:  # pragma: no cover - NumPy 1.x
                module = module.replace("numpy._core.", "numpy.core.")
        if module.startswith("scipy.sparse"):
            module = "scipy.sparse"  # public names are stable across SciPy's private-module renames
        return super().find_class(module, name)


def safe_load(path: str | os.PathLike | bytes, encoding: str = "ASCII") -> object:
    """Unpickle a file (or raw bytes) with the allow-list. `encoding='latin1'` for Python 2 pickles."""
    if isinstance(path, (bytes, bytearray)):
        source, data = "<bytes>", bytes(path)
    else:
        source = str(path)
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise DataError(f"{source}: file not found") from exc
    try:
        return AllowListUnpickler(io.BytesIO(data), source=source, encoding=encoding).load()
    except UnsafePickleError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise DataError(f"{source}: not a readable pickle ({type(exc).__name__}: {exc})") from exc
