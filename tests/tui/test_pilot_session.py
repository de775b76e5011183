"""Quitting, saving the answers, help: what happens around the questions."""

from __future__ import annotations

from textual.widgets import Markdown

from tests.tui.conftest import build_app
from tests.unit.test_profile_examples import EXAMPLES as PROFILES
from tests.tui.drive import focus_question, on_screen, press
from wizard import harden, profile
from wizard.tui.confirm_screen import ConfirmScreen
from wizard.tui.help_screen import HelpScreen

SITE_PROFILE = PROFILES / "positive" / "intranet-site.jsonc"


async def test_quitting_before_any_answer_changes_exits_at_once_and_writes_nothing(in_tmp):
    app = build_app()
    async with app.run_test() as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+q")
    assert app.return_value == 0
    assert list(in_tmp.iterdir()) == []


async def test_quitting_with_unsaved_answers_asks_first_and_never_writes(in_tmp):
    app = build_app()
    async with app.run_test() as pilot:
        await press(pilot, "enter", "ctrl+n")
        await focus_question(pilot, "network.remote_access")
        await press(pilot, "space", "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # stay: nothing is lost
        assert app.flow.step == "network" and app.flow.answers["network"]["remote_access"] is True
        await press(pilot, "ctrl+q", "y")
    assert app.return_value == 0
    assert list(in_tmp.iterdir()) == []


async def test_the_answers_saved_from_the_review_are_a_profile_without_secrets(in_tmp, monkeypatch):
    monkeypatch.setenv("VIEWER_PASSWORD", "s3cret-from-env")
    app = build_app(preset=str(SITE_PROFILE))  # intranet, with the server name a site gives
    async with app.run_test() as pilot:
        await press(pilot, "enter", "ctrl+r")
        assert app.flow.step == "review"
        await press(pilot, "s")
        await press(pilot, "end", *["backspace"] * 30, *"saved.jsonc", "enter")
        assert "answers saved to saved.jsonc" in on_screen(pilot, "#status")
        await press(pilot, "ctrl+q")  # saved: no question asked
    assert app.return_value == 0
    raw, _ = profile.load(str(in_tmp / "saved.jsonc"))
    assert profile.effective(raw) == app.flow.answers
    assert (in_tmp / "saved.jsonc").read_text() == harden.saved_answers(app.flow.answers)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["saved.jsonc"]  # and nothing else written


async def test_f1_shows_the_whole_topic_with_each_hardened_choice(in_tmp):
    app = build_app()
    async with app.run_test() as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n", "ctrl+n", "f1")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert "## How clients reach Orthanc over TLS" in text and "**Hardened choice:** none" in text
        assert "Ctrl+N" in text
        await press(pilot, "escape")
        assert app.flow.step == "https" and not isinstance(app.screen, HelpScreen)


async def test_starting_over_from_another_origin_asks_first(in_tmp):
    app = build_app()
    async with app.run_test() as pilot:
        await press(pilot, "enter", "ctrl+n")
        await focus_question(pilot, "network.remote_access")
        await press(pilot, "space", "ctrl+t", "up", "up", "enter")  # the sidebar's Start
        assert app.flow.step == "start"
        await press(pilot, "down", "enter")  # another origin: a preset
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert app.flow.origin.key == "new" and app.flow.answers["network"]["remote_access"] is True
        await press(pilot, "up", "enter")  # the same origin again: answers kept
        assert app.flow.step == "service" and app.flow.answers["network"]["remote_access"] is True


async def test_questions_whose_condition_is_false_are_hidden(in_tmp):
    app = build_app()
    async with app.run_test() as pilot:
        await press(pilot, "enter", "ctrl+n")
        port = app.screen.query_one("#q-network-http_port")
        assert port.display
        await press(pilot, "space", "y")  # the REST API off (which asks first: topics vanish)
        assert not port.display and not app.screen.query_one("#q-network-remote_access").display
        await press(pilot, "ctrl+n")
        assert app.flow.step == "limits"  # authentication, HTTPS and the web surface need HTTP
