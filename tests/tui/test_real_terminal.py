"""The installed command in a real terminal (tmux): the first screen, then quitting by keyboard.

tmux is required: without it this test fails (it never skips), as the README's setup installs it.
"""

from __future__ import annotations

from tests.tui.terminal import EXECUTABLE, Terminal
from wizard.topics import TOPICS


def test_the_installed_wizard_shows_the_topics_and_quits_from_the_keyboard_writing_nothing(tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    terminal = Terminal(tmp_path, cwd, str(EXECUTABLE))
    try:
        terminal.wait_for("How do you want to start?")
        screen = terminal.screen()
        for topic in TOPICS:
            assert topic.TITLE in screen
        terminal.keys("C-q")
        terminal.wait_for("EXIT=0")
    finally:
        terminal.close()
    assert list(cwd.iterdir()) == []
