"""--plain at a real terminal asks with questionary: a refused answer said under the prompt, a
password masked, a choice taken by its key; the same questions and checks as on plain lines, so
the same answers write the same files. Plain lines stay for pipes and TERM=dumb."""

from __future__ import annotations

import io
import json
import re

from prompt_toolkit.output.vt100 import Vt100_Output
from prompt_toolkit.data_structures import Size

from tests.tui.conftest import files_of
from tests.tui.plain_driver import run_keyed, run_script
from tests.tui.terminal import EXECUTABLE, Terminal
from tests.tui.test_plain import INTRANET, USER_ADDED
from wizard.tui import asked
from wizard.tui.lines import Lines

BEFORE_THE_PORT = ("Orthanc release:", "Service user", "Service group", "Configuration folder:", "Storage folder:",
                   "Serve the REST API")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
REPORTS = ("orthanc-harden.jsonc", "CHECKLIST.md")  # the others hold generated secrets


def test_the_same_answers_give_the_same_answers_file_and_reports_with_questionary_as_on_plain_lines(in_tmp):
    code, out = run_keyed([*INTRANET, ("Write these files?", "write")], out="keyed")
    assert code == 0, out
    code, out = run_script([*INTRANET, ("Write these files?", "write")], out="lined")
    assert code == 0, out
    keyed, lined = files_of(in_tmp / "keyed"), files_of(in_tmp / "lined")
    assert keyed.keys() == lined.keys()
    for name in REPORTS:
        assert keyed[name].replace(b"keyed", b"lined") == lined[name], name
    assert b'"CT1"' in keyed["orthanc.json"] and b'"viewer"' in keyed["orthanc.json"]


def test_a_typed_password_is_masked_and_a_weak_one_typed_first_is_refused(in_tmp):
    screen = io.StringIO()
    value = "violet-anchor-57-tundra"
    # A refused answer stays in the field, as questionary keeps it: Ctrl-U clears it before the next.
    steps = [("How do you want to start?", "new"), (USER_ADDED, "add"), ("Name", "admin"), ("Role", "admin"),
             ("Password", "type"), ("Password", "short\r\x15" + value), ("The same again", value),
             (USER_ADDED, "done"), ("Write these files?", "write")]
    code, out = run_keyed(steps, output=Vt100_Output(screen, lambda: Size(rows=24, columns=80)))
    assert code == 0, out
    shown = ESCAPE.sub("", screen.getvalue())
    assert "? Password (not shown): " + "*" * len(value) in shown and value not in shown
    assert value not in out
    users = json.loads((in_tmp / "out" / "orthanc.json").read_text())["RegisteredUsers"]
    assert users == {"admin": value}  # 'short' was refused: the prompt took the next answer


def test_plain_lines_stay_where_questionary_cannot_serve(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    assert type(asked.asker()) is Lines  # answers piped in
    monkeypatch.setattr(asked, "is_tty", lambda stream: True)
    monkeypatch.setenv("TERM", "dumb")
    assert type(asked.asker()) is Lines
    monkeypatch.setenv("TERM", "xterm-256color")
    assert type(asked.asker()) is asked.Asked


def test_in_a_real_terminal_a_refused_port_is_said_under_its_prompt_and_ctrl_c_quits(in_tmp):
    terminal = Terminal(in_tmp, in_tmp, f"{EXECUTABLE} --plain --out out")
    try:
        terminal.wait_for("(Use shortcuts)")
        assert " » 1) Edit /etc/orthanc" in terminal.screen() or " » 1) New configuration" in terminal.screen()
        start = "1" if "1) New configuration" in terminal.screen() else "2"
        terminal.keys(start, "Enter")
        for title in BEFORE_THE_PORT:  # Enter keeps each answer shown
            terminal.wait_for(f"? {title}")
            terminal.keys("Enter")
        terminal.wait_for("? HTTP port: 8042")
        terminal.keys("C-u", "70000", "Enter")
        terminal.wait_for("70000 is greater than the maximum of 65535")
        assert terminal.screen().rstrip().endswith("70000 is greater than the maximum of 65535")
        terminal.keys("C-c")
        terminal.wait_for("EXIT=0")
        assert "Quit: nothing was written." in terminal.screen()
        assert not (in_tmp / "out").exists()
    finally:
        terminal.close()


def test_with_term_dumb_a_real_terminal_gets_numbered_lines(in_tmp):
    terminal = Terminal(in_tmp, in_tmp, f"TERM=dumb {EXECUTABLE} --plain --out out")
    try:
        terminal.wait_for("Choose 1-")
        assert "(Use shortcuts)" not in terminal.screen() and "  2. " in terminal.screen()
        terminal.keys("C-c")
        terminal.wait_for("EXIT=0")
    finally:
        terminal.close()
