"""What the admin sees at 80×24, kept as reviewed SVG snapshots (update: --snapshot-update).

Textual is pinned exactly (pyproject), since snapshots change between its releases. Nothing
random is on these screens: no password (masked or not generated yet), no date, no tmp path.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.tui.conftest import build_app
from tests.tui.drive import press

SIZE = (80, 24)
DEBIAN = Path("/etc/orthanc")


def steady(*keys: str):
    """A run_before that presses keys, then stops the cursor blinking for a stable picture."""
    async def run(pilot) -> None:
        await press(pilot, *keys)
        for screen in pilot.app.screen_stack:
            for field in screen.query(Input):
                field.cursor_blink = False
        await pilot.pause()
    return run


def test_start_screen(snap_compare, in_tmp):
    # On a Debian host editing /etc/orthanc comes first; it is only read: nothing is written
    # before the review is confirmed.
    app = build_app(out=None, debian=DEBIAN)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady())


def test_network_topic(snap_compare, in_tmp):
    assert snap_compare(build_app(), terminal_size=SIZE, run_before=steady("enter", "ctrl+n"))


def test_users_table_of_the_intranet_preset(snap_compare, in_tmp):
    app = build_app(preset="intranet")
    assert snap_compare(app, terminal_size=SIZE, run_before=steady("enter", "ctrl+n", "ctrl+n", "tab"))


def test_user_dialog_with_a_refused_name(snap_compare, in_tmp):
    keys = ("enter", "ctrl+n", "ctrl+n", "tab", "enter", *"bob:x")
    assert snap_compare(build_app(), terminal_size=SIZE, run_before=steady(*keys))


def test_review_of_the_localhost_preset(snap_compare, in_tmp):
    app = build_app(preset="localhost")
    assert snap_compare(app, terminal_size=SIZE, run_before=steady("enter", "ctrl+r"))


def test_a_refused_next_shows_its_whole_reason_above_the_buttons(snap_compare, in_tmp):
    # The status line has a row of its own: at 80 columns a long reason is not squeezed.
    keys = ("enter", "ctrl+n", "tab", "end", *"0" * 2, "ctrl+n")  # HTTP port 804200
    assert snap_compare(build_app(), terminal_size=SIZE, run_before=steady(*keys))
