"""Download a registered dataset into a data directory: atomic
(pooch writes a temporary file and moves it into
place only once complete) and verified (pooch checks the sha256
before the move; a mismatch leaves nothing)."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from learnless.data.integrity import MISMATCH, OK, check_file
from learnless.data.registry import Dataset, RemoteFile
from learnless.errors import ChecksumError, DataError


def file_url_downloader(url: str, output_file, pooch_obj=None, check_only: bool = False):
    """A pooch downloader for file:// addresses (mirrors on a shared drive, tests)."""
    source = Path(unquote(urlparse(url).path))
    if check_only:
        return source.exists()
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such file")
    if hasattr(output_file, "write"):
        with open(source, "rb") as fh:
            shutil.copyfileobj(fh, output_file)
    else:
        shutil.copyfile(source, output_file)
    return None


def _downloader(url: str, downloader):
    if downloader is not None:
        return downloader
    return file_url_downloader if url.startswith("file://") else None


def _retrieve(url: str, sha256: str | None, target: Path, downloader=None, progress: bool = True) -> Path:
    import pooch

    target.parent.mkdir(parents=True, exist_ok=True)
    down = _downloader(url, downloader)
    if down is None:
        down = pooch.HTTPDownloader(progressbar=progress and os.environ.get("LEARNLESS_PROGRESS", "1") != "0")
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")  # pooch's per-file INFO lines would clutter the CLI; we report ourselves
    try:
        return Path(pooch.retrieve(url, known_hash=f"sha256:{sha256}" if sha256 else None, fname=target.name,
                                   path=target.parent, downloader=down, progressbar=False))
    except ValueError as exc:  # pooch's hash mismatch: the temporary file has already been removed
        raise ChecksumError(f"{url}: downloaded file does not match its registered checksum ({exc})") from exc
    except OSError as exc:
        raise DataError(f"{url}: download failed ({exc})") from exc
    except Exception as exc:  # requests' HTTP/connection errors
        raise DataError(f"{url}: download failed ({type(exc).__name__}: {exc})") from exc
    finally:
        logger.setLevel(level)


def _extract_member(archive: Path, member: str, target: Path) -> None:
    """Copy one archive member to `target` through a temporary file in the same folder, then rename."""
    tmp = target.with_name(f".{target.name}.part")
    try:
        with zipfile.ZipFile(archive) as z, z.open(member) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(tmp, target)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise DataError(f"{archive}: cannot extract {member!r} ({exc})") from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def fetch_file(ds: Dataset, root: Path, f: RemoteFile, downloader=None, force: bool = False) -> str:
    """Make `root/f.path` present and correct. Returns 'present', 'downloaded' or 'replaced'."""
    target = Path(root) / f.path
    check = check_file(ds.name, root, f)
    if check.status not in ("missing", MISMATCH) and not force:
        return "present"
    if not f.url:
        raise DataError(f"{target}: dataset {ds.name!r} has no download address for this file")
    if target.exists():
        target.unlink()  # a corrupt copy: pooch would otherwise keep it
    if f.member is None:
        _retrieve(f.url, f.sha256, target, downloader)
    else:
        archive = Path(root) / "_archives" / Path(urlparse(f.url).path).name
        _retrieve(f.url, None, archive, downloader)
        target.parent.mkdir(parents=True, exist_ok=True)
        _extract_member(archive, f.member, target)
        after = check_file(ds.name, root, f)
        if after.status == MISMATCH:
            target.unlink()
            raise ChecksumError(after.message())
    return "replaced" if check.status == MISMATCH else "downloaded"


def fetch_dataset(ds: Dataset, root: Path, downloader=None, force: bool = False) -> dict[str, str]:
    """Fetch every file of `ds` into `root`; returns {relative path: what happened}. A failed fetch leaves
    no directory behind that it created and left empty."""
    root = Path(root)
    created = _absent_dirs(root, ds)
    try:
        return _fetch_into(ds, root, downloader, force)
    except BaseException:
        for d in sorted(created, key=lambda p: len(p.parts), reverse=True):  # deepest first
            try:
                d.rmdir()  # only if empty: what was fetched before the failure stays
            except OSError:
                pass
        raise


def _absent_dirs(root: Path, ds: Dataset) -> list[Path]:
    """Directories a fetch of `ds` into `root` may create that do not exist yet."""
    wanted = {root, root / "_archives"} | {(root / f.path).parent for f in ds.files}
    out = set()
    for d in wanted:
        for p in (d, *d.parents):
            if p.exists():
                break
            out.add(p)
    return list(out)


def _fetch_into(ds: Dataset, root: Path, downloader, force: bool) -> dict[str, str]:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"{root}: cannot create the data directory ({exc}); pass --data-dir") from exc
    if not os.access(root, os.W_OK):
        raise DataError(f"{root}: data directory is not writable; pass --data-dir to fetch elsewhere")
    done = {f.path: fetch_file(ds, root, f, downloader=downloader, force=force) for f in ds.files}
    for f in ds.files:  # belt and braces: what is on disk now is what the registry pins
        check = check_file(ds.name, root, f)
        if check.status not in (OK, "unpinned"):
            raise ChecksumError(check.message())
    return done
