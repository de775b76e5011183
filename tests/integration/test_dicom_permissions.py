"""Each modality of the profile may echo, store and find exactly as its `allow` list says.

One Orthanc with modalities of different permissions on 127.0.0.1, DicomCheckCalledAet and
DicomCheckModalityHost on, every DicomAlwaysAllow* off (the defaults), and a called AET that
is not Orthanc's default, so that calling "ORTHANC" is a wrong called AET. Stores are proven
with the REST API (an admin counts the instances), never by DCMTK's word alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import dicom
from .dicom import make_dicom_file
from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import User, apply_profile, send, users_of, with_ports

CALLED_AET = "HARDENPACS"
MODALITIES = [
    {"name": "storeonly", "aet": "STOREONLY", "host": "127.0.0.1", "port": 104, "allow": ["store"]},
    {"name": "echoonly", "aet": "ECHOONLY", "host": "127.0.0.1", "port": 104, "allow": ["echo"]},
    {"name": "finder", "aet": "FINDER", "host": "127.0.0.1", "port": 104, "allow": ["echo", "find"]},
    {"name": "all", "aet": "ALLSCU", "host": "127.0.0.1", "port": 104, "allow": ["echo", "find", "move", "store"]},
    {"name": "nothing", "aet": "NOTHING", "host": "127.0.0.1", "port": 104, "allow": []},
    # Registered on another host: with check_modality_host it is refused from 127.0.0.1.
    {"name": "elsewhere", "aet": "ELSEWHERE", "host": "127.0.0.2", "port": 104,
     "allow": ["echo", "find", "store"]},
]
LOCAL = [m for m in MODALITIES if m["host"] == "127.0.0.1"]
PROFILE = {
    "network": {"remote_access": False},
    "authentication": {"enabled": True, "users": [{"name": "admin", "role": "admin"}]},
    "dicom": {"enabled": True, "aet": CALLED_AET, "check_called_aet": True, "check_modality_host": True,
              "modalities": MODALITIES},
}


@dataclass
class DicomServer:
    orthanc: OrthancProcess
    admin: User
    folder: Path
    files: int = 0

    @property
    def port(self) -> int:
        return self.orthanc.dicom_port

    def instance_count(self) -> int:
        response = send(self.orthanc.url, "GET", "/instances", **self.admin.credentials)
        assert response.status == 200, response
        return len(json.loads(response.body))

    def fresh_file(self) -> Path:
        self.files += 1
        return make_dicom_file(self.folder / f"store-{self.files}.dcm", patient_id=f"DICOM{self.files}")

    def store(self, calling_aet: str, called_aet: str = CALLED_AET) -> tuple[dicom.DicomResult, int]:
        """C-STORE a new instance; returns DCMTK's result and how many instances Orthanc gained."""
        before = self.instance_count()
        result = dicom.store(self.port, calling_aet, called_aet, self.fresh_file())
        return result, self.instance_count() - before


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[DicomServer]:
    folder = tmp_path_factory.mktemp("dicom-permissions")
    profile = with_ports(PROFILE, free_port(), free_port())
    out_dir = apply_profile(profile, folder)
    (admin,) = users_of(profile, out_dir)
    with running_orthanc(out_dir, folder) as orthanc:
        yield DicomServer(orthanc, admin, folder)


def ids(modalities):
    return [m["aet"] for m in modalities]


@pytest.mark.parametrize("modality", LOCAL, ids=ids(LOCAL))
def test_modality_can_echo_only_if_allowed(server, modality):
    result = dicom.echo(server.port, modality["aet"], CALLED_AET)
    assert result.ok == ("echo" in modality["allow"]), result.output
    if not result.ok:
        # Known AET: the association is accepted, then Orthanc aborts the echo.
        assert "Association Accepted" in result.output and "Echo Failed" in result.output, result.output


@pytest.mark.parametrize("modality", LOCAL, ids=ids(LOCAL))
def test_modality_can_store_only_if_allowed(server, modality):
    result, stored = server.store(modality["aet"])
    allowed = "store" in modality["allow"]
    assert stored == (1 if allowed else 0), result.output
    assert result.ok == allowed, result.output


@pytest.mark.parametrize("modality", LOCAL, ids=ids(LOCAL))
def test_modality_can_find_only_if_allowed(server, modality):
    result = dicom.find(server.port, modality["aet"], CALLED_AET)
    assert result.ok == ("find" in modality["allow"]), result.output
    if not result.ok:
        assert "Find Failed" in result.output, result.output


def test_modality_aet_is_matched_whatever_its_case(server):
    # Orthanc compares AETs case-insensitively while StrictAetComparison is false (its default).
    assert dicom.echo(server.port, "allscu", CALLED_AET).ok


def test_unknown_calling_aet_cannot_echo(server):
    result = dicom.echo(server.port, "STRANGER", CALLED_AET)
    assert not result.ok and "Calling AE Title Not Recognized" in result.output, result.output


def test_unknown_calling_aet_cannot_store(server):
    result, stored = server.store("STRANGER")
    assert stored == 0 and not result.ok, result.output
    assert "Calling AE Title Not Recognized" in result.output, result.output


def test_unknown_calling_aet_cannot_find(server):
    result = dicom.find(server.port, "STRANGER", CALLED_AET)
    assert not result.ok and "Calling AE Title Not Recognized" in result.output, result.output


@pytest.mark.parametrize("called_aet", ["ORTHANC", "NOTORTHANC"])
def test_wrong_called_aet_is_refused_even_to_a_fully_allowed_modality(server, called_aet):
    echo = dicom.echo(server.port, "ALLSCU", called_aet)
    assert not echo.ok and "Called AE Title Not Recognized" in echo.output, echo.output
    store, stored = server.store("ALLSCU", called_aet)
    assert stored == 0 and not store.ok, store.output
    assert "Called AE Title Not Recognized" in store.output, store.output


def test_modality_registered_on_another_host_is_refused_from_loopback(server):
    echo = dicom.echo(server.port, "ELSEWHERE", CALLED_AET)
    assert not echo.ok and "Calling AE Title Not Recognized" in echo.output, echo.output
    # Refused because of its host, not because Orthanc does not know it.
    assert 'Forbidding access from AET "ELSEWHERE"' in server.orthanc.log_text()
    store, stored = server.store("ELSEWHERE")
    assert stored == 0 and not store.ok, store.output
    find = dicom.find(server.port, "ELSEWHERE", CALLED_AET)
    assert not find.ok, find.output

