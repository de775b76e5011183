"""Safe writes: atomic replacement that keeps the old file whole until the new one is on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Write `data` to `path`: temporary file in the same folder, fsync, rename, fsync folder.

    The temporary file gets its final owner and mode before any byte is written, so an
    interruption at any point leaves the old file whole and nobody else a readable copy. Its
    name ends in `.tmp`, never `.json`, because Orthanc reads every `*.json` of a folder.
    A symbolic link is kept: the file it points to is the one replaced (configuration
    management often links /etc/orthanc/*.json to files kept elsewhere).
    """
    path = Path(os.path.realpath(path))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if owner is not None and owner != (os.geteuid(), os.getegid()):
            os.fchown(fd, *owner)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current(path: Path) -> tuple[bytes, int] | None:
    """The bytes and permission bits of a file, or None when it does not exist."""
    try:
        return path.read_bytes(), path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None
