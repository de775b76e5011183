"""Shared by the editing tests: copies of real configurations, and independent checks of a result."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from wizard.orthanc import config_files, proxy_secret
from wizard.orthanc.options import OPTIONS

DEBIAN = Path("/etc/orthanc")
# Real configurations written by other people (copied from shared/corpus/real-configs).
CORPUS = sorted((Path(__file__).resolve().parent / "data" / "configs" / "corpus").glob("*.json"))
# Why each refused file is refused (the rest must edit cleanly).
BROKEN = {"03": "'#' comments are not accepted", "04": "Orthanc substitutes ${NAME} only",
          "15": "unexpected text after the closing '}'"}
HOST_NAMES = {"06", "11", "19", "20", "21", "24", "25"}  # modalities given by name, not IP address
SHARED_AET = {"19"}  # two modalities with one AET: accepted, with a warning
# A profile that accepts modalities given by name: the one that edits the most corpus files.
AET_ONLY = '{"network": {"remote_access": true}, "https": {"mode": "reverse-proxy", "server_name": "pacs.test"}, ' \
           '"authentication": {"users": [{"name": "admin", "role": "admin"}]}, "dicom": {"check_modality_host": false}}'
ORTHANC = shutil.which("Orthanc") or "/usr/sbin/Orthanc"
# A string (skipped, so that "//" inside one is not a comment) or a comment.
_COMMENT = re.compile(r'"(?:\\.|[^"\\])*"|(//[^\n]*|/\*.*?\*/)', re.DOTALL)


def debian_copy(folder: Path) -> Path:
    """A copy of Debian's /etc/orthanc (never edited itself), modes and owners included."""
    if not (DEBIAN / "orthanc.json").is_file():
        pytest.fail("Debian's orthanc package is not installed (scripts/test.sh installs it)")
    shutil.copytree(DEBIAN, folder, copy_function=_copy_with_owner)
    return folder


def upstream_sample(path: Path) -> Path:
    """The sample configuration that `Orthanc --config=FILE` writes."""
    if not Path(ORTHANC).is_file():
        pytest.fail("Orthanc is not installed (scripts/test.sh installs it)")
    subprocess.run([ORTHANC, f"--config={path}"], check=True, capture_output=True, timeout=30)
    return path


def _copy_with_owner(source: str, target: str) -> None:
    shutil.copy2(source, target)
    stat = Path(source).stat()
    shutil.chown(target, stat.st_uid, stat.st_gid)


def comments(text: str) -> Counter:
    return Counter(m.group(1) for m in _COMMENT.finditer(text) if m.group(1))


def texts(folder: Path) -> dict[str, str]:
    """The configuration files of a folder (what Orthanc reads), by name."""
    return {p.name: p.read_text("utf-8-sig") for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".json" and p.is_file()}


def lost_comments(before: dict[str, str], after: dict[str, str]) -> dict[str, Counter]:
    """Comments of each file before that the same file no longer has."""
    lost = {name: comments(text) - comments(after.get(name, "")) for name, text in before.items()}
    return {name: missing for name, missing in lost.items() if missing}


def outside_hardening(values: dict) -> dict:
    """The top-level options orthanc-harden never writes."""
    return {key: value for key, value in values.items() if key not in OPTIONS and key != proxy_secret.OPTION}


def values(path: Path) -> dict:
    return config_files.read(path).values


def holders(path: Path) -> dict[str, str]:
    """Which file holds each top-level key (reading refuses a key held twice)."""
    return {key: file.name for key, file in config_files.read(path).holders.items()}
