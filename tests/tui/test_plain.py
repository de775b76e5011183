"""The line-by-line mode (--plain): numbered choices read as text, plain lines (no control
character) when its output is a pipe, a summarised review whose "Write?" defaults to No, and the
end of the input before that question is exit 2 with nothing written. It writes what `apply` writes."""

from __future__ import annotations

import re
import subprocess

from tests.tui.conftest import apply_like, files_of
from wizard import cli
from tests.tui.plain_driver import converse, run_script
from tests.tui.terminal import EXECUTABLE

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # every control character but tab and newline
USER_ADDED = "Users and roles: "
INTRANET = [
    ("How do you want to start?", "new"),
    ("Allow access from other machines", "y"), ("Networks allowed through the firewall", "10.0.0.0/8, 192.168.0.0/16"),
    (USER_ADDED, "add"), ("Name", "admin"), ("Role", "admin"), ("Networks it may come from", "127.0.0.1/32"),
    (USER_ADDED, "add"), ("Name", "viewer"), (USER_ADDED, "done"),  # passwords generated, the default
    ("How clients reach Orthanc over TLS", "reverse-proxy"), ("Public host name", "pacs.example.org"),
    ("Modalities", "add"), ("Name", "ct1"), ("AET", "CT1"), ("IP address", "10.0.0.10"),
    ("Commands it may use", "echo, store"), ("Modalities", "done"),
]


