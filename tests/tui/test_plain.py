"""The line-by-line mode asks the same questions with questionary and writes what `apply` writes."""

from __future__ import annotations

import subprocess
import sys

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.tui.conftest import apply_like, files_of
from wizard.commands.interactive import starts
from wizard.tui import prompts

ENTER, DOWN, CLEAR, SPACE = "\r", "\x1b[B", "\x15", " "
DEFAULTS = ENTER  # accept the proposed answer


def run_plain(keys: str, preset=None, out="out") -> int:
    origins, chosen = starts(preset, None, out, debian=None)
    with create_pipe_input() as typed:
        typed.send_text(keys)
        typed.close()  # the end of the input quits, as Ctrl+D would
        with create_app_session(input=typed, output=DummyOutput()):
            return prompts.run(origins, chosen)


def add_user(name: str, role_steps: int, networks: str) -> str:
    return DOWN + ENTER + name + ENTER + DOWN * role_steps + ENTER + networks + ENTER + ENTER


INTRANET = "".join([
    ENTER,  # New configuration
    DEFAULTS * 5,  # release, service user, group, folders
    ENTER, ENTER, "y", "10.0.0.0/8, 192.168.0.0/16" + ENTER,  # network: remote access on
    ENTER, add_user("admin", 2, "127.0.0.1/32"), add_user("viewer", 0, ""), ENTER,  # then Done
    DOWN * 2 + ENTER, CLEAR + "pacs.example.org" + ENTER, DEFAULTS * 3,  # https: reverse-proxy
    DEFAULTS * 3, DEFAULTS * 2, DEFAULTS * 2 + ENTER, DEFAULTS,  # web, limits, outgoing, storage
    DEFAULTS * 5, DEFAULTS * 6,  # dicom: on, AET, port, both checks, no always-allow
    DOWN + ENTER + "ct1" + ENTER + "CT1" + ENTER + "10.0.0.10" + ENTER + ENTER + DOWN * 5 + SPACE + ENTER,
    ENTER,  # the kinds it may store: any (1.10.1 cannot refuse a kind to one modality)
    ENTER, DEFAULTS,  # modalities done, no DICOM TLS
    DEFAULTS * 2, DEFAULTS,  # scripting, logs
    ENTER,  # Write
])


def test_the_plain_mode_writes_what_apply_writes(in_tmp, capsys):
    assert run_plain(INTRANET) == 0
    out = capsys.readouterr().out
    assert "+++ out/orthanc.json" in out and "wrote: orthanc.json" in out
    written = files_of(in_tmp / "out")
    assert b'"CT1"' in written["orthanc.json"] and b'"viewer"' in written["orthanc.json"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")


def test_the_plain_mode_asks_again_until_the_answer_is_valid(in_tmp, capsys):
    keys = ENTER + DEFAULTS * 5 + ENTER + CLEAR + "70000" + ENTER + CLEAR + "8043" + ENTER
    assert run_plain(keys) == 0  # the input ends before the review: quit, nothing written
    assert run_plain(keys) == 0
    assert not (in_tmp / "out").exists()
    assert "Quit: nothing was written." in capsys.readouterr().out


def test_a_password_from_an_unset_variable_is_asked_for_this_run_and_checked(in_tmp, monkeypatch, capsys):
    monkeypatch.setenv("NO_SUCH_PASSWORD", "")
    monkeypatch.delenv("NO_SUCH_PASSWORD")  # unset now, and unset again after the test
    keys = "".join([ENTER, DEFAULTS * 5, DEFAULTS * 4, DEFAULTS,
                    DOWN + ENTER + "admin" + ENTER + ENTER + ENTER + DOWN + ENTER + "NO_SUCH_PASSWORD" + ENTER,
                    "short" + ENTER, CLEAR + "violet-anchor-57-tundra" + ENTER, "violet-anchor-57-tundra" + ENTER,
                    ENTER, ENTER * 40])
    assert run_plain(keys) == 0
    out = capsys.readouterr().out
    assert "$NO_SUCH_PASSWORD is not set in the wizard's environment: its value, typed now, is for this run only" in out
    written = files_of(in_tmp / "out")
    assert b"violet-anchor-57-tundra" in written["orthanc.json"]
    assert b"violet-anchor-57-tundra" not in written["orthanc-harden.jsonc"]
    assert b'"env": "NO_SUCH_PASSWORD"' in written["orthanc-harden.jsonc"]


def test_without_a_terminal_the_wizard_asks_line_by_line(in_tmp):
    # On this Debian host editing /etc/orthanc is offered first: one line down is a new configuration.
    done = subprocess.run([sys.executable, "-m", "wizard", "--out", "piped"], input=DOWN + INTRANET,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "wrote: orthanc.json" in done.stdout
    assert "generated passwords for user admin, user viewer" in done.stdout  # never printed to a pipe
    assert (in_tmp / "piped" / "orthanc.json").exists()


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
    origins, chosen = starts(None, str(folder), None, debian=None)
    with create_pipe_input() as typed:
        typed.send_text(ENTER * 200)  # every default; Write; yes, read it again; Write
        typed.close()
        with create_app_session(input=typed, output=DummyOutput()):
            assert prompts.run(origins, chosen) == 0
    captured = capsys.readouterr()
    assert "changed on disk since orthanc-harden read it: nothing was written" in captured.err
    wrote = [line for line in captured.out.splitlines() if line.startswith("wrote: ")]
    assert len(calls) == 2 and len(wrote) == 1 and "orthanc.json" in wrote[0]
    written = document.parse(config.read_text()).root.value
    assert written["Name"] == "changed meanwhile" and written["AuthenticationEnabled"] is True
