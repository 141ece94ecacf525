"""One registry shape for every capability: `name -> "module:Class"`, classes imported only when asked for.

    MODELS = Registry("model", {"gte": "learnless.recommend.gte:GTE", ...})
    MODELS.make("gte", k=3)      # imports learnless.recommend.gte only now
    MODELS.names()               # for help texts and error messages

Lazy imports matter: a command that runs GTE must not pay for importing torch_geometric's GNN baselines.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterator, Mapping

from learnless.errors import ConfigError

_ALL: dict[str, Registry] = {}


class Registry(Mapping):
    """A read-only mapping name -> class, resolved lazily from "module:attribute" strings."""

    def __init__(self, kind: str, entries: Mapping[str, str], capability: str | None = None):
        self.kind = kind
        self.capability = capability
        self._entries = dict(entries)
        if capability is not None:
            _ALL[capability] = self

    def names(self) -> list[str]:
        return list(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def path(self, name: str) -> str:
        return self._entries[self._check(name)]

    def _check(self, name: str) -> str:
        key = str(name)
        if key in self._entries:
            return key
        lowered = {k.lower(): k for k in self._entries}  # case-insensitive, whatever case the entries use
        key = lowered.get(key.lower(), key.lower())
        if key not in self._entries:
            close = difflib.get_close_matches(key, lowered, n=1)
            hint = f" (did you mean {lowered[close[0]]!r}?)" if close else ""
            raise ConfigError(f"{self.kind}: unknown {name!r}{hint}; expected one of "
                              f"{', '.join(self._entries)}")
        return key

    def __getitem__(self, name: str) -> type:
        module, _, attr = self.path(name).partition(":")
        return getattr(importlib.import_module(module), attr)

    def make(self, name: str, **params):
        """A fresh, validated instance of `name` with these hyper-parameters (unknown ones are refused)."""
        cls = self[name]
        from learnless.base import Estimator

        if issubclass(cls, Estimator):
            valid = set(cls._get_param_names())
            unknown = sorted(set(params) - valid)
            if unknown:
                raise ConfigError(f"{name}: unknown parameter(s) {', '.join(unknown)}; "
                                  f"valid: {', '.join(sorted(valid))}")
            return cls(**params).validate()
        return cls(**params)


def registries() -> dict[str, Registry]:
    """Every capability registry imported so far, by capability name."""
    return dict(_ALL)
