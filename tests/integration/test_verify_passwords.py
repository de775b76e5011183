"""`verify` proves the passwords of the wizard's users on the real Orthanc: it reads the file the wizard
hands the generated passwords over in (beside what it wrote), so a password changed by hand, or set to
`admin`, fails; without that file it says which users' passwords it could not prove. A user limited
to networks has its role exercised from inside them: through the proxy's X-Forwarded-For, or from a
127.0.0.x source address when Orthanc itself serves remote clients."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.tui.plain_driver import run_script
from wizard import secrets

from .profiles import apply, registered_users, run_cli, write_profile

ADD = "Users and roles: "
WIZARD = [
    ("How do you want to start?", "new"),
    ("Allow access from other machines", "y"), ("Networks allowed through the firewall", "10.0.0.0/8"),
    (ADD, "add"), ("Name", "admin"), ("Role", "admin"), ("Networks it may come from", "127.0.0.1/32"),
    (ADD, "add"), ("Name", "viewer"),
    (ADD, "add"), ("Name", "far"), ("Role", "read-only"), ("Networks it may come from", "10.20.0.0/16"),
    (ADD, "done"),  # every password generated, the default
    ("How clients reach Orthanc over TLS", "reverse-proxy"), ("Public host name", "pacs.test"),
    ("Write these files?", "write"),
]


def verify(folder: Path) -> tuple[int, dict]:
    done = run_cli("verify", str(folder), "--format", "json", cwd=folder)
    assert done.returncode in (0, 1), done.stderr + done.stdout
    return done.returncode, json.loads(done.stdout)


def rows_of(report: dict, who: str) -> dict[str, dict]:
    return {row["what"]: row for row in report["rows"] if row["who"].split(" ")[0] == who}


def failed_users(report: dict) -> set[str]:
    return {row["who"].split(" ")[0] for row in report["rows"] if row["result"] == "fail"}


def set_password(out: Path, user: str, password: str) -> None:
    path = out / "orthanc.json"
    text, count = re.subn(rf'("{user}"\s*:\s*)"[^"]*"', rf'\g<1>"{password}"', path.read_text())
    assert count == 1, user
    path.write_text(text)


def test_verify_fails_when_a_wizard_user_s_password_is_changed_by_hand(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, said = run_script(WIZARD)
    out = tmp_path / "out"
    assert code == 0 and (out / secrets.HANDED_FILE).is_file(), said
    code, report = verify(out)
    assert code == 0 and report["summary"]["not_checkable"] == 0, failed_users(report)
    far = rows_of(report, "far")  # its role, from inside 10.20.0.0/16 through the proxy's header
    assert (far["read: GET /system"]["got"], far["search: POST /tools/find"]["got"]) == ("200", "200")
    assert far["upload: POST /instances"]["got"] == "403" and far["read through the proxy for 203.0.113.7"]["got"] == "403"

    set_password(out, "viewer", "Changed-by-hand-to-another-strong-one")
    code, report = verify(out)
    assert code == 1 and failed_users(report) == {"viewer"}
    assert rows_of(report, "viewer")["read: GET /system"]["got"] == "401"

    set_password(out, "viewer", "admin")
    code, report = verify(out)
    assert code == 1 and failed_users(report) == {"viewer"}
    assert rows_of(report, "viewer")["password not weak"]["got"] == "weak: a well-known password"


def test_without_the_handed_over_file_verify_names_the_passwords_it_could_not_prove(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_script(WIZARD)[0] == 0
    out = tmp_path / "out"
    (out / secrets.HANDED_FILE).unlink()
    code, report = verify(out)
    unproven = {row["who"].split(" ")[0]: row for row in report["rows"] if row["what"] == "password as handed over"}
    assert code == 0 and set(unproven) == {"admin", "viewer", "far"}
    assert all(row["result"] == "not checkable" and "password not proven" in row["note"] for row in unproven.values())
    set_password(out, "viewer", "admin")  # weak is a failure whatever was handed over
    code, report = verify(out)
    assert code == 1 and failed_users(report) == {"viewer"}


def test_a_user_limited_to_another_loopback_address_has_its_role_run_from_there(tmp_path):
    profile = {"network": {"remote_access": True}, "https": {"mode": "none"},
               "authentication": {"users": [{"name": "admin", "role": "admin", "from": ["127.0.0.1/32"]},
                                            {"name": "near", "role": "uploader", "from": ["127.0.0.2/32"]}]}}
    out = tmp_path / "out"
    apply(write_profile(tmp_path / "near.jsonc", profile), out, "--secrets-file", str(out / secrets.HANDED_FILE))
    code, report = verify(out)
    near = rows_of(report, "near")
    assert code == 0 and (near["upload: POST /instances"]["got"], near["delete: DELETE /patients/{id}"]["got"]) == ("200", "403")
    assert near["read from 127.0.0.1, outside its networks"]["got"] == "403"
    set_password(out, "near", registered_users(out)["near"] + "-changed")
    assert verify(out)[0] == 1
