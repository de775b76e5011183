"""--plain with its answers piped in (issue 18, item 9): a refused answer ends the run (exit 2,
naming the question and the answer) instead of putting every later answer one question off;
"Write these files?" takes yes and no; Enter is logged as the value it took; an ASCII-only
output does not crash; at a terminal, a refused answer is asked again with the answer before it
as the default, never the refused one."""

from __future__ import annotations

import os

from tests.tui.plain_driver import converse, run_script
from tests.tui.terminal import EXECUTABLE
from wizard.tui import describe

CONFIG = ('{"RemoteAccessAllowed": true, "AuthenticationEnabled": true, '
          '"RegisteredUsers": {"alice": "correct-horse-battery-staple"}}')


def test_a_refused_answer_through_a_pipe_ends_the_run_with_exit_2_naming_the_question_and_the_answer(in_tmp):
    steps = [("How do you want to start?", "new"), ("HTTP port", "70000"), ("HTTP port", "8043")]
    code, out, err = converse([str(EXECUTABLE), "--out", "piped"], steps, in_tmp)
    assert code == 2, out
    assert ("HTTP port: '70000' is refused (70000 is greater than the maximum of 65535): the "
            "answers that follow would land one question off, so the run stops here; nothing was written") in err
    assert "HTTP port [8042]: 70000\n" in out and out.count("HTTP port [") == 1
    assert not (in_tmp / "piped").exists()


def test_write_these_files_takes_yes_and_no(in_tmp):
    start = [("How do you want to start?", "localhost")]
    code, out = run_script([*start, ("Write these files?", "no")], preset="localhost")
    assert code == 0 and out.endswith("Choose 1-5 [1]: no\nQuit: nothing was written.\n")
    assert not (in_tmp / "out").exists()
    code, out = run_script([*start, ("Write these files?", "yes")], preset="localhost")
    assert code == 0 and "wrote: orthanc.json" in out
    assert (in_tmp / "out" / "orthanc.json").is_file()


def test_answers_taken_with_enter_are_logged_with_their_value(in_tmp):
    code, out = run_script([("How do you want to start?", ""), ("Write these files?", "no")], preset="localhost")
    assert code == 0
    assert "Choose 1-6 [6]: 6 (Preset localhost: " in out
    assert "HTTP port [8042]: 8042\n" in out
    assert "Allow access from other machines (hardened: off) [y/N]: n\n" in out


def test_an_ascii_only_output_gets_ascii_stand_ins_instead_of_a_crash(in_tmp):
    (in_tmp / "orthanc.json").write_text(CONFIG)
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    code, out, err = converse([str(EXECUTABLE), "--plain", "--preset", "localhost", "--config", "orthanc.json"],
                              [("How do you want to start?", "edit"), ("Write these files?", "yes")], in_tmp, env=env)
    assert code == 0, err
    assert "UnicodeEncodeError" not in err and out.isascii() and err.isascii()
    assert "remote clients lose access: RemoteAccessAllowed true -> false (asked by preset localhost)" in out


def test_at_a_terminal_a_refused_answer_is_asked_again_with_the_answer_before_it_as_default(in_tmp):
    steps = [("How do you want to start?", "new"), ("How clients reach Orthanc over TLS", "native")]
    code, out = run_script(steps, terminal=True)  # then the input ends
    asked = out[out.index("Choose 1-3 [1]: native\n"):]
    assert "  ✗ Orthanc as packaged by Debian crashes" in asked
    assert "  3. reverse-proxy\nChoose 1-3 [1]: " in asked  # none again, not the refused native
    assert code == 2


def test_the_password_sources_are_offered_in_the_order_of_the_full_screen_wizard(in_tmp):
    steps = [("How do you want to start?", "new"), ("Users and roles: ", "add"), ("Name", "admin"), ("Password", "1")]
    _, out = run_script(steps)
    menu = out[out.index("\nPassword\n"):]
    labels = [describe.PASSWORD_LABELS[mode] for mode in describe.USER_PASSWORD_MODES]
    assert menu.startswith("\nPassword\n" + "".join(f"  {n}. {label}\n" for n, label in enumerate(labels, 1)))
    assert labels[:2] == ["Generate one (shown once)", "Type it"]
