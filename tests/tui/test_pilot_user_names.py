"""The user dialog refuses names nobody could log in as (spaces around them, control characters),
and every dialog keeps every key of a burst (a paste, a fast typist): a Tab moves on before the next key lands."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.tui.conftest import build_app
from tests.tui.drive import add_item, dialog_type, on_screen, press
from tests.tui.plain_driver import run_script
from wizard.tui.modality_screen import ModalityScreen
from wizard.tui.user_screen import UserScreen


async def open_user_dialog(pilot) -> None:
    await press(pilot, "enter", "ctrl+n", "ctrl+n")
    assert pilot.app.flow.step == "authentication"
    await add_item(pilot, "authentication.users")
    assert isinstance(pilot.app.screen, UserScreen) and pilot.app.focused.id == "name"


def burst(app, text: str) -> None:
    """Keys as a terminal delivers them when they come faster than the app handles them."""
    for char in text:
        key = {"\t": "tab", " ": "space", "\x7f": "backspace"}.get(char, char)
        app.post_message(events.Key(key, None if key in ("tab", "backspace") else char))


async def test_a_tab_typed_in_a_burst_moves_on_before_the_next_keys_land(in_tmp):
    app = build_app(preset="intranet")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_user_dialog(pilot)
        burst(app, "radiologist\t\t10.0.0.0/8")  # name, Tab to the role, Tab to the networks
        await pilot.pause(0.5)
        assert app.screen.query_one("#name", Input).value == "radiologist"
        assert app.screen.query_one("#from", Input).value == "10.0.0.0/8"
        assert app.focused.id == "from"


async def test_a_user_name_ending_with_a_space_is_refused_with_the_reason(in_tmp):
    app = build_app(preset="intranet")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_user_dialog(pilot)
        await dialog_type(pilot, "name", "radiologist ")
        shown = on_screen(pilot, "#problems-name")
        assert "must not start or end with a space" in shown, shown
        await press(pilot, "backspace")
        assert on_screen(pilot, "#problems-name") == ""


async def test_a_control_character_in_a_user_name_is_refused(in_tmp):
    app = build_app(preset="intranet")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_user_dialog(pilot)
        app.screen.query_one("#name", Input).value = "radio\x07logist"  # as a paste may bring it
        await pilot.pause()
        assert "control character" in on_screen(pilot, "#problems-name")


def test_the_plain_mode_refuses_a_user_name_with_a_trailing_space_and_says_why(in_tmp, capsys):
    steps = [("How do you want to start?", "new"), ("Users and roles: ", "add"), ("Name", "radiologist ")]
    code, out = run_script(steps, terminal=True)  # at a terminal: said, and asked again
    assert "Name: radiologist \n  ✗ 'radiologist ': a user name must not start or end with a space" in out
    assert code == 2 and not (in_tmp / "out").exists()
    code, out = run_script(steps)  # piped: the refusal ends the run, naming the answer
    said = out + "".join(capsys.readouterr())
    assert code == 2 and "'radiologist ': a user name must not start or end with a space" in said


async def test_a_burst_into_the_modality_dialog_keeps_every_field_apart(in_tmp):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+t", *["down"] * 8, "enter")
        await press(pilot, "a")
        assert isinstance(app.screen, ModalityScreen) and app.focused.id == "name"
        burst(app, "ct1\tCT1\t10.0.0.10\t\x7f\x7f\x7f104")  # name, AET, address, port
        await pilot.pause(0.5)
        values = {key: app.screen.query_one(f"#{key}", Input).value for key in ("name", "aet", "host", "port")}
        assert values == {"name": "ct1", "aet": "CT1", "host": "10.0.0.10", "port": "104"}
