"""Start-up cost of a command: modules that dependencies import eagerly but use only later, loaded on first
use instead.

scikit-learn's `sklearn.base` (the base of every learnless estimator) imports `scipy.stats` at import time
(`sklearn.utils.fixes`) but touches it only inside functions; scipy.stats is about 0.5 s of every command's
start. The CLI process is ours, so there it is deferred; library users' imports are left as they are.
"""

from __future__ import annotations

import importlib
import sys
import types

DEFERRED = ("scipy.stats",)


class _Deferred(types.ModuleType):
    """Stands in sys.modules for a module not imported yet; the first attribute it lacks imports the real
    module, which then replaces it in sys.modules. (importlib's LazyLoader loads on the `__spec__` lookup
    that every `import` statement makes, so it would defer nothing here.)"""

    def __getattr__(self, attr):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        return getattr(real, attr)


def defer(name: str) -> None:
    """Put a stand-in for `name` into sys.modules, so that `import name` costs nothing until the module is
    used. A module already imported is left alone. Nothing is imported here (not even the parent package:
    `learnless --help` stays free of numpy and scipy)."""
    if name in sys.modules:
        return
    stand_in = _Deferred(name)
    stand_in.__spec__ = None  # what the import system checks for a module still initialising
    sys.modules[name] = stand_in


def defer_heavy_imports() -> None:
    for name in DEFERRED:
        defer(name)
