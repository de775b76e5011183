"""The help beside a question says the hardened choice for the situation the answers describe, or
nothing where a value is the site's own (issue 18, item 6)."""

from __future__ import annotations

from tests.tui.conftest import build_app
from tests.tui.drive import focus_question, on_screen, press


async def test_the_advised_proxy_is_the_hardened_choice_of_a_remote_server_and_a_server_name_has_none(in_tmp):
    app = build_app(preset="intranet")  # remote access on, through the TLS proxy
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+t", *["down"] * 3, "enter")
        assert app.flow.step == "https" and app.flow.value("https.mode") == "reverse-proxy"
        await focus_question(pilot, "https.mode")
        help_text = on_screen(pilot, "#help-text")
        assert "Hardened choice: reverse-proxy" in help_text and "differs" not in help_text
        await press(pilot, "left", "left", "space")  # none: clear text to other machines
        assert app.flow.value("https.mode") == "none"
        assert "Hardened choice: reverse-proxy (your answer differs)" in on_screen(pilot, "#help-text")
        await press(pilot, "right", "right", "space")
        await focus_question(pilot, "https.server_name")
        help_text = on_screen(pilot, "#help-text")
        assert help_text.startswith("Public host name\n") and "Hardened choice" not in help_text
        await press(pilot, "f1")
        page = app.screen.query_one("Markdown").source
        assert "## Public host name" in page and "**Hardened choice:** (empty)" not in page
        assert "**Hardened choice:** reverse-proxy" in page


async def test_a_server_for_this_host_only_keeps_none_as_the_hardened_tls_choice_and_a_port_has_none(in_tmp):
    app = build_app(preset="localhost")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        assert app.flow.step == "network"
        await focus_question(pilot, "network.http_port")
        assert "Hardened choice" not in on_screen(pilot, "#help-text")  # 8042 is Orthanc's default, not advice
        await press(pilot, "ctrl+t", *["down"] * 2, "enter")
        assert app.flow.step == "https"
        await focus_question(pilot, "https.mode")
        assert "Hardened choice: none\n" in on_screen(pilot, "#help-text")
