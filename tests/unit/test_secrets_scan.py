"""No password, given or generated, appears anywhere a run shows or leaves it, except in the
configuration files that must hold it, their backups and --secrets-file (mode 0600); and those
files are never readable beyond what was asked.

Each scenario runs apply several ways (new configuration and in-place edit; --check, --diff,
--json, a second run, bad input) and scans everything: stdout and stderr of every run, every file
of the folders (CHECKLIST.md, the saved answers, the Lua filter, the nginx configuration) and every
file's name (backups'), for each secret raw, JSON-escaped, Lua-escaped and as a Basic token.
test_diff_masking.py checks how the diff masks; this checks that nothing else leaks.
"""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

from tests.unit.test_diff_masking import escaped_forms
from wizard.orthanc.document import parse
from wizard.orthanc.lua import lua_string

HOLDERS = ("orthanc.json", "credentials.json")  # configuration files: they must hold passwords
SECRETS_FILE = "handed-over.txt"  # --secrets-file: written beside the output folder, never in it


def forms(secret: str, users: list[str]) -> set[str]:
    tokens = {base64.b64encode(f"{user}:{secret}".encode()).decode() for user in users}
    return escaped_forms(secret) | {lua_string(secret)[1:-1]} | tokens


def passwords_in(folder: Path) -> dict[str, set[str]]:
    """The passwords of the configuration files of a folder, and the users, as Orthanc reads them."""
    secrets, users = set(), set()
    for name in HOLDERS:
        if (folder / name).is_file():
            config = parse((folder / name).read_text("utf-8-sig")).root.value
            secrets |= set(config.get("RegisteredUsers", {}).values())
            users |= set(config.get("RegisteredUsers", {}))
            for peer in config.get("OrthancPeers", {}).values():
                secrets.add(peer[2] if isinstance(peer, list) else peer["Password"])
    return {"secrets": secrets, "users": users}


class Scan:
    """Everything the runs showed or left, and the modes files had before the runs."""

    def __init__(self, *folders: Path):
        self.folders, self.texts = folders, []
        self.modes_before = {p: p.stat().st_mode for folder in folders if folder.exists() for p in folder.iterdir()}

    def run(self, run_cli, *argv) -> int:
        code, stdout, stderr = run_cli(*argv)
        self.texts += [(f"stdout of {argv}", stdout), (f"stderr of {argv}", stderr)]
        return code

    def leaks(self, secrets: set[str], users: list[str]) -> list[str]:
        found = []
        places = list(self.texts)
        for folder in self.folders:
            for path in sorted(p for p in folder.iterdir() if p.is_file()) if folder.exists() else ():
                places.append((f"name {path.name}", path.name))
                if not self.may_hold(path):
                    places.append((str(path), path.read_text("utf-8", errors="replace")))
        for secret in secrets:
            for label, text in places:
                if any(form in text for form in forms(secret, users)):
                    found.append(f"{secret!r} in {label}")
        return found

    def may_hold(self, path: Path) -> bool:
        return path.name in HOLDERS or path.name.split(".orthanc-harden-")[0] in HOLDERS

    def too_open(self, secrets: set[str]) -> list[str]:
        """Files holding a secret that others may read: new ones at all, old ones more than before."""
        found = []
        for folder in self.folders:
            for path in (p for p in folder.iterdir() if p.is_file()):
                data = path.read_bytes()
                if not any(s.encode() in data or json.dumps(s)[1:-1].encode() in data for s in secrets):
                    continue
                mode, before = stat.S_IMODE(path.stat().st_mode), self.modes_before.get(path)
                if (mode & 0o007) if before is None else (mode & ~stat.S_IMODE(before)):
                    found.append(f"{path.name}: {mode:o}")
        return found


def site_profile(tmp_path: Path) -> Path:
    path = tmp_path / "site.jsonc"
    path.write_text(json.dumps({
        "network": {"remote_access": True},
        "https": {"mode": "reverse-proxy", "server_name": "pacs.test"},
        "authentication": {"users": [
            {"name": "admin", "role": "admin"},
            {"name": "viewer", "role": "read-only", "password": {"env": "SCAN_VIEWER"}},
            {"name": "uploader", "role": "uploader", "password": "Literal-upl0ader-Secret"}]},
        "outgoing": {"peers": [{"name": "b", "url": "https://b.example/", "username": "sync",
                                "password": {"env": "SCAN_SYNC"}}]}}))
    return path