def test_the_plain_mode_writes_what_apply_writes(in_tmp):
    code, out = run_script([*INTRANET, ("Write these files?", "write")])
    assert code == 0, out
    assert "wrote: orthanc.json" in out
    written = files_of(in_tmp / "out")
    assert b'"CT1"' in written["orthanc.json"] and b'"viewer"' in written["orthanc.json"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")


def test_choices_are_numbered_lines_and_the_review_is_summarised_with_the_diff_on_request(in_tmp):
    code, out = run_script([*INTRANET, ("Write these files?", "2"), ("Write these files?", "")])  # diff; Enter
    assert code == 0 and "Quit: nothing was written." in out
    assert not (in_tmp / "out").exists()
    assert "How do you want to start?\n  1. New configuration: every answer at its hardened default\n" in out
    assert "Role\n  1. read-only\n  2. uploader\n  3. admin\nChoose 1-3 [1]: admin\n" in out  # a word picks
    review = out[out.index("== Review =="):]
    summary = review[:review.index("Write these files?")]
    assert "Who can reach Orthanc with these files:" in summary and "+++ " not in summary  # no diff by itself
    assert "  1. No: quit without writing\n" in review and "Choose 1-5 [1]: " in review
    assert "+++ out/orthanc.json" in review  # shown when asked for
    assert review.index("+++ out/orthanc.json") < review.index("+++ out/orthanc-security.lua")


def test_the_plain_mode_asks_again_until_the_answer_is_valid(in_tmp):
    code, out = run_script([("How do you want to start?", "new"), ("HTTP port", "70000"), ("HTTP port", "8043")],
                           terminal=True)
    assert "  ✗ 70000 is greater than the maximum of 65535\nHTTP port [8042]: 8043" in out
    assert code == 2  # the input ends before the review: nothing written
    assert not (in_tmp / "out").exists()


def test_the_end_of_the_input_before_the_confirmation_is_exit_2_and_nothing_is_written(in_tmp, capsys):
    for steps in ([], INTRANET):  # at the first question, and at "Write these files?"
        code, _ = run_script(steps)
        assert code == 2
        assert "the input ended before the files were confirmed: nothing was written" in capsys.readouterr().err
        assert not (in_tmp / "out").exists()


def test_a_password_from_an_unset_variable_is_asked_for_this_run_and_checked(in_tmp, monkeypatch):
    monkeypatch.setenv("NO_SUCH_PASSWORD", "")
    monkeypatch.delenv("NO_SUCH_PASSWORD")  # unset now, and unset again after the test
    value = "violet-anchor-57-tundra"
    code, out = run_script([("How do you want to start?", "new"), (USER_ADDED, "add"), ("Name", "admin"),
                            ("Role", "admin"), ("Password", "env"), ("Environment variable", "NO_SUCH_PASSWORD"),
                            ("Value of $NO_SUCH_PASSWORD", "short"), ("Value of $NO_SUCH_PASSWORD", value),
                            ("The same again", value), (USER_ADDED, "done"), ("Write these files?", "write")],
                           terminal=True)
    assert code == 0, out
    assert "$NO_SUCH_PASSWORD is not set in the wizard's environment: its value, typed now, is for this run only" in out
    assert "  ✗ too weak: shorter than 12 characters" in out
    assert value not in out  # a secret piped in is never repeated in the output
    written = files_of(in_tmp / "out")
    assert value.encode() in written["orthanc.json"] and value.encode() not in written["orthanc-harden.jsonc"]
    assert b'"env": "NO_SUCH_PASSWORD"' in written["orthanc-harden.jsonc"]


def test_through_pipes_the_wizard_asks_line_by_line_with_no_control_character(in_tmp):
    # On this Debian host editing /etc/orthanc is offered first: "new" is a new configuration.
    code, out, err = converse([str(EXECUTABLE), "--out", "piped"], [*INTRANET, ("Write these files?", "write")], in_tmp)
    assert code == 0, err
    assert not CONTROL.search(out) and not CONTROL.search(err)
    assert "  1. Edit /etc/orthanc" in out and "wrote: orthanc.json" in out
    assert "generated passwords for user admin, user viewer" in out  # never printed to a pipe
    assert (in_tmp / "piped" / "orthanc.json").exists()


def test_enter_at_write_writes_nothing_through_pipes(in_tmp):
    code, out, err = converse([str(EXECUTABLE), "--out", "piped", "--preset", "localhost"],
                              [("How do you want to start?", "localhost"), ("Write these files?", "")], in_tmp)
    assert code == 0, err
    assert out.endswith("Choose 1-5 [1]: 1 (No: quit without writing)\nQuit: nothing was written.\n")
    assert not (in_tmp / "piped").exists()


def test_with_no_input_at_all_it_says_nothing_was_written_and_exits_2(in_tmp):
    done = subprocess.run([str(EXECUTABLE), "--out", "piped"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "the input ended before the files were confirmed: nothing was written" in done.stderr
    assert "Input is not a terminal" not in done.stdout + done.stderr
    assert not (in_tmp / "piped").exists()


def test_the_plain_mode_reads_a_changed_configuration_again_when_asked(in_tmp, capsys, monkeypatch):
    from wizard.flow import Flow
    from wizard.orthanc import document

    folder = in_tmp / "conf"
    folder.mkdir()
    config = folder / "orthanc.json"
    config.write_text('{"LimitFindResults": 20, "Name": "before"}')
    real_write, calls = Flow.write, []

    def changed_meanwhile(flow):  # another editor saves the file just before the first write
        if not calls:
            config.write_text('{"LimitFindResults": 20, "Name": "changed meanwhile"}')
        calls.append(1)
        real_write(flow)

    monkeypatch.setattr(Flow, "write", changed_meanwhile)
    # Every default; Write; yes, read it again; Write.
    steps = [("Write these files?", "write"), ("Read the configuration again", "y"), ("Write these files?", "write")]
    code, out = run_script(steps, out=None, config=str(folder))
    assert code == 0, out
    assert "changed on disk since orthanc-harden read it: nothing was written" in capsys.readouterr().err
    wrote = [line for line in out.splitlines() if line.startswith("wrote: ")]
    assert len(calls) == 2 and len(wrote) == 1 and "orthanc.json" in wrote[0]
    written = document.parse(config.read_text()).root.value
    assert written["Name"] == "changed meanwhile" and written["AuthenticationEnabled"] is True


COMPOSE = [
    ("How do you want to start?", "2"),  # New Docker compose deployment
    ("Allow access from other machines", "y"), ("Networks allowed through the firewall", "10.0.0.0/8"),
    (USER_ADDED, "add"), ("Name", "admin"), ("Role", "admin"), ("Networks it may come from", "127.0.0.1/32"),
    (USER_ADDED, "add"), ("Name", "viewer"), (USER_ADDED, "done"),
    ("How clients reach Orthanc over TLS", "reverse-proxy"), ("Public host name", "pacs.example.org"),
    ("Modalities", "done"),
]


def test_the_start_choice_of_a_compose_deployment_writes_what_apply_deployment_compose_writes(in_tmp):
    code, out = run_script([*COMPOSE, ("Write these files?", "write")])
    assert code == 0, out
    written = files_of(in_tmp / "out")
    assert b"image: \"orthancteam/orthanc:" in written["docker-compose.yml"]
    assert b"Long" not in written["docker-compose.yml"] and b'"viewer"' in written["orthanc-passwords.json"]
    other = in_tmp / "other"
    other.mkdir()
    for name in ("docker-compose.yml", "orthanc-passwords.json", "orthanc-harden.jsonc", "orthanc.json"):
        (other / name).write_bytes(written[name])  # the passwords an earlier run wrote are kept
    assert cli.main(["apply", "--preset", str(in_tmp / "out" / "orthanc-harden.jsonc"), "--deployment", "compose",
                     "--out", str(other)]) == 0
    assert files_of(other) == written
