"""Every corpus configuration that orthanc-harden edits still starts the real Orthanc as before.

The corpus holds configurations written for other machines: some reference Lua scripts of their
own deployment or options of a newer Orthanc, so the unedited file may not start here either.
The edit must never change that: if the original starts, the edited one starts and refuses
anonymous requests; if the original stops, the edited one stops for the same reason.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.edit_support import AET_ONLY, BROKEN, CORPUS
from wizard import cli
from wizard.orthanc import config_files, merge

from .http import request
from .orthanc_server import OrthancStartError, free_port, running_orthanc

# Why an unedited corpus file may not start here: its deployment's own Lua scripts or TLS key
# are not on this machine, its AET comes from an environment variable that is not set, or it
# sets DeidentifyLogsDicomVersion to a standard newer than 1.10.1 knows.
ENVIRONMENT = ("does not point to a regular file", "Inexistent file", "(AET) cannot be empty",
               "Unknown specific version of the DICOM standard")
_FATAL = re.compile(r"\] Uncaught exception, stopping now: (.*)$|OrthancException\.cpp:\d+\] (.*)$", re.MULTILINE)
_RUN_DIR = re.compile(r"/orthanc-[^/]+/config/")
EDITABLE = [p for p in CORPUS if p.name[:2] not in BROKEN]


def with_ports(folder: Path, ports: dict[str, int]) -> None:
    """Set the ports where the file holds them (not in a comment that names them), else add them."""
    config = config_files.read(folder)
    for name, editor in merge.write(config, ports).items():
        (folder / name).write_text(editor.result(), "utf-8")


def outcome(config: Path, tmp_path: Path) -> str:
    """'401' (anonymous status) when Orthanc starts, else the exception it stopped with."""
    try:
        with running_orthanc(config, tmp_path, graceful=False) as orthanc:
            return str(request(orthanc.url, path="/system")[0])
    except OrthancStartError as error:
        # The most precise message: OrthancException's, else the one Orthanc stopped with.
        found = {kind: text for match in _FATAL.findall(str(error)) for kind, text in enumerate(match) if text}
        return _RUN_DIR.sub("/config/", found.get(1) or found.get(0) or str(error))


@pytest.mark.parametrize("source", EDITABLE, ids=[p.name[:2] for p in EDITABLE])
def test_the_edit_never_changes_whether_orthanc_starts(tmp_path, source):
    http, dicom = free_port(), free_port()
    original = tmp_path / "original"
    original.mkdir()
    shutil.copyfile(source, original / "orthanc.json")
    edited = tmp_path / "edited"
    shutil.copytree(original, edited)
    with_ports(original, {"HttpPort": http, "DicomPort": dicom})

    profile = json.loads(AET_ONLY)
    profile["network"]["http_port"], profile["dicom"]["port"] = http, dicom
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    assert cli.main(["apply", "--preset", str(tmp_path / "profile.json"), "--config", str(edited)]) == 0

    before, after = outcome(original, tmp_path), outcome(edited, tmp_path)
    if before.isdigit():
        assert after == "401", f"the original started; the edited one: {after}"
    else:
        assert any(reason in before for reason in ENVIRONMENT), f"the original stopped for another reason: {before}"
        assert after == before
