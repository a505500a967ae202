"""Outputs are written to a temporary name and renamed, so a reader never sees half a file."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from model.errors import InputError


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write each named text or PNG into folder, atomically; return the paths."""
    written = []
    for name, content in files.items():
        path = folder / name
        (write_bytes if isinstance(content, bytes) else write_text)(path, content)
        written.append(path)
    return written


def new_run_folder(out: Path | None, kind: str) -> Path:
    """A folder that did not exist before: never overwrite what the user already has.

    With --out DIR: DIR itself if it does not exist or is empty, otherwise a fresh
    timestamped folder inside it.
    """
    base = Path(out) if out else Path("runs")
    if base.exists() and not base.is_dir():
        raise InputError(str(base), None, "--out", "exists and is not a folder")
    if out and (not base.exists() or not any(base.iterdir())):
        base.mkdir(parents=True, exist_ok=True)
        return base
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        candidate = base / (f"{kind}-{stamp}" + (f"-{attempt}" if attempt else ""))
        try:
            candidate.mkdir(parents=True)
            return candidate
        except FileExistsError:
            continue
    raise InputError(str(base), None, "--out", "could not create a new run folder")
