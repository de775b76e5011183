"""On a Debian host, the checklist's step that puts the files in /etc/orthanc leaves an Orthanc that starts.

Each test copies Debian's /etc/orthanc, points `service.config_dir` at the copy (so the checklist's
commands name it instead of /etc/orthanc), runs the step's commands exactly as CHECKLIST.md prints
them, and starts the real Orthanc on the result.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.edit_support import debian_copy, holders, values

from .http import request
from .orthanc_server import OrthancStartError, free_port
from .profiles import apply, load_preset, registered_users, run_cli, with_ports, write_profile

PLUGINS = "/usr/share/orthanc/plugins"  # where Debian's orthanc package puts its plugins
DEBIAN_PLUGINS = {"serve-folders", "worklists"}  # the two it ships
_STEP = re.compile(r"^## \d+\. (?P<title>[^\n]*)\n(?P<body>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_SH = re.compile(r"^```sh\n(?P<commands>.*?)^```", re.MULTILINE | re.DOTALL)


def step_commands(checklist: Path, title: str) -> str:
    """The shell commands of the checklist step whose title starts with `title`, as printed."""
    steps = {m["title"]: m["body"] for m in _STEP.finditer(checklist.read_text("utf-8"))}
    found = [body for name, body in steps.items() if name.startswith(title)]
    assert len(found) == 1, f"no single step {title!r} in {list(steps)}"
    return _SH.search(found[0])["commands"]


def follow(commands: str, cwd: Path) -> str:
    """Run the commands as the admin would paste them (bash, stopping at the first failure)."""
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", commands], cwd=cwd, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"the step failed:\n{commands}\n{done.stdout}{done.stderr}"
    return done.stdout


def localhost_for(config_dir: Path, folder: Path) -> Path:
    """The localhost preset, installed into config_dir, on free ports."""
    profile = with_ports(load_preset("localhost"), free_port(), free_port())
    profile["service"] = {"config_dir": str(config_dir)}
    return write_profile(folder / "localhost.jsonc", profile)


def admin_of(config_dir: Path) -> dict[str, str]:
    password = values(config_dir)["RegisteredUsers"]["admin"]
    return {"user": "admin", "password": password}


def test_a_new_configuration_installed_as_its_checklist_says_starts_with_debians_plugins(tmp_path, start_orthanc):
    etc = debian_copy(tmp_path / "etc-orthanc")
    plugin_files = {name: (etc / name).read_bytes() for name in ("serve-folders.json", "worklists.json")}
    new = tmp_path / "new"
    apply(localhost_for(etc, tmp_path), new)
    assert json.loads((new / "orthanc.json").read_text())["Plugins"] == [PLUGINS]

    moved = follow(step_commands(new / "CHECKLIST.md", f"Put the files in {etc}"), cwd=new)
    assert "credentials.json" in moved and not (etc / "credentials.json").exists()
    backups = sorted(p.name for p in etc.iterdir() if p.name.endswith(".bak"))
    assert [name.split(".orthanc-harden-")[0] for name in backups] == ["credentials.json", "orthanc.json"]
    assert (etc / "orthanc.json").read_bytes() == (new / "orthanc.json").read_bytes()
    assert {name: (etc / name).read_bytes() for name in plugin_files} == plugin_files  # the plugins' files stay

    orthanc = start_orthanc(etc)
    assert request(orthanc.url, path="/system")[0] == 401
    status, body = request(orthanc.url, path="/plugins", **admin_of(etc))
    assert status == 200 and DEBIAN_PLUGINS <= set(json.loads(body))
    assert f"Loading plugin(s) from: {PLUGINS}" in orthanc.log_text()


def test_copied_beside_debians_credentials_without_the_step_orthanc_refuses_to_start(tmp_path, start_orthanc):
    # Why the step moves credentials.json: the plain copy the checklist used to print stops Orthanc.
    etc = debian_copy(tmp_path / "etc-orthanc")
    new = tmp_path / "new"
    apply(localhost_for(etc, tmp_path), new)
    for name in ("orthanc.json", "orthanc-security.lua"):
        (etc / name).write_bytes((new / name).read_bytes())
    with pytest.raises(OrthancStartError, match="RegisteredUsers"):
        start_orthanc(etc)


def test_edited_copies_installed_as_their_checklist_says_start(tmp_path, start_orthanc):
    etc = debian_copy(tmp_path / "etc-orthanc")
    copies = tmp_path / "copies"
    done = run_cli("apply", "--preset", str(localhost_for(etc, tmp_path)), "--config", str(etc),
                   "--out", str(copies), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checklist = copies / "CHECKLIST.md"
    assert f"Put the files in {etc}" not in checklist.read_text()  # no new orthanc.json to put beside

    follow(step_commands(checklist, f"Put the edited files in {etc}"), cwd=copies)
    assert holders(etc)["RegisteredUsers"] == "credentials.json" and "admin" in values(etc)["RegisteredUsers"]
    assert values(etc)["Plugins"] == ["/usr/share/orthanc/plugins/"]  # Debian's, as it wrote it

    orthanc = start_orthanc(etc)
    assert request(orthanc.url, path="/system")[0] == 401
    status, body = request(orthanc.url, path="/plugins", **admin_of(etc))
    assert status == 200 and DEBIAN_PLUGINS <= set(json.loads(body))


def test_an_edit_in_place_prints_no_copy_step(tmp_path):
    etc = debian_copy(tmp_path / "etc-orthanc")
    done = run_cli("apply", "--preset", str(localhost_for(etc, tmp_path)), "--config", str(etc), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checklist = (etc / "CHECKLIST.md").read_text()
    titles = [m["title"] for m in _STEP.finditer(checklist)]
    assert not [title for title in titles if title.startswith("Put the")], titles
    assert "orthanc.json orthanc-security.lua" not in checklist  # nothing left to install
    assert f"Keep the files in {etc} readable by root and orthanc only" in titles
    assert values(etc)["Plugins"] == ["/usr/share/orthanc/plugins/"]  # Debian's, as it wrote it
