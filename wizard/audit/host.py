"""What the audit learns from this host: the Orthanc release judged, and whether it is Debian's package."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from wizard import versions
from wizard.errors import BadInput, Problem
from wizard.orthanc import installed

_RELEASE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


@dataclass(frozen=True)
class Target:
    """The release judged and where it comes from ("--orthanc-version", "installed", or None)."""

    version: versions.Version | None
    source: str | None
    debian_package: bool | None  # None: the host's Orthanc is not the one judged, or there is none


def target(given: str | None, binary: str = "Orthanc") -> Target:
    """--orthanc-version, else the Orthanc on PATH. Host facts (Debian's package) count only when
    the release judged is the one installed here."""
    if given is not None and not _RELEASE.fullmatch(given):
        raise BadInput(Problem("--orthanc-version", "$", f"{given!r} is not a release such as 1.12.11"))
    here = installed.release(binary)
    if given is None:
        if here is None:
            return Target(None, None, None)
        return Target(versions.parse(here), "installed", debian_package(binary))
    same = here is not None and versions.parse(here) == versions.parse(given)
    return Target(versions.parse(given), "--orthanc-version", debian_package(binary) if same else None)


def debian_package(binary: str = "Orthanc") -> bool | None:
    """Whether the Orthanc on PATH belongs to Debian's `orthanc` package (`dpkg -S` owns it)."""
    path = shutil.which(binary)
    if path is None:
        return None
    dpkg = shutil.which("dpkg")
    if dpkg is None:
        return False
    for candidate in dict.fromkeys((path, os.path.realpath(path))):
        try:
            done = subprocess.run([dpkg, "-S", candidate], capture_output=True, text=True, timeout=10,
                                  stdin=subprocess.DEVNULL, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode == 0 and done.stdout.split(":", 1)[0] == "orthanc":
            return True
    return False


def of_image(given: str | None, deployment) -> Target:
    """A compose service's release: --orthanc-version, else the one its image ships. The image is
    built by the Orthanc team, never Debian's package; this host's Orthanc is not it."""
    if given is not None:
        return Target(target(given).version, "--orthanc-version", False)
    from wizard.sources.compose.source import shipped
    release, _ = shipped(deployment)
    return Target(versions.parse(release), "image", False) if release else Target(None, None, False)
