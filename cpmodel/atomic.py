"""Outputs never overwrite what the user had, and a reader never sees half a file.

Files are written to a temporary name and renamed (or linked, when the name must be new);
they get the permissions the user's umask gives (0644 by default), not the temporary file's
0600. A run folder is claimed exclusively before any work starts, so two runs given the same
--out cannot write into each other's folder; a run that fails removes what it created (or,
when what it made can be resumed, marks the folder failed).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

from cpmodel.model.errors import InputError, display_path

CLAIM = ".cpmodel-run"        # present in every run folder: the claim that makes it exclusive
FAILED = "FAILED.json"        # written into a kept folder whose run did not finish


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(path: Path, data: bytes) -> str:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def write_bytes(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write atomically. With replace=False an existing file is never touched (exit 2)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path, data)
    try:
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)      # fails if the name exists: no window to overwrite
            except FileExistsError:
                raise _exists(path) from None
            except OSError as error:
                if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    raise
                if path.exists():              # a file system without hard links
                    raise _exists(path) from None
                os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_text(path: Path, text: str, *, replace: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), replace=replace)


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write each named text or PNG into folder, atomically; return the paths."""
    written = []
    for name, content in files.items():
        path = folder / name
        (write_bytes if isinstance(content, bytes) else write_text)(path, content)
        written.append(path)
    return written


def _exists(path: Path) -> InputError:
    return InputError(display_path(path), None, "", "already exists; nothing is overwritten "
                      "(choose a new name, or add --force to replace it)")


def check_new_file(path: Path | None, force: bool | None, option: str, suffixes: tuple[str, ...] = (),
                   folder_must_exist: bool = False) -> Path | None:
    """Refuse, before any work, an output file that exists (unless --force), is a link (even a
    dangling one: writing would replace what it points to), has the wrong ending, is in a folder
    that does not exist (when folder_must_exist) or cannot be written. force None: the command has
    no --force, so the message does not offer one."""
    if path is None:
        return None
    path = Path(path)
    shown = display_path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(shown, None, option, f"the file name must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise InputError(shown, None, option, "is a folder; give a file name")
    if (path.exists() or path.is_symlink()) and not force:
        advice = "choose a new file name" if force is None else "choose a new name, or add --force to replace it"
        raise InputError(shown, None, option, f"already exists; nothing is overwritten ({advice})")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise InputError(shown, None, option, f"{display_path(parent)} is a file, not a folder")
    if not parent.exists() and folder_must_exist:
        raise InputError(shown, None, option, f"folder {display_path(parent)} does not exist")
    existing = next((p for p in [parent, *parent.parents] if p.exists()), Path("."))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(shown, None, option, f"cannot write in {display_path(existing)} (permission denied)")
    return path


def new_run_folder(out: Path | None, kind: str, default_base: Path | str = "runs") -> Path:
    """Claim a folder that no other run is using: never write into what the user already has.

    With --out DIR: DIR itself, if it does not exist or is an empty folder; anything else is
    refused (exit 2) before work starts. Without: a new timestamped folder under default_base.
    """
    if out is not None:
        return _claim(Path(out), "--out")
    base = Path(default_base)
    if base.exists() and not base.is_dir():
        raise InputError(display_path(base), None, "--out", "exists and is not a folder")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        candidate = base / (f"{kind}-{stamp}" + (f"-{attempt}" if attempt else ""))
        if candidate.exists():
            continue
        try:
            return _claim(candidate, "--out")
        except InputError:
            if candidate.exists():
                continue                      # another run took it a moment ago
            raise
    raise InputError(display_path(base), None, "--out", "could not create a new run folder")


def _claim(folder: Path, option: str) -> Path:
    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(shown, None, option, "exists and is not a folder; give a new folder name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if any(name != CLAIM for name in os.listdir(folder)):
            raise InputError(shown, None, option, "already exists and is not empty; a run never writes "
                             "into another folder's files (give a new folder name)")
        descriptor = os.open(folder / CLAIM, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError:
        raise InputError(shown, None, option, "is in use by another run (or was used by one); "
                         "give a new folder name") from None
    except NotADirectoryError:
        raise InputError(shown, None, option, "a part of this path is a file, not a folder") from None
    except OSError as error:
        raise InputError(shown, None, option, f"cannot create the run folder ({error.strerror})") from None
    with os.fdopen(descriptor, "w") as stream:
        stream.write(json.dumps({"pid": os.getpid(), "started": dt.datetime.now().isoformat(timespec="seconds")}))
    return folder


@contextlib.contextmanager
def run_folder(out: Path | None, kind: str, *, default_base: Path | str = "runs", keep_on_failure=None):
    """A claimed run folder; if the run fails it is removed, or kept and marked failed when
    keep_on_failure(folder) says what it holds is worth keeping (a resumable search)."""
    existed = out is not None and Path(out).is_dir()
    folder = new_run_folder(out, kind, default_base)
    try:
        yield folder
    except BaseException as error:
        discard_or_mark(folder, existed, error, keep_on_failure)
        raise


def discard_or_mark(folder: Path, existed: bool, error: BaseException, keep_on_failure=None) -> None:
    try:
        if keep_on_failure is not None and keep_on_failure(folder):
            reason = "interrupted" if isinstance(error, KeyboardInterrupt) else type(error).__name__
            write_text(folder / FAILED, json.dumps({"failed": reason, "message": str(error)[:500]}) + "\n")
        elif existed:                      # an empty folder the user made: empty it again
            for item in folder.iterdir():
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        else:
            shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass                               # never hide the run's own error behind a clean-up error
