"""Passwords in the user dialog: a variable is checked there (with its value for this run as a way
forward), a typed password is asked twice, rated, and refused when weak with the reason."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import build_app, files_of
from tests.tui.drive import add_item, dialog_ok, dialog_type, focus_id, on_screen, press
from wizard.tui.item_screen import ItemScreen

STRONG = "violet-anchor-57-tundra"


async def choose_password_mode(pilot, downs: int) -> None:
    await focus_id(pilot, "password-mode")
    await press(pilot, *["down"] * downs, "space")


async def retype(pilot, widget_id: str, text: str) -> None:
    await focus_id(pilot, widget_id)
    pilot.app.focused.value = ""
    await press(pilot, *text)


async def test_a_variable_that_is_not_set_is_said_in_the_dialog_and_its_value_given_for_this_run(in_tmp, monkeypatch):
    monkeypatch.setenv("DRSMITH_PW", "")
    monkeypatch.delenv("DRSMITH_PW")  # unset here, and again after the test
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n")
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "drsmith")
        await choose_password_mode(pilot, 2)  # from an environment variable
        await dialog_type(pilot, "password-text", "DRSMITH_PW")
        assert "export $DRSMITH_PW for later runs of apply" in on_screen(pilot, "#password-said")
        await dialog_ok(pilot)  # refused, in the dialog, with the way forward
        assert isinstance(app.screen, ItemScreen)
        assert "$DRSMITH_PW is not set in the wizard's environment: give its value for this run" in on_screen(
            pilot, "#problems-password")
        await dialog_type(pilot, "password-secret", STRONG)
        await dialog_type(pilot, "password-again", STRONG)
        await dialog_ok(pilot)
        assert not isinstance(app.screen, ItemScreen)
        assert app.flow.answers["authentication"]["users"][0]["password"] == {"env": "DRSMITH_PW"}
        assert app.flow.topic_state("authentication") == "answered" or not app.flow.topic_problems("authentication")
        await press(pilot, "ctrl+r")
        assert app.flow.step == "review"
        app.flow.write()
    written = files_of(in_tmp / "out")
    assert STRONG.encode() in written["orthanc.json"]
    assert STRONG.encode() not in written["orthanc-harden.jsonc"]
    assert b'"env": "DRSMITH_PW"' in written["orthanc-harden.jsonc"]


async def test_a_variable_named_by_a_profile_and_not_set_marks_the_topic_before_the_review(in_tmp, monkeypatch):
    monkeypatch.setenv("DRSMITH_PW", "")
    monkeypatch.delenv("DRSMITH_PW")
    profile = in_tmp / "site.jsonc"
    profile.write_text('{"extends": "localhost", "authentication": {"users": [{"name": "admin", "role": "admin"}, '
                       '{"name": "drsmith", "role": "read-only", "password": {"env": "DRSMITH_PW"}}]}}')
    app = build_app(preset=str(profile))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n")
        assert app.flow.topic_state("authentication") == "problems"
        await press(pilot, "ctrl+n")
        assert app.flow.step == "authentication"
        assert "open the user to give its value for this run" in on_screen(pilot, "#status")


async def test_a_typed_password_is_asked_twice_rated_and_refused_when_weak_with_the_reason(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n")
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "drsmith")
        await choose_password_mode(pilot, 1)  # type it
        assert app.screen.query_one("#password-secret", Input).password  # masked, both
        assert app.screen.query_one("#password-again", Input).password
        for weak, why in (("x", "too weak: shorter than 12 characters"),
                          ("orthanc", "too weak: a well-known password"),
                          ("DrSmith", "too weak: the user's own name as password"),
                          ("aaaaaaaaaaaaaaaa", "too weak: strength 0 of 4 (zxcvbn)")):
            await retype(pilot, "password-secret", weak)
            await retype(pilot, "password-again", weak)
            await dialog_ok(pilot)
            assert isinstance(app.screen, ItemScreen), weak
            assert why in on_screen(pilot, "#problems-password"), weak
        await retype(pilot, "password-secret", STRONG)
        assert on_screen(pilot, "#password-strength").startswith("✓ strength 4 of 4 (zxcvbn): guessed in")
        await retype(pilot, "password-again", STRONG[:-1])
        await dialog_ok(pilot)
        assert "the two passwords typed differ" in on_screen(pilot, "#problems-password")
        await retype(pilot, "password-again", STRONG)
        await dialog_ok(pilot)
        assert not isinstance(app.screen, ItemScreen)
        assert app.flow.answers["authentication"]["users"][0]["password"] == STRONG
