"""The review: a summary that says first who can reach the server, the configuration first in the
diff, lines whole (scrolled sideways), F1 that says the keys, and `w` that asks before writing."""

from __future__ import annotations

from textual.widgets import Markdown, RichLog
from textual.widgets._tabbed_content import ContentTabs

from tests.tui.conftest import build_app
from tests.tui.drive import on_screen, press
from wizard import review
from wizard.tui.confirm_screen import ConfirmScreen
from wizard.tui.help_screen import HelpScreen

CONFIG = ('{"RemoteAccessAllowed": true, "AuthenticationEnabled": true, '
          '"RegisteredUsers": {"alice": "correct-horse-battery-staple"}}')


def lines_of(log: RichLog) -> list[str]:
    return [strip.text for strip in log.lines]


async def open_tab(pilot, steps: int) -> None:
    """From the buttons, Shift+Tab back to the tabs, then Right to the tab wanted, and Tab into it."""
    for _ in range(6):
        if isinstance(pilot.app.focused, ContentTabs):
            break
        await press(pilot, "shift+tab")
    await press(pilot, *["right"] * steps, "tab")


async def test_an_edit_is_summarised_reach_first_and_its_diff_starts_with_the_configuration(in_tmp):
    folder = in_tmp / "conf"
    folder.mkdir()
    (folder / "orthanc.json").write_text(CONFIG)
    app = build_app(preset="localhost", config=str(folder), out=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+r")
        assert app.flow.step == "review"
        summary = on_screen(pilot, "#summary").splitlines()
        assert summary[0] == "Would change who can reach Orthanc:"
        assert summary[1].startswith("  ! remote clients lose access: RemoteAccessAllowed true → false "
                                     "(asked by preset localhost)")
        assert "Who can reach Orthanc with these files:" in summary
        files = [line.split(":")[0].strip() for line in summary[summary.index(f"Files in {folder}:") + 1:]
                 if line.startswith("  ")][:2]
        assert files == ["orthanc.json", "orthanc-security.lua"]  # Orthanc's own file first

        prepared = app.flow.prepare()
        await open_tab(pilot, 1)
        shown = lines_of(app.screen.query_one("#diff", RichLog))
        assert shown == review.diff(prepared).splitlines()  # one shown line per diff line: none wrapped
        assert shown[1] == f"+++ {folder / 'orthanc.json'}"
        assert shown.index(f"+++ {folder / 'orthanc-security.lua'}") > shown.index(f"+++ {folder / 'orthanc.json'}")


async def test_long_lines_scroll_sideways_and_f1_says_the_review_keys(in_tmp):
    app = build_app(preset="localhost")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+r")
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert '- **w**: write the files: asks first, "Stay" is the default' in text
        assert "- **Left, Right (in a pane)**: scroll sideways: long lines are kept whole" in text
        assert "| Key |" not in text  # a list, not a table whose narrow column wraps a word a line at 80
        await press(pilot, "escape")
        await open_tab(pilot, 3)
        checklist = app.screen.query_one("#checklist", RichLog)
        assert app.focused is checklist
        assert checklist.virtual_size.width > checklist.size.width  # a command longer than the pane, kept whole
        await press(pilot, "right", "right", "right")
        assert checklist.scroll_x > 0


async def test_w_asks_before_writing_and_stay_writes_nothing(in_tmp):
    app = build_app(preset="localhost")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+r", "w")
        assert isinstance(app.screen, ConfirmScreen) and app.focused.id == "no"
        assert "Write these files?" in on_screen(pilot, ".dialog-title")
        await press(pilot, "enter")  # Stay, the focused answer
        assert app.flow.step == "review" and not (in_tmp / "out").exists()
        await press(pilot, "w", "y")
        assert app.flow.step == "done" and (in_tmp / "out" / "orthanc.json").exists()
