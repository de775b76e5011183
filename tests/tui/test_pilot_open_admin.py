"""An admin the edited configuration gave full access from any address, on a server other machines
reach, is a finding (OH-AUTH-011) and a question before leaving Authentication, in the wizard and
in --plain: keep it, limit it to this host, make it read-only, or remove it (issue 18, item 5)."""

from __future__ import annotations

from tests.tui.conftest import build_app
from tests.tui.drive import add_item, dialog_ok, dialog_type, press
from tests.tui.plain_driver import run_script
from wizard import harden
from wizard.tui.admin_screen import AdminScreen

CONFIG = ('{"RemoteAccessAllowed": true, "AuthenticationEnabled": true, '
          '"RegisteredUsers": {"radiologist": "Xk29-reads-images-4u", "orthanc": "orthanc"}}')


def users(flow) -> list[tuple[str, str, list[str]]]:
    return [(u["name"], u["role"], u["from"]) for u in flow.value("authentication.users")]


async def test_leaving_authentication_asks_about_each_inherited_admin_and_the_checklist_logs_in_with_the_chosen_one(in_tmp):
    (in_tmp / "conf").mkdir()
    (in_tmp / "conf" / "orthanc.json").write_text(CONFIG)
    app = build_app(config=str(in_tmp / "conf"), out=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n")
        assert app.flow.step == "authentication"
        assert "OH-AUTH-011" in "\n".join(app.flow.findings().warnings)
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "admin")
        await press(pilot, "tab", "right", "right", "space")  # role: admin
        await dialog_type(pilot, "from", "127.0.0.1/32")
        await dialog_ok(pilot)
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, AdminScreen) and app.screen.user == "radiologist"
        assert app.focused.id == "admin-keep"  # who can reach the server changes only when asked
        await press(pilot, "escape")  # decide later: stays on the topic
        assert app.flow.step == "authentication" and not isinstance(app.screen, AdminScreen)
        await press(pilot, "ctrl+n", "r")  # radiologist: read-only
        assert isinstance(app.screen, AdminScreen) and app.screen.user == "orthanc"
        await press(pilot, "k")  # orthanc: kept as it is
        assert app.flow.step == "https"
        assert users(app.flow) == [("radiologist", "read-only", []), ("orthanc", "admin", []),
                                   ("admin", "admin", ["127.0.0.1/32"])]
        await press(pilot, "ctrl+p", "ctrl+n")  # decided once: not asked again
        assert app.flow.step == "https"
        prepared = app.flow.prepare()
        kept = [f.message for f in prepared.plan.findings if f.id == "OH-AUTH-011"]
        assert kept == ["user 'orthanc' has full access and may log in from any address that reaches the server"]
        checklist = prepared.plan.files[harden.CHECKLIST_FILE].text
        assert "curl -sfu admin http://127.0.0.1:8042/system" in checklist and "curl -sfu orthanc" not in checklist


async def test_the_review_asks_too_when_it_is_opened_from_an_earlier_topic(in_tmp):
    (in_tmp / "conf").mkdir()
    (in_tmp / "conf" / "orthanc.json").write_text(CONFIG)
    app = build_app(config=str(in_tmp / "conf"), out=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+r")
        assert isinstance(app.screen, AdminScreen)
        await press(pilot, "l", "d")  # radiologist: this host only; orthanc: removed
        assert app.flow.step == "review"
        assert users(app.flow) == [("radiologist", "admin", ["127.0.0.1/32"])]


def test_the_plain_mode_asks_the_same_question(in_tmp):
    (in_tmp / "orthanc.json").write_text(CONFIG)
    steps = [("How do you want to start?", "edit"), ("User 'radiologist': an admin from any address", "read-only"),
             ("User 'orthanc': an admin from any address", "localhost"), ("Write these files?", "no")]
    code, out = run_script(steps, out=None, config=str(in_tmp / "orthanc.json"))
    assert code == 0, out
    assert "  ! " + str(in_tmp / "orthanc.json") + " gives 'radiologist' full access" in out
    assert "  1. Keep it: full access from any address\n  2. Restrict it to this host (127.0.0.1/32)\n" in out
    assert "users: radiologist (read-only), orthanc (admin, from 127.0.0.1/32)" in out
