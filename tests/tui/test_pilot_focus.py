"""Enter acts on what looks focused, and a switch that makes whole topics vanish asks first."""

from __future__ import annotations

from textual.widgets import Button, Switch

from tests.tui.conftest import build_app
from tests.tui.drive import focus_id, press
from wizard.tui.confirm_screen import ConfirmScreen
from wizard.tui.widgets.fields import field_id


def looks(button: Button) -> tuple:
    return button.styles.background, button.styles.color


async def test_enter_on_the_network_topic_acts_on_the_marked_switch_and_asks_before_topics_vanish(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n")  # Start, then Next: the keys
        assert app.flow.step == "network"
        screen = app.screen
        back, nxt = screen.query_one("#back", Button), screen.query_one("#next", Button)
        switch_field = screen.query_one(f"#{field_id('network.http_enabled')}")
        assert isinstance(app.focused, Switch) and app.focused in switch_field.query(Switch)
        # The focused field is the one marked; Next, not focused, looks like Back.
        assert switch_field.styles.border_left[0] != "blank"
        assert looks(nxt) == looks(back)

        await press(pilot, "enter")  # would turn the HTTP server off: asked first, "Stay" focused
        assert isinstance(app.screen, ConfirmScreen)
        said = " ".join(str(shown.render()) for shown in app.screen.query("Static"))
        assert "Authentication and users, HTTPS and Web surface would no longer apply" in said
        assert app.focused.id == "no"
        await press(pilot, "enter")  # Stay
        assert app.flow.value("network.http_enabled") is True
        assert screen.query_one(Switch).value is True
        assert [app.flow.topic_state(t) for t in ("authentication", "https", "web")] == ["untouched"] * 3

        await focus_id(pilot, "next")  # focused, Next is lit, and Enter presses it
        assert looks(nxt) != looks(back)
        await press(pilot, "enter")
        assert app.flow.step == "authentication"

        await press(pilot, "ctrl+p")
        assert app.flow.step == "network"
        await press(pilot, "space", "y")  # confirmed: the switch turns off and the topics are skipped
        assert app.flow.value("network.http_enabled") is False
        assert [app.flow.topic_state(t) for t in ("authentication", "https", "web")] == ["skipped"] * 3


async def test_a_switch_that_skips_no_topic_flips_without_a_question(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "tab", "tab", "space")  # remote access on
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.flow.value("network.remote_access") is True
