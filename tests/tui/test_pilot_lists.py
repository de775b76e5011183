"""Users and modalities are added, edited and removed in their tables, with the keyboard only."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.conftest import apply_like, build_app, files_of
from tests.tui.drive import add_item, dialog_ok, dialog_type, focus_id, focus_question, on_screen, press
from wizard.tui.confirm_screen import ConfirmScreen
from wizard.tui.widgets.fields import field_id


def rows(pilot, question_id: str) -> list[list[str]]:
    table = pilot.app.screen.query_one(f"#{field_id(question_id)} DataTable", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_a_user_and_a_modality_are_added_and_removed_and_the_result_matches_apply(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n")
        assert app.flow.step == "authentication"
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "alice")
        await dialog_type(pilot, "from", "10.1.0.0/16")
        await dialog_ok(pilot)
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "bob:x")  # ':' is ambiguous in Basic authentication
        await dialog_ok(pilot)
        assert "must not be empty nor contain ':'" in on_screen(pilot, "#problems-name")
        await focus_id(pilot, "name")  # which selects the name: End keeps it
        await press(pilot, "end", "backspace", "backspace")
        await dialog_ok(pilot)
        assert rows(pilot, "authentication.users") == [["alice", "read-only", "10.1.0.0/16", "generated"],
                                                       ["bob", "read-only", "any", "generated"]]
        await focus_question(pilot, "authentication.users")
        await press(pilot, "up", "delete")  # asks first
        assert isinstance(pilot.app.screen, ConfirmScreen) and pilot.app.focused.id == "no"
        await press(pilot, "enter")  # Stay: nothing removed
        assert [u["name"] for u in app.flow.answers["authentication"]["users"]] == ["alice", "bob"]
        await press(pilot, "delete", "y")  # removes alice
        assert [u["name"] for u in app.flow.answers["authentication"]["users"]] == ["bob"]
        await press(pilot, "enter")  # edits bob
        await press(pilot, "tab", "right", "right", "space")
        await dialog_ok(pilot)
        assert rows(pilot, "authentication.users") == [["bob", "admin", "any", "generated"]]

        await press(pilot, "ctrl+t", *["down"] * 6, "enter")
        assert app.flow.step == "dicom"
        await add_item(pilot, "dicom.modalities")
        for widget_id, text in (("name", "ct1"), ("aet", "CT1"), ("host", "10.0.0.10")):
            await dialog_type(pilot, widget_id, text)
        await focus_id(pilot, "allow-store")
        await press(pilot, "space")
        await dialog_ok(pilot)
        await add_item(pilot, "dicom.modalities")
        for widget_id, text in (("name", "mr1"), ("aet", "MR1"), ("host", "mr.example.org")):
            await dialog_type(pilot, widget_id, text)
        await dialog_ok(pilot)  # refused: the host check compares IP addresses as strings
        assert "is not an IP address" in on_screen(pilot, "#problems-host")
        await press(pilot, "escape")
        assert rows(pilot, "dicom.modalities") == [["ct1", "CT1", "10.0.0.10", "104", "echo, store"]]
        await add_item(pilot, "dicom.modalities")
        for widget_id, text in (("name", "us1"), ("aet", "US1"), ("host", "10.0.0.11")):
            await dialog_type(pilot, widget_id, text)
        await dialog_ok(pilot)
        await focus_question(pilot, "dicom.modalities")
        await press(pilot, "up", "delete", "y")
        assert [m["name"] for m in app.flow.answers["dicom"]["modalities"]] == ["us1"]
        await press(pilot, "ctrl+r", "w", "y")
        assert app.flow.step == "done"
    written = files_of(in_tmp / "out")
    assert b'"bob"' in written["orthanc.json"] and b'"alice"' not in written["orthanc.json"]
    assert b'"US1"' in written["orthanc.json"] and b'"CT1"' not in written["orthanc.json"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")


async def test_a_peer_with_a_login_read_from_the_environment(in_tmp, monkeypatch):
    monkeypatch.setenv("BACKUP_PASSWORD", "from-the-environment")
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+t", *["down"] * 6, "enter")  # from the service topic
        assert app.flow.step == "outgoing"
        await add_item(pilot, "outgoing.peers")
        await dialog_type(pilot, "name", "backup")
        await focus_id(pilot, "url")
        await press(pilot, "end", *"pacs2.example.org")
        await dialog_type(pilot, "username", "sender")
        await dialog_type(pilot, "password-text", "BACKUP_PASSWORD")  # from the environment, the default
        await dialog_ok(pilot)
        assert rows(pilot, "outgoing.peers") == [["backup", "https://pacs2.example.org", "sender", "$BACKUP_PASSWORD"]]
        await press(pilot, "ctrl+r", "w", "y")
        assert app.flow.step == "done"
    written = files_of(in_tmp / "out")
    assert b"from-the-environment" in written["orthanc.json"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")
