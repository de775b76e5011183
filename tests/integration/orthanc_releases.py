"""The real Orthanc releases the integration tests run: this host's (Debian 12's 1.10.1) and the
newer Debian builds in the chroots that scripts/releases.sh makes (trixie's 1.12.7, sid's 1.13.0).

A chroot shares the host's loopback, so a test talks to its Orthanc on 127.0.0.1 as to the
host's; only the paths of its configuration are paths inside the chroot.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_RELEASES_DIR = "/var/cache/orthanc-harden/releases"
STAMP = ".orthanc-harden-stamp"
_STRINGS = re.compile(r'"((?:\\.|[^"\\])*)"')


class ReleaseMissing(RuntimeError):
    """A release's chroot is absent, half built, or holds another release than the tests expect."""


@dataclass(frozen=True)
class Release:
    """An Orthanc release: the host's binary (suite None) or the one in a Debian suite's chroot."""

    version: str
    suite: str | None = None

    def __str__(self) -> str:
        return self.version

    @property
    def chrooted(self) -> bool:
        return self.suite is not None

    def root(self) -> Path:
        """The chroot, checked: built to the end (stamped) and holding this release."""
        if self.suite is None:
            raise ValueError("the host's Orthanc has no chroot")
        return _checked_root(self.suite, self.version)

    def command(self, config: Path) -> list[str]:
        """The command that runs this Orthanc on config (a host path; inside the root if chrooted)."""
        if self.suite is None:
            return [os.environ.get("ORTHANC_BINARY", "/usr/sbin/Orthanc"), str(config)]
        root = self.root()
        return ["chroot", str(root), "Orthanc", str(inside(root, config))]

    def binary_command(self, *args: str) -> list[str]:
        """Orthanc with other arguments (--version, --config=FILE inside the root)."""
        if self.suite is None:
            return [os.environ.get("ORTHANC_BINARY", "/usr/sbin/Orthanc"), *args]
        return ["chroot", str(self.root()), "Orthanc", *args]


HOST = Release("1.10.1")
RELEASES = (HOST, Release("1.12.7", "trixie"), Release("1.13.0", "sid"))


def releases_dir() -> Path:
    return Path(os.environ.get("ORTHANC_HARDEN_RELEASES", DEFAULT_RELEASES_DIR))


@cache
def _checked_root(suite: str, version: str) -> Path:
    root = releases_dir() / suite
    stamp = root / STAMP
    if not stamp.is_file():
        raise ReleaseMissing(f"{root}: no finished chroot of Debian {suite} (its stamp {STAMP} is missing): "
                             "run `bash scripts/releases.sh` as root (scripts/test.sh does)")
    found = re.search(r"^orthanc (\d+\.\d+\.\d+)", stamp.read_text(), re.MULTILINE)
    if found is None or found[1] != version:
        held = found[1] if found else "no orthanc"
        raise ReleaseMissing(f"{root}: the {suite} chroot holds {held}, the tests are written for Orthanc "
                             f"{version}: update RELEASES in tests/integration/orthanc_releases.py")
    return root


def inside(root: Path, path: Path) -> Path:
    """The path a process chrooted in root sees for the host path (which lies inside root)."""
    return Path("/") / path.resolve().relative_to(root.resolve())


def move_host_paths_inside(config: Path, root: Path, files: Path) -> None:
    """Copy every file or folder that config's *.json name by an absolute path existing on the host
    but not in the chroot (certificates made by a test, ...) into files (inside root), and point
    the configuration at the copy. Paths the chroot has itself (its plugins) are left alone."""
    moved: dict[str, str] = {}
    for path in sorted(p for p in config.iterdir() if p.suffix.lower() == ".json" and p.is_file()):
        text = path.read_text("utf-8-sig")
        for value in {_string(literal) for literal in _STRINGS.findall(text)}:
            if value is not None and value not in moved and _host_only(value, root):
                moved[value] = str(inside(root, _copy(Path(value), files / str(len(moved)))))
        changed = _STRINGS.sub(lambda m: _moved_literal(m, moved), text)
        if changed != text:
            path.write_text(changed, "utf-8")


def _host_only(value: str, root: Path) -> bool:
    if not value.startswith("/") or "\n" in value or len(value) > 4096:
        return False
    host = Path(value)
    return host.exists() and not (root / value.lstrip("/")).exists()


def _copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    target = folder / source.name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return target


def _string(literal: str) -> str | None:
    try:
        return json.loads(f'"{literal}"')
    except json.JSONDecodeError:  # a quote inside a comment: not a value
        return None


def _moved_literal(match: re.Match, moved: dict[str, str]) -> str:
    value = _string(match[1])
    return json.dumps(moved[value]) if value in moved else match[0]
