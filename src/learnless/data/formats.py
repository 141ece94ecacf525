"""Users' own files: `--dataset PATH --format FMT`. Each format maps to a reader in learnless.data.loaders.

| format | PATH | returns |
|---|---|---|
| gte-pkl | folder with train_mat.pkl, test_mat.pkl (pickled scipy, allow-list unpickler) | Interactions |
| lightgcn-txt | folder with train.txt, test.txt (`user item item ...` per line) | Interactions |
| interactions-csv | `user,item[,timestamp]` rows, any ids (split: random / leave-last-out) | Interactions |
| planetoid | folder with ind.<name>.{x,y,tx,ty,allx,ally,graph,test.index} | Graph |
| npz | gnn-benchmark (adj_*/attr_*/labels) or heterophilous-graphs (node_features/edges/...) .npz | Graph |
| graph-files | folder with edges.csv, features.npy [, labels.csv] | Graph |
"""

from __future__ import annotations

from pathlib import Path

from learnless.errors import ConfigError, MissingFileError


def _folder(path: Path, fmt: str) -> Path:
    if not path.is_dir():
        raise ConfigError(f"--format {fmt}: expects a folder, got the file {path}")
    return path


def _gte_pkl(path: Path, **kw):
    from learnless.data.loaders.pickled_matrices import read_gte_pkl

    return read_gte_pkl(_folder(path, "gte-pkl"), **kw)


def _lightgcn_txt(path: Path, **kw):
    from learnless.data.loaders.lightgcn import read_lightgcn_txt

    return read_lightgcn_txt(_folder(path, "lightgcn-txt"), **kw)


def _interactions_csv(path: Path, **kw):
    from learnless.data.loaders.interactions_csv import read_interactions_csv

    if path.is_dir():
        raise ConfigError(f"--format interactions-csv: expects a file, got the folder {path}")
    return read_interactions_csv(path, **kw)


def _planetoid(path: Path, **kw):
    from learnless.data.loaders.planetoid import read_planetoid

    # PATH is the folder holding ind.<name>.*; the name comes from the files unless given.
    path = _folder(path, "planetoid")
    name = kw.get("name")
    if name is None:
        names = sorted({p.name.split(".")[1] for p in path.glob("ind.*.graph")})
        if len(names) != 1:
            raise ConfigError(f"{path}: found Planetoid graphs {names or 'none'}; pass name=...")
        name = names[0]
    return read_planetoid(path, name)


def _npz(path: Path, **kw):
    import zipfile

    import numpy as np

    from learnless.data.loaders.npz_graphs import read_gnn_benchmark_npz, read_heterophilous_npz

    if path.is_dir():
        raise ConfigError(f"--format npz: expects a .npz file, got the folder {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            keys = set(z.files)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        keys = set()  # let the reader raise its own message naming the file
    if "node_features" in keys:
        return read_heterophilous_npz(path, kw.get("name"))
    return read_gnn_benchmark_npz(path, kw.get("name"))


def _graph_files(path: Path, **kw):
    from learnless.data.loaders.graph_files import read_graph_files

    return read_graph_files(_folder(path, "graph-files"), **kw)


FORMATS = {"gte-pkl": _gte_pkl, "lightgcn-txt": _lightgcn_txt, "interactions-csv": _interactions_csv,
           "planetoid": _planetoid, "npz": _npz, "graph-files": _graph_files}


def read_format(path: Path, fmt: str, **kwargs):
    """Read the user's own file(s) at `path` in format `fmt` (see the table above)."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format: unknown {fmt!r}; expected one of {', '.join(sorted(FORMATS))}")
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or directory")
    return FORMATS[fmt](path, **kwargs)
