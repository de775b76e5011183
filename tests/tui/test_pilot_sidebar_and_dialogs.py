"""The sidebar lists and counts every finding in full and explains its marks; dialogs ask before
removing, open without errors, show hints that do not look like values, and keep typed keys in order."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Markdown

from tests.tui.conftest import build_app
from tests.tui.drive import add_item, focus_question, on_screen, press
from wizard.tui.confirm_screen import ConfirmScreen
from wizard.tui.help_screen import HelpScreen
from wizard.tui.item_screen import ItemScreen


async def test_the_findings_are_counted_one_by_one_and_shown_whole(in_tmp):
    app = build_app(preset="intranet")  # no server name for the proxy: one problem
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        await focus_question(pilot, "network.http_port")
        await press(pilot, *"4242")  # the DICOM port: a problem at each of the two ports
        problems = app.flow.findings().problems
        assert len(problems) == 3
        shown = on_screen(pilot, "#findings-text")
        assert shown.startswith("Findings: ✗ 3 problems")
        assert "…" not in shown
        for problem in problems:
            assert " ".join(app.flow.label(problem).split()) in " ".join(shown.split())
        assert shown.count("\n✗ ") == 3
        assert "○ open ● done ✗ fix – skipped" in on_screen(pilot, "#legend")
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert "| ✗ fix | an answer has a problem" in app.screen.query_one(Markdown).source


async def test_delete_asks_before_a_user_is_removed(in_tmp):
    app = build_app(preset="intranet")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n")
        await focus_question(pilot, "authentication.users")
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen) and app.focused.id == "no"
        await press(pilot, "n")
        assert [u["name"] for u in app.flow.answers["authentication"]["users"]] == ["admin", "viewer", "uploader"]
        await press(pilot, "delete", "y")
        assert [u["name"] for u in app.flow.answers["authentication"]["users"]] == ["viewer", "uploader"]


async def test_the_add_peer_dialog_opens_without_an_error_and_its_hints_are_not_values(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+t", *["down"] * 6, "enter")
        assert app.flow.step == "outgoing"
        await add_item(pilot, "outgoing.peers")
        assert isinstance(app.screen, ItemScreen)
        assert on_screen(pilot, "#problems-url") == "" and on_screen(pilot, "#dialog-status") == ""
        await press(pilot, "escape", "ctrl+t", *["down"] * 2, "enter")
        assert app.flow.step == "dicom"
        await add_item(pilot, "dicom.modalities")
        for entry in ("name", "aet", "host"):
            shown = app.screen.query_one(f"#{entry}", Input)
            assert shown.value == "" and shown.placeholder.startswith("e.g. ")


async def test_keys_typed_in_one_burst_after_clearing_a_field_are_kept_in_order(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        await focus_question(pilot, "network.http_port")  # its text selected
        for key in ("backspace", "8", "0", "4", "3"):  # as a terminal delivers a fast typist's keys
            app.post_message(events.Key(key, key if key.isdigit() else None))
        await pilot.pause(0.3)
        assert app.focused.value == "8043" and app.flow.value("network.http_port") == 8043
