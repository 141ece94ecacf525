"""`learnless recommend update RUN --interactions new.csv` and `learnless recommend explain`: a saved model
brought up to date without a refit, and one score explained by the walks (GTE) or item weights behind it.

The model of a run directory is `model.npz`, written by `learnless recommend run --save-model` together with
the source ids of its users and items; an update reads `user,item` rows in those ids, ADDS them to the users'
histories (unknown users become new users; unknown items are refused unless --new-items) and rewrites
model.npz atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from learnless.cli.common import (
    DataDirOption,
    DatasetOption,
    ForceOption,
    FormatOption,
    JsonOption,
    OutOption,
    QuietOption,
    console_for,
    option,
    quiet_progress,
)
from learnless.errors import ConfigError, DataError

MODEL_FILE = "model.npz"


def save_run_model(model, data, run_path: Path) -> Path:
    """model.npz in the run directory, with the data's source ids (positions when it has none)."""
    import numpy as np

    model.source_user_ids_ = (np.asarray(data.user_ids) if data.user_ids is not None
                              else np.arange(model.n_users_))
    model.source_item_ids_ = (np.asarray(data.item_ids) if data.item_ids is not None
                              else np.arange(model.n_items_))
    return _save_atomic(model, Path(run_path) / MODEL_FILE)


def _save_atomic(model, path: Path) -> Path:
    import os

    tmp = path.with_name(f".{path.stem}.tmp.npz")
    model.save(tmp)
    os.replace(tmp, path)
    return path


def _read_pairs(path: Path) -> tuple[list[str], list[str]]:
    import csv

    if not path.is_file():
        raise DataError(f"--interactions: {path}: no such file")
    with path.open(newline="") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["user", "item"]:
        rows = rows[1:]
    if not rows:
        raise DataError(f"--interactions: {path}: the update is empty (no user,item rows)")
    for n, r in enumerate(rows, 2):
        if len(r) < 2:
            raise DataError(f"--interactions: {path}: line {n}: expected user,item")
    return [r[0].strip() for r in rows], [r[1].strip() for r in rows]


def _positions(values: list[str], ids, what: str, path: Path):
    """Known positions (or -1) of `values` among the model's ids; integer ids must be integers."""
    import numpy as np

    if ids.dtype.kind in "iu":
        parsed = []
        for v in values:
            try:
                parsed.append(int(v))
            except ValueError:
                raise DataError(f"--interactions: {path}: {what} id {v!r} is not an integer (the model's "
                                f"{what} ids are integers)") from None
        keys = [str(p) for p in parsed]
    else:
        keys = values
    where = {str(u): r for r, u in enumerate(ids)}
    return np.array([where.get(k, -1) for k in keys], dtype=np.int64), keys


