"""Editing a copy of Debian's /etc/orthanc with the keyboard writes what `apply --config` writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.tui.conftest import build_app
from tests.tui.drive import add_item, dialog_ok, dialog_type, focus_id, focus_question, on_screen, press
from wizard import cli

DEBIAN = Path("/etc/orthanc")


def configuration(folder: Path) -> dict[str, bytes]:
    """The configuration files of a folder, without the timestamped backups."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and ".bak" not in p.name}


@pytest.fixture
def debian_copy(in_tmp):
    if not (DEBIAN / "orthanc.json").is_file():
        pytest.fail("Debian's orthanc package is not installed: apt-get install orthanc")
    shutil.copytree(DEBIAN, in_tmp / "etc-orthanc")
    shutil.copytree(DEBIAN, in_tmp / "other")
    return in_tmp / "etc-orthanc"


async def test_editing_a_copy_of_debians_configuration_writes_what_apply_writes(debian_copy, in_tmp, monkeypatch):
    monkeypatch.setenv("ORTHANC_ADMIN_PASSWORD", "correct-horse-battery")
    app = build_app(config=str(debian_copy), out=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")  # the edit is chosen by --config
        assert app.flow.origin.key == "edit" and app.flow.step == "service"
        await press(pilot, "ctrl+n", "ctrl+n")
        assert app.flow.step == "authentication"
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "admin")
        await press(pilot, "tab", "right", "right", "space")  # role: admin
        await focus_id(pilot, "password-mode")
        await press(pilot, "down", "down", "space")  # read it from an environment variable
        await dialog_type(pilot, "password-text", "ORTHANC_ADMIN_PASSWORD")
        await dialog_ok(pilot)
        await press(pilot, "ctrl+t", *["down"] * 6, "enter")
        assert app.flow.step == "dicom"
        await focus_question(pilot, "dicom.always_allow_echo")
        assert app.focused.value is False  # Debian's true was hardened on reading
        await press(pilot, "ctrl+r")
        assert app.flow.step == "review"
        await press(pilot, "w", "y")  # write, confirmed
        assert app.flow.step == "done"
        assert app.flow.prepared.backups
        await press(pilot, "q")
    assert app.return_value == 0
    saved = debian_copy / "orthanc-harden.jsonc"  # the answers the wizard wrote beside the configuration
    assert cli.main(["apply", "--preset", str(saved), "--config", str(in_tmp / "other")]) == 0
    edited = configuration(debian_copy)
    assert b"correct-horse-battery" in edited["credentials.json"]
    assert edited == configuration(in_tmp / "other")


async def test_a_file_changed_while_the_review_is_open_is_read_again_not_overwritten(debian_copy):
    # Another editor or a package upgrade changes the configuration after the wizard read it.
    app = build_app(config=str(debian_copy), out=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+r")
        assert app.flow.step == "review"
        main = debian_copy / "orthanc.json"
        main.write_bytes(main.read_bytes().replace(b'"Name" : "Orthanc"', b'"Name" : "Changed"'))
        before = configuration(debian_copy)
        await press(pilot, "w", "y")  # write, confirmed
        assert app.flow.step == "review"
        status = on_screen(pilot, "#status")
        assert f"{main}: $: changed on disk since orthanc-harden read it: nothing was written" in status
        assert "press r to read it again (your changes are kept)" in status
        assert configuration(debian_copy) == before
        assert not [p for p in debian_copy.iterdir() if ".bak" in p.name]
        await press(pilot, "r")
        assert "read again" in on_screen(pilot, "#status")
        await press(pilot, "w", "y")  # write, confirmed
        assert app.flow.step == "done"
        await press(pilot, "q")
    edited = main.read_text()
    assert '"Name" : "Changed"' in edited and '"AuthenticationEnabled" : true' in edited


async def test_turning_off_what_the_configuration_has_on_shows_what_the_file_says(in_tmp):
    config = in_tmp / "orthanc.json"
    config.write_text('{"RemoteAccessAllowed": true, "AuthenticationEnabled": true, '
                      '"RegisteredUsers": {"alice": "correct-horse-battery-staple"}}')
    app = build_app(config=str(config), out=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        assert app.flow.step == "network" and app.flow.value("network.remote_access") is True
        assert "configuration says" not in on_screen(pilot, "#q-network-remote_access .field-note")
        await focus_question(pilot, "network.remote_access")
        await press(pilot, "space")
        assert app.flow.value("network.remote_access") is False
        assert "! the configuration says on" in on_screen(pilot, "#q-network-remote_access .field-note")
