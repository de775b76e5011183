"""The Orthanc installed on this host, if any: its release, as `Orthanc --version` prints it.

Only a warning depends on it (never a written file), so a run on a machine without Orthanc,
or with another release, writes the same bytes.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from wizard.versions import parse

# The first line is the program as it was called, then the release: "/usr/sbin/Orthanc 1.10.1".
_RELEASE = re.compile(r"\A\S+ (\d+\.\d+\.\d+)\s*$", re.MULTILINE)


def release(binary: str = "Orthanc") -> str | None:
    """The release of the Orthanc found on PATH, or None (none, a mainline build, no answer)."""
    path = shutil.which(binary)
    return _release_of(path) if path else None


@functools.lru_cache(maxsize=8)
def _release_of(path: str) -> str | None:
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = _RELEASE.search(done.stdout)
    return found.group(1) if found else None


def mismatch(target: str, installed: str | None) -> str | None:
    """A warning when the configuration targets another release than the one installed here."""
    if installed is None or parse(installed) == parse(target):
        return None
    use = f"set orthanc_version (--orthanc-version {installed}) if this host is where it runs"
    if parse(installed) < parse(target):
        return (f"this host runs Orthanc {installed}, older than the target {target}: it ignores the "
                f"options of newer releases without a word, so they would not protect it; {use}, or upgrade")
    return (f"this host runs Orthanc {installed}, newer than the target {target}: the options of releases "
            f"after {target} are left out; {use}")