def test_a_new_configuration_shows_and_leaves_no_password_outside_its_configuration(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SCAN_VIEWER", 'vi"ew\\er-é-Secret')
    monkeypatch.setenv("SCAN_SYNC", "sync-peer-Secret")
    out, profile = tmp_path / "out", site_profile(tmp_path)
    scan = Scan(out)
    assert scan.run(run_cli, "apply", "--preset", profile, "--out", out, "--check", "--diff", "--json") == 1
    assert scan.run(run_cli, "apply", "--preset", profile, "--out", out, "--diff", "--json",
                    "--secrets-file", tmp_path / SECRETS_FILE) == 0
    assert scan.run(run_cli, "apply", "--preset", profile, "--out", out, "--diff") == 0
    assert scan.run(run_cli, "apply", "--preset", out / "orthanc-harden.jsonc", "--out", out, "--check") in (0, 1)
    found = passwords_in(out)
    assert {'vi"ew\\er-é-Secret', "sync-peer-Secret", "Literal-upl0ader-Secret"} < found["secrets"]
    assert len(found["secrets"]) == 4  # and the admin's, generated
    assert scan.leaks(found["secrets"], sorted(found["users"])) == []
    assert scan.too_open(found["secrets"]) == []
    handed = (tmp_path / SECRETS_FILE).read_text()
    assert stat.S_IMODE((tmp_path / SECRETS_FILE).stat().st_mode) == 0o600 and "admin" in handed


def edited_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "orthanc"
    folder.mkdir()
    (folder / "orthanc.json").write_text(
        '{\n  // peers\n  "RemoteAccessAllowed": true,\n'
        '  "OrthancPeers": {"a": ["https://a.example/", "sync", "array-peer-Secret"],\n'
        '                   "b": {"Url": "https://b.example/", "Username": "sync", "Password": "object-peer-Secret"}}\n}\n')
    (folder / "credentials.json").write_text(
        '{ "RegisteredUsers": {"alice": "al\\"ice-strong-Secret-1", "bob": "orthanc", "carol": "c\\u00e4rol-Secret-22"} }\n')
    for path in folder.iterdir():
        path.chmod(0o644)  # as an admin may have left them
    return folder


def test_an_edit_in_place_shows_and_leaves_no_password_outside_the_configuration(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SCAN_VIEWER", "viewer-env-Secret-3")
    monkeypatch.setenv("SCAN_SYNC", "sync-env-Secret-4")
    folder, profile = edited_folder(tmp_path), site_profile(tmp_path)
    old = passwords_in(folder)
    scan = Scan(folder)
    assert scan.run(run_cli, "apply", "--preset", profile, "--config", folder, "--check", "--diff", "--json") == 1
    assert scan.run(run_cli, "apply", "--preset", profile, "--config", folder, "--diff", "--json") == 0
    assert scan.run(run_cli, "apply", "--preset", profile, "--config", folder, "--diff") == 0
    assert scan.run(run_cli, "apply", "--preset", profile, "--config", folder, "--check", "--json") == 0
    new = passwords_in(folder)
    secrets = old["secrets"] | new["secrets"]
    assert {'al"ice-strong-Secret-1', "cärol-Secret-22", "viewer-env-Secret-3", "orthanc"} <= secrets
    assert list(folder.glob("credentials.json.orthanc-harden-*.bak"))  # backups were made, and scanned by name
    # "orthanc" is also the product's name, everywhere: only the generated and given ones are scanned.
    scanned = secrets - {"orthanc"}
    assert scan.leaks(scanned, sorted(old["users"] | new["users"])) == []
    assert scan.too_open(scanned) == []


def test_bad_input_never_echoes_a_password_whatever_its_place_or_type(run_cli, tmp_path):
    wrong = [["List-Secret-1"], "T" * 70 + "oo-long-Secret-2", "pre${X}post-Secret-3", {"generate": "G-Secret-4"},
             {"env": "bad name Secret-5"}, {"keep": True, "x": "K-Secret-6"}]
    scan = Scan(tmp_path / "out")
    for index, password in enumerate(wrong):
        profile = tmp_path / f"bad{index}.json"
        profile.write_text(json.dumps({"authentication": {"users": [{"name": "admin", "role": "admin",
                                                                     "password": password}]},
                                       "outgoing": {"peers": [{"name": "p", "url": "https://p/", "username": "u",
                                                               "password": password}]}}))
        assert scan.run(run_cli, "apply", "--preset", profile, "--out", tmp_path / "out") == 2
    folder = edited_folder(tmp_path)
    (folder / "credentials.json").write_text('{"RegisteredUsers": {"alice": ["in-a-list-Secret-7"]}}')
    assert scan.run(run_cli, "apply", "--preset", site_profile(tmp_path), "--config", folder) == 2
    secrets = {"List-Secret-1", "oo-long-Secret-2", "post-Secret-3", "G-Secret-4", "Secret-5", "K-Secret-6",
               "in-a-list-Secret-7"}
    assert scan.leaks(secrets, ["admin", "u", "alice"]) == []
