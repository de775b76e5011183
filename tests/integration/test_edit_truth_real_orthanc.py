"""What an edit keeps, judged by the real Orthanc: remote clients, rotated passwords, `${VAR}` users."""

import json
import os
from pathlib import Path

from wizard import cli

from .orthanc_server import free_port
from .profiles import REMOTE, send

STRONG = "correct-horse-battery-staple"


def site(tmp_path: Path, config: dict) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir()
    ports = {"HttpPort": free_port(), "DicomPort": free_port()}
    (folder / "orthanc.json").write_text(json.dumps({**config, **ports}, indent=2))
    return folder


def edited(tmp_path: Path, folder: Path, *extra: str) -> None:
    profile = tmp_path / "empty.jsonc"
    profile.write_text("{}")
    assert cli.main(["apply", "--preset", str(profile), "--config", str(folder), *extra]) == 0


def test_a_remote_client_still_gets_in_after_an_edit_that_named_no_network(tmp_path, start_orthanc):
    folder = site(tmp_path, {"RemoteAccessAllowed": True, "AuthenticationEnabled": True,
                             "RegisteredUsers": {"alice": STRONG}})
    edited(tmp_path, folder)
    orthanc = start_orthanc(folder)
    assert send(orthanc.url, path="/system", source=REMOTE, user="alice", password=STRONG).status == 200
    assert send(orthanc.url, path="/system", source=REMOTE).status == 401


def test_orthanc_orthanc_no_longer_logs_in_and_the_generated_password_does(tmp_path, start_orthanc):
    folder = site(tmp_path, {"RemoteAccessAllowed": True, "RegisteredUsers": {"orthanc": "orthanc"}})
    edited(tmp_path, folder, "--secrets-file", str(tmp_path / "secrets.txt"))
    new = dict(line.split(": ", 1) for line in (tmp_path / "secrets.txt").read_text().splitlines())["user orthanc"]
    orthanc = start_orthanc(folder)
    assert send(orthanc.url, path="/system", source=REMOTE, user="orthanc", password="orthanc").status == 401
    assert send(orthanc.url, path="/system", source=REMOTE, user="orthanc", password=new).status == 200


def test_the_user_named_by_the_environment_still_logs_in_with_the_variables_set(tmp_path, start_orthanc, monkeypatch):
    folder = site(tmp_path, {"RemoteAccessAllowed": True,
                             "RegisteredUsers": {"${OH_TEST_USER}": "${OH_TEST_PASSWORD}"}})
    edited(tmp_path, folder)
    monkeypatch.setenv("OH_TEST_USER", "deploy")
    monkeypatch.setenv("OH_TEST_PASSWORD", STRONG)
    assert os.environ["OH_TEST_USER"] == "deploy"  # Orthanc, started below, inherits them
    orthanc = start_orthanc(folder)
    assert send(orthanc.url, path="/system", source=REMOTE, user="deploy", password=STRONG).status == 200
    # An admin, as Orthanc made every registered user: the filter lets it delete (404: no such patient).
    assert send(orthanc.url, path="/patients/nothing", method="DELETE", source=REMOTE, user="deploy",
                password=STRONG).status == 404
    assert send(orthanc.url, path="/system", source=REMOTE, user="${OH_TEST_USER}", password=STRONG).status == 401


def test_a_default_from_the_environment_syntax_is_resolved_as_orthanc_does(tmp_path, start_orthanc, monkeypatch):
    folder = site(tmp_path, {"RemoteAccessAllowed": True,
                             "RegisteredUsers": {"${OH_TEST_UNSET:-fallback}": STRONG}})
    monkeypatch.delenv("OH_TEST_UNSET", raising=False)
    edited(tmp_path, folder)
    orthanc = start_orthanc(folder)
    assert send(orthanc.url, path="/system", source=REMOTE, user="fallback", password=STRONG).status == 200
