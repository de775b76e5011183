"""The harness itself works: hand-written configurations, checked with real HTTP and DICOM clients."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import dicom
from .http import request
from .orthanc_server import OrthancProcess, OrthancStartError, ephemeral_range, free_port, running_orthanc

ALICE = {"user": "alice", "password": "pw-1"}
GET_ONLY_FILTER = """
function IncomingHttpRequestFilter(method, uri, ip, username, httpHeaders)
  return method == "GET"
end
"""
NO_PERMISSION = {"AllowEcho": False, "AllowStore": False, "AllowFind": False, "AllowFindWorklist": False,
                 "AllowGet": False, "AllowMove": False, "AllowStorageCommitment": False}
LOCKED_DICOM = {
    "DicomAlwaysAllowEcho": False, "DicomAlwaysAllowStore": False, "DicomAlwaysAllowFind": False,
    "DicomAlwaysAllowFindWorklist": False, "DicomAlwaysAllowGet": False, "DicomAlwaysAllowMove": False,
    "DicomCheckCalledAet": True,
    "DicomModalities": {
        "good": {"AET": "GOODSCU", "Host": "127.0.0.1", "Port": 104,
                 **NO_PERMISSION, "AllowEcho": True, "AllowStore": True},
        "finder": {"AET": "FINDSCU", "Host": "127.0.0.1", "Port": 104, **NO_PERMISSION, "AllowFind": True},
    },
}


def write_config(folder: Path, settings: dict, files: dict[str, str] | None = None) -> Path:
    """A configuration folder: orthanc.json with free ports plus the given files."""
    folder.mkdir()
    ports = {"HttpPort": free_port(), "DicomPort": free_port()}
    (folder / "orthanc.json").write_text(json.dumps({**ports, **settings}, indent=2))
    for name, text in (files or {}).items():
        (folder / name).write_text(text)
    return folder


def test_anonymous_request_is_refused_and_registered_user_is_served(tmp_path, start_orthanc):
    config = write_config(tmp_path / "auth", {
        "RemoteAccessAllowed": False, "AuthenticationEnabled": True, "RegisteredUsers": {"alice": "pw-1"}})
    orthanc = start_orthanc(config)
    assert request(orthanc.url, path="/system")[0] == 401
    assert request(orthanc.url, path="/system", user="alice", password="wrong")[0] == 401
    status, body = request(orthanc.url, path="/system", **ALICE)
    assert status == 200 and json.loads(body)["Version"] == "1.10.1"


def test_lua_filter_lets_alice_read_but_not_delete(tmp_path, start_orthanc):
    config = write_config(tmp_path / "lua", {
        "AuthenticationEnabled": True, "RegisteredUsers": {"alice": "pw-1"},
        "LuaScripts": ["get-only.lua"]}, {"get-only.lua": GET_ONLY_FILTER})
    orthanc = start_orthanc(config)
    assert request(orthanc.url, path="/system", **ALICE)[0] == 200
    assert request(orthanc.url, "DELETE", "/patients/x", **ALICE)[0] == 403


def test_orthanc_that_cannot_start_raises_with_the_end_of_its_log(tmp_path):
    config = write_config(tmp_path / "broken", {"LuaScripts": ["missing.lua"]})
    with pytest.raises(OrthancStartError, match="exited with status") as error:
        with running_orthanc(config, tmp_path):
            pass
    assert "missing.lua" in str(error.value)


def test_orthanc_is_stopped_when_the_block_ends(tmp_path):
    with running_orthanc(write_config(tmp_path / "plain", {}), tmp_path) as orthanc:
        assert request(orthanc.url, path="/system")[0] == 200
    assert orthanc.process.poll() is not None


@pytest.fixture(scope="module")
def locked_orthanc(tmp_path_factory) -> Iterator[OrthancProcess]:
    """One Orthanc refusing every unlisted AET, shared by the DICOM tests below."""
    tmp_path = tmp_path_factory.mktemp("locked")
    with running_orthanc(write_config(tmp_path / "config", LOCKED_DICOM), tmp_path) as orthanc:
        yield orthanc


def test_listed_modality_can_echo(locked_orthanc):
    result = dicom.echo(locked_orthanc.dicom_port, "GOODSCU")
    assert result.ok, result.output


def test_listed_modality_can_store_and_the_instance_is_kept(locked_orthanc, dicom_file):
    result = dicom.store(locked_orthanc.dicom_port, "GOODSCU", "ORTHANC", dicom_file)
    assert result.ok, result.output
    status, body = request(locked_orthanc.url, path="/instances")
    assert status == 200 and len(json.loads(body)) == 1


def test_listed_modality_without_find_permission_cannot_find(locked_orthanc):
    result = dicom.find(locked_orthanc.dicom_port, "GOODSCU")
    assert not result.ok and "Find Failed" in result.output, result.output


def test_listed_modality_with_find_permission_can_find(locked_orthanc):
    result = dicom.find(locked_orthanc.dicom_port, "FINDSCU")
    assert result.ok, result.output


def test_unknown_calling_aet_cannot_echo(locked_orthanc):
    result = dicom.echo(locked_orthanc.dicom_port, "STRANGER")
    assert not result.ok and "Calling AE Title Not Recognized" in result.output, result.output


def test_listed_modality_calling_the_wrong_aet_is_rejected(locked_orthanc):
    result = dicom.echo(locked_orthanc.dicom_port, "GOODSCU", called_aet="NOTORTHANC")
    assert not result.ok and "Called AE Title Not Recognized" in result.output, result.output


def test_free_ports_are_distinct_bindable_and_never_ephemeral():
    # An ephemeral port may be taken by any outgoing connection before Orthanc binds it.
    low, high = ephemeral_range()
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    assert not [port for port in ports if low <= port <= high]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", ports[-1]))
