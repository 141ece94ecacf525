"""Users' own files: `--dataset PATH --format FMT`. Each format maps to a reader in learnless.data.loaders."""

from __future__ import annotations

from pathlib import Path

from learnless.errors import ConfigError


def _gte_pkl(path: Path, **kw):
    from learnless.data.loaders.pickled_matrices import read_gte_pkl

    return read_gte_pkl(path)


def _planetoid(path: Path, **kw):
    from learnless.data.loaders.planetoid import read_planetoid

    # PATH is the folder holding ind.<name>.*; the name comes from the files unless given.
    name = kw.get("name")
    if name is None:
        names = sorted({p.name.split(".")[1] for p in path.glob("ind.*.graph")})
        if len(names) != 1:
            raise ConfigError(f"{path}: found Planetoid graphs {names or 'none'}; pass name=...")
        name = names[0]
    return read_planetoid(path, name)


FORMATS = {"gte-pkl": _gte_pkl, "planetoid": _planetoid}


def read_format(path: Path, fmt: str, **kwargs):
    if fmt not in FORMATS:
        raise ConfigError(f"--format: unknown {fmt!r}; expected one of {', '.join(sorted(FORMATS))}")
    return FORMATS[fmt](Path(path), **kwargs)