def update(
    run: Annotated[Path, typer.Argument(help="Run directory holding model.npz (run --save-model).")],
    interactions: Annotated[Path, option("--interactions")],
    new_items: Annotated[bool, option("--new-items")] = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Add new interactions to a saved model by an exact incremental update (equal to a refit on the
    grown matrix) and save it back; prints what changed."""
    import json
    import sys
    import time

    import numpy as np
    import scipy.sparse as sp

    from learnless.recommend.persist import load

    console = console_for(json_output)
    path = Path(run) / MODEL_FILE
    if not path.is_file():
        raise DataError(f"{run}: no saved model ({MODEL_FILE}); write one with "
                        "`learnless recommend run --save-model`")
    model = load(path)
    users, items = _read_pairs(interactions)
    user_ids = np.asarray(model.source_user_ids_)
    item_ids = np.asarray(model.source_item_ids_)
    u_pos, u_keys = _positions(users, user_ids, "user", interactions)
    i_pos, i_keys = _positions(items, item_ids, "item", interactions)
    unknown_items = sorted({k for k, p in zip(i_keys, i_pos) if p < 0})
    if unknown_items and not new_items:
        raise DataError(f"--interactions: {interactions}: item {unknown_items[0]!r} is not in the model's "
                        f"catalogue ({model.n_items_} items); pass --new-items to add it")
    new_user_keys = list(dict.fromkeys(k for k, p in zip(u_keys, u_pos) if p < 0))
    u_pos[u_pos < 0] = [model.n_users_ + new_user_keys.index(k) for k, p in zip(u_keys, u_pos) if p < 0]
    i_pos[i_pos < 0] = [model.n_items_ + unknown_items.index(k) for k, p in zip(i_keys, i_pos) if p < 0]
    n_users = model.n_users_ + len(new_user_keys)
    n_items = model.n_items_ + len(unknown_items)
    before = model.train_.nnz
    start = time.perf_counter()
    known = i_pos < model.n_items_
    touched = np.unique(u_pos)
    added = sp.csr_matrix((np.ones(int(known.sum())), (u_pos[known], i_pos[known])),
                          shape=(n_users, model.n_items_))
    old = sp.vstack([model.train_, sp.csr_matrix((n_users - model.n_users_, model.n_items_))]).tocsr()
    rows = sp.csr_matrix(old[touched] + added[touched])
    rows.data[:] = 1.0
    model.partial_fit_users(touched, rows)
    how = [str(getattr(model, "last_update_", ""))]
    if unknown_items:
        fresh = np.arange(model.n_items_, n_items)
        on_new = ~known
        cells = (i_pos[on_new] - model.n_items_, u_pos[on_new])
        item_users = sp.csr_matrix((np.ones(int(on_new.sum())), cells), shape=(fresh.size, n_users))
        item_users.data[:] = 1.0
        model.partial_fit_items(fresh, item_users)
        how.append(str(getattr(model, "last_update_", "")))
    seconds = time.perf_counter() - start
    model.source_user_ids_ = _extend(user_ids, new_user_keys)
    model.source_item_ids_ = _extend(item_ids, unknown_items)
    _save_atomic(model, path)
    summary = {"model": model.name, "users_updated": int(touched.size), "users_added": len(new_user_keys),
               "items_added": len(unknown_items), "interactions_added": int(model.train_.nnz - before),
               "n_users": int(model.n_users_), "n_items": int(model.n_items_), "update_seconds": seconds,
               "how": "; ".join(h for h in how if h)}
    with (Path(run) / "run.log").open("a") as log:
        log.write(f"update from {interactions}: {json.dumps(summary)}\n")
    if json_output:
        sys.stdout.write(json.dumps(summary) + "\n")
    elif not quiet:
        console.print(f"{summary['users_updated']} users updated ({summary['users_added']} new), "
                      f"{summary['items_added']} new items, {summary['interactions_added']} interactions "
                      f"added in {seconds:.3f} s; model now {summary['n_users']} x {summary['n_items']} "
                      f"({summary['how']}): {path}")


def _extend(ids, new: list[str]):
    import numpy as np

    if not new:
        return ids
    if ids.dtype.kind in "iu":
        return np.concatenate([ids, np.array([int(k) for k in new], dtype=ids.dtype)])
    return np.concatenate([ids.astype(str), np.array(new, dtype=str)])


def explain(
    dataset: DatasetOption,
    user: Annotated[str, option("--user")],
    item: Annotated[str, option("--item")],
    model: Annotated[str, option("--model", "gte, itemknn or ease.")] = "gte",
    set_: Annotated[list[str] | None, option("--set")] = None,
    top_n: Annotated[int, option("--top-n", "Here: contributors listed.")] = 10,
    data_dir: DataDirOption = None,
    format: FormatOption = None,
    out_dir: OutOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
):
    """Explain one score exactly: GTE's walks grouped by co-item and by co-user, EASE's / ItemKNN's item
    weights; the contributions sum to the score."""
    import json
    import sys

    import numpy as np

    from learnless.cli.common import parse_set
    from learnless.cli.recommend import _load, _user_rows
    from learnless.recommend.models import MODELS

    if model not in ("gte", "itemknn", "ease"):
        raise ConfigError(f"--model: explain supports gte, itemknn and ease, got {model!r}")
    quiet_progress(quiet or json_output)
    console = console_for(json_output)
    est = MODELS.make(model, **parse_set(set_, MODELS[model]))
    data = _load(dataset, data_dir, format)
    u = int(_user_rows([user], data.user_ids, data.n_users)[0])
    i = int(_item_rows(item, data.item_ids, data.n_items))
    run = None
    if out_dir is not None:
        from learnless.runtime import RunDir

        run = RunDir.open("recommend", f"explain-{model}", out_dir, command="learnless recommend explain",
                          params={"dataset": dataset, "user": user, "item": item, "model": model,
                                  "set": list(set_ or []), "top_n": top_n}, force=force)
    est.fit(data)
    e = est.explain(u, i, N=top_n)
    item_ids = data.item_ids if data.item_ids is not None else np.arange(data.n_items)
    user_ids = data.user_ids if data.user_ids is not None else np.arange(data.n_users)
    out = e.to_dict()
    out.update(user=_plain(user_ids[u]), item=_plain(item_ids[i]), model=model,
               items=[[_plain(item_ids[a]), c, s] for a, c, s in e.items],
               users=[[_plain(user_ids[a]), c, s] for a, c, s in e.users])
    if run is not None:
        run.write_metrics(out)
    if json_output:
        sys.stdout.write(json.dumps(out) + "\n")
        return
    if quiet:
        return
    from rich.table import Table

    console.print(f"{model}: score({out['user']}, {out['item']}) = {e.score:g}  (direct: {e.direct:g}; "
                  f"co-items sum to {e.items_total:g}"
                  + (f", co-users to {e.users_total:g})" if e.users_total is not None else ")"))
    for title, rows in (("co-item", out["items"]), ("co-user", out["users"])):
        if not rows:
            continue
        table = Table(title=f"top {title}s")
        table.add_column(title)
        table.add_column("contribution", justify="right")
        table.add_column("share", justify="right")
        for a, c, s in rows:
            table.add_row(str(a), f"{c:g}", f"{100 * s:.1f} %")
        console.print(table)


def _item_rows(item: str, item_ids, n_items: int) -> int:
    if item_ids is None:
        try:
            pos = int(item)
        except ValueError:
            raise ConfigError(f"--item: expected an integer item id, got {item!r}") from None
        if not 0 <= pos < n_items:
            raise ConfigError(f"--item: unknown item id {pos}; valid ids are 0..{n_items - 1}")
        return pos
    where = {str(v): r for r, v in enumerate(item_ids)}
    if item not in where:
        raise ConfigError(f"--item: unknown item id {item!r} (not in the data's item ids)")
    return where[item]


def _plain(value):
    return value.item() if hasattr(value, "item") else value
