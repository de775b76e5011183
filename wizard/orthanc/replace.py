"""In-place replacement of configuration files: timestamped backup, same owner, atomic rename,
one writer at a time per folder."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.orthanc.files import write_atomic

BACKUP = ".orthanc-harden-{stamp}.bak"  # never *.json: Orthanc would merge a backup and stop
LOCK_WAIT = 15.0  # seconds to wait for another run writing the same folder (a write takes well under 1 s)


@contextmanager
def locked(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Be the only orthanc-harden writing `folder` (created if missing): another one waits its turn,
    and gives up after `wait` seconds with a message. The lock is flock on the folder itself: no
    lock file to leave behind, nothing Orthanc would read, and the kernel releases it when the
    holder dies, even by SIGKILL. Where the file system has no such locks, runs are not kept
    apart, and the comparison of the files before writing still refuses to overwrite."""
    try:
        folder.mkdir(mode=0o750, parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise BadInput(Problem(str(error.filename or folder), "$", f"cannot be written ({error.strerror})")) from None
    try:
        _wait_for(fd, folder, LOCK_WAIT if wait is None else wait)
        yield
    finally:
        os.close(fd)  # releases the lock


def _wait_for(fd: int, folder: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BadInput(Problem(str(folder), "$", f"another orthanc-harden run has been writing this folder "
                                                         f"for {wait:.0f} s: nothing was written; run again once it "
                                                         "is done")) from None
            time.sleep(0.02)
        except OSError:
            return  # no flock here (some network file systems)


def stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%S")


def backup_path(path: Path, when: str) -> Path:
    """A free name beside `path` that Orthanc will not read."""
    candidate = path.with_name(path.name + BACKUP.format(stamp=when))
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(path.name + BACKUP.format(stamp=f"{when}-{number}"))
    return candidate


def write_with_backups(items: list[tuple[Path, bytes, int, tuple[int, int] | None]]) -> list[Path]:
    """Replace each file, first keeping a copy of the old one (same owner, no access for others)."""
    when, backups = stamp(), []
    try:
        for path, data, mode, owner in items:
            if path.exists():
                old = path.stat()
                backup = backup_path(path, when)
                write_atomic(backup, path.read_bytes(), old.st_mode & 0o770, (old.st_uid, old.st_gid))
                backups.append(backup)
            write_atomic(path, data, mode, owner)
    except OSError as error:
        raise BadInput(Problem(str(error.filename or items[0][0]), "$",
                               f"cannot be written ({error.strerror})")) from None
    return backups

