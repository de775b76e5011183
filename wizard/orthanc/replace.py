"""In-place replacement of configuration files: timestamped backup, same owner, atomic rename."""

from __future__ import annotations

import time
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.orthanc.files import write_atomic

BACKUP = ".orthanc-harden-{stamp}.bak"  # never *.json: Orthanc would merge a backup and stop


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

