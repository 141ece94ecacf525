"""DyNAS-T result CSVs: `Sub-network, Date, Model Parameters, Latency (ms), MACs, <metric>` per evaluated
sub-network, where `Sub-network` is a stringified config dict (OFA: `{'wid': None, 'ks': [...], 'e': [...],
'd': [...], 'r': [224]}`). The dict text is parsed with `ast.literal_eval` (literals only, nothing runs)."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import numpy as np

from learnless.data.tables import SubnetTable
from learnless.errors import DataError, MissingFileError

COLUMNS = ("Sub-network", "Model Parameters", "Latency (ms)", "MACs")
METRICS = ("Top-1 Acc (%)", "BLEU Score")


def _parse_config(text: str, where: str) -> dict:
    try:
        cfg = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        raise DataError(f"{where}: 'Sub-network' is not a config dict literal ({text[:60]!r})") from exc
    if not isinstance(cfg, dict):
        raise DataError(f"{where}: 'Sub-network' is a {type(cfg).__name__}, expected a dict")
    return cfg


def _number(value: str, column: str, where: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise DataError(f"{where}: column {column!r} is not a number ({value[:40]!r})") from exc


def read_dynast_csv(paths, name: str | None = None, dedupe: bool = True) -> SubnetTable:
    """One SubnetTable from one or more DyNAS-T CSVs (same metric). Rows whose sub-network already appeared
    (in this or an earlier file) are dropped when `dedupe`: the first measurement is kept."""
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    configs, rows, sources, seen = [], [], [], set()
    metric_name = None
    n_read = 0
    for path in paths:
        if not path.exists():
            raise MissingFileError(f"{path}: missing DyNAS-T results file")
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise DataError(f"{path}: empty file")
            missing = [c for c in COLUMNS if c not in header]
            metric = [m for m in METRICS if m in header]
            if missing or not metric:
                raise DataError(f"{path}:1: not a DyNAS-T results header (missing "
                                f"{missing or list(METRICS)})")
            if metric_name is not None and metric[0] != metric_name:
                raise DataError(f"{path}: metric {metric[0]!r} differs from {metric_name!r} of earlier files")
            metric_name = metric[0]
            col = {c: header.index(c) for c in (*COLUMNS, metric_name)}
            for lineno, rec in enumerate(reader, 2):
                if not rec:
                    continue
                where = f"{path}:{lineno}"
                if len(rec) != len(header):
                    raise DataError(f"{where}: {len(rec)} fields, header has {len(header)}")
                n_read += 1
                cfg = _parse_config(rec[col["Sub-network"]], where)
                key = repr(sorted(cfg.items()))
                if dedupe and key in seen:
                    continue
                seen.add(key)
                configs.append((cfg, where))
                rows.append([_number(rec[col[c]], c, where) for c in (*COLUMNS[1:], metric_name)])
                sources.append(path.name)
    if not configs:
        raise DataError(f"{paths[0]}: no sub-networks in {len(paths)} file(s)")
    arch, dropped = _arch_arrays(configs)
    table = np.asarray(rows, dtype=np.float64)
    latency = table[:, 1].copy()
    latency[latency == 0] = np.nan  # DyNAS-T writes 0 when latency was not measured
    return SubnetTable(subnets=[repr(c) for c, _ in configs], arch=arch, params=table[:, 0],
                       latency=latency, macs=table[:, 2], metric=table[:, 3], metric_name=metric_name,
                       source=np.asarray(sources), name=name or paths[0].stem,
                       meta={"format": "dynast-csv", "files": [p.name for p in paths], "rows_read": n_read,
                             "duplicates_dropped": n_read - len(configs), "fields_dropped": dropped})


def _arch_arrays(configs) -> tuple[dict[str, np.ndarray], list[str]]:
    """Per field, an (n, len) int array; fields that are None in every row (OFA's 'wid') are dropped."""
    keys = list(dict.fromkeys(k for cfg, _ in configs for k in cfg))
    arch, dropped = {}, []
    for k in keys:
        values = [cfg.get(k) for cfg, _ in configs]
        if all(v is None for v in values):
            dropped.append(k)
            continue
        lengths = set()
        for v, (_, where) in zip(values, configs):
            if not isinstance(v, (list, tuple)) or not all(isinstance(e, int) for e in v):
                raise DataError(f"{where}: field {k!r} must be a list of integers, got {v!r}"[:200])
            lengths.add(len(v))
        if len(lengths) != 1:
            raise DataError(f"{configs[0][1]}: field {k!r} has varying lengths {sorted(lengths)}")
        arch[k] = np.asarray(values, dtype=np.int64)
    return arch, dropped
