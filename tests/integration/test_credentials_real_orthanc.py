"""Credentials on the real Orthanc: an empty user logs in before an edit and not after, a blank
password is rotated, an empty RegisteredUsers does what the audit says for each release, and an
edit that lists users ends the implicit orthanc:orthanc login, saying so first (issue 16, items 4, 6)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from wizard import cli

from .orthanc_releases import RELEASES
from .orthanc_server import free_port, running_orthanc

CURL = shutil.which("curl") or "/usr/bin/curl"
REMOTE = {"RemoteAccessAllowed": True, "AuthenticationEnabled": True}


def config_folder(folder: Path, settings: dict) -> Path:
    folder.mkdir(parents=True)
    (folder / "orthanc.json").write_text(json.dumps({"HttpPort": free_port(), "DicomPort": free_port(), **settings},
                                                    indent=2) + "\n")
    return folder


def curl(url: str, login: str) -> int:
    """The status curl gets for GET /system with `-u login` (curl -u : sends an empty name and password)."""
    done = subprocess.run([CURL, "-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", login, f"{url}/system"],
                          capture_output=True, text=True, timeout=30, check=False)
    return int(done.stdout)


def edit(folder: Path, profile: dict, tmp_path: Path, capsys) -> tuple[list[str], dict[str, str]]:
    """apply --config on folder with profile: the lines it printed, and the passwords it handed over."""
    path, secrets = tmp_path / "profile.jsonc", tmp_path / "secrets.txt"
    path.write_text(json.dumps(profile))
    code = cli.main(["apply", "--preset", str(path), "--config", str(folder), "--secrets-file", str(secrets)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    handed = dict(line.split(": ", 1) for line in secrets.read_text().splitlines()) if secrets.exists() else {}
    return out.splitlines(), handed


def reach_notes(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("changed who can reach Orthanc: ")]


def test_the_empty_user_logs_in_with_curl_before_the_edit_and_not_after(tmp_path, capsys):
    folder = config_folder(tmp_path / "conf", {**REMOTE, "RegisteredUsers": {"": "", "blank": " "}})
    with running_orthanc(folder, tmp_path, graceful=False) as orthanc:
        assert curl(orthanc.url, ":") == 200  # the empty name and password
        assert curl(orthanc.url, "blank: ") == 200  # a password of one space
        assert curl(orthanc.url, "anybody:") == 401

    lines, handed = edit(folder, {}, tmp_path, capsys)
    users = json.loads((folder / "orthanc.json").read_text())["RegisteredUsers"]
    assert set(users) == {"blank"} and users["blank"] == handed["user blank"] and len(users["blank"]) == 24
    assert reach_notes(lines)[0].startswith("changed who can reach Orthanc: user '' loses access: removed from "
                                            "RegisteredUsers (orthanc-harden removes a blank user name")
    assert any(line.startswith("rotated the weak password of user 'blank'") and
               "(only spaces: replaced even with --keep-weak-passwords)" in line for line in lines)

    with running_orthanc(folder, tmp_path, graceful=False) as orthanc:
        assert curl(orthanc.url, ":") == 401
        assert curl(orthanc.url, "blank: ") == 401
        assert curl(orthanc.url, f"blank:{handed['user blank']}") == 200


def test_an_empty_user_list_with_remote_access_does_on_each_release_what_the_audit_says(tmp_path, capsys):
    said = {}
    for release in RELEASES:
        folder = config_folder(tmp_path / release.version / "conf", {**REMOTE, "RegisteredUsers": {}})
        with running_orthanc(folder, tmp_path, graceful=False, release=release) as orthanc:
            said[release.version] = (curl(orthanc.url, "orthanc:orthanc"), curl(orthanc.url, "admin:admin"))
        cli.main(["audit", str(folder), "--orthanc-version", release.version, "--format", "json"])
        found = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["id"] == "OH-AUTH-001"]
        expected = ("creates the well-known orthanc:orthanc login" if said[release.version][0] == 200
                    else "starts and refuses every login")
        assert [f["message"] for f in found] == [f"remote access with no registered user: Orthanc {release.version} "
                                                 f"{expected}"]
    assert said == {"1.10.1": (200, 401), "1.12.7": (200, 401), "1.13.0": (401, 401)}


def test_an_edit_that_lists_users_ends_the_implicit_orthanc_login_and_says_so_first(tmp_path, capsys):
    folder = config_folder(tmp_path / "conf", REMOTE)  # no RegisteredUsers at all: 1.10.1 makes one up
    with running_orthanc(folder, tmp_path, graceful=False) as orthanc:
        assert curl(orthanc.url, "orthanc:orthanc") == 200

    profile = {"authentication": {"users": [{"name": "radiologist", "role": "read-only"}]}}
    lines, handed = edit(folder, profile, tmp_path, capsys)
    assert reach_notes(lines)[0] == (
        "changed who can reach Orthanc: the implicit orthanc:orthanc login is gone: Orthanc 1.10.1 made it up with "
        f"remote access on and no user listed, and scanners try it first (asked by profile {tmp_path / 'profile.jsonc'})")

    with running_orthanc(folder, tmp_path, graceful=False) as orthanc:
        assert curl(orthanc.url, "orthanc:orthanc") == 401
        assert curl(orthanc.url, f"radiologist:{handed['user radiologist']}") == 200
