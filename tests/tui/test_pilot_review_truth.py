"""The review tells the truth of the final answers every time it opens: answers changed after a
first review change its notes (issue 18, item 4)."""

from __future__ import annotations

from textual.widgets import RichLog

from tests.tui.conftest import build_app
from tests.tui.test_pilot_review import open_tab
from tests.tui.drive import add_item, dialog_ok, dialog_type, focus_id, focus_question, on_screen, press

CONFIG = ('{"RemoteAccessAllowed": true, "AuthenticationEnabled": true, '
          '"RegisteredUsers": {"radiologist": "Xk29-reads-images-4u", "orthanc": "orthanc"}}')


async def notes(pilot) -> str:
    """The Notes tab's lines (a log is filled once shown), then back to the Summary tab."""
    await open_tab(pilot, 4)
    lines = "\n".join(strip.text for strip in pilot.app.screen.query_one("#notes", RichLog).lines)
    await press(pilot, "shift+tab", *["left"] * 4)
    return lines


async def go_to(pilot, step: str) -> None:
    """Through the list of topics (Ctrl+T), as the admin would."""
    flow = pilot.app.flow
    moves = flow.steps.index(step) - flow.steps.index(flow.step)
    await press(pilot, "ctrl+t", *["down" if moves > 0 else "up"] * abs(moves), "enter")
    assert flow.step == step


async def test_answers_changed_after_a_first_review_change_what_the_review_says(in_tmp):
    (in_tmp / "conf").mkdir()
    (in_tmp / "conf" / "orthanc.json").write_text(CONFIG)
    app = build_app(config=str(in_tmp / "conf"), out=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter", "ctrl+r", "k", "k")  # both inherited admins kept as they are, when asked
        assert app.flow.step == "review"
        assert "would keep user 'radiologist' as admin" in await notes(pilot)
        assert "would keep network.remote_access = true" in await notes(pilot)

        await go_to(pilot, "authentication")
        await focus_question(pilot, "authentication.users")
        await press(pilot, "home", "enter")  # edits the first user, radiologist
        await focus_id(pilot, "role")
        await press(pilot, "left", "left", "space")  # admin → read-only
        await dialog_ok(pilot)
        await add_item(pilot, "authentication.users")
        await dialog_type(pilot, "name", "admin")
        await press(pilot, "tab", "right", "right", "space")  # role: admin
        await dialog_type(pilot, "from", "127.0.0.1/32")
        await dialog_ok(pilot)
        assert [(u["name"], u["role"]) for u in app.flow.value("authentication.users")] == [
            ("radiologist", "read-only"), ("orthanc", "admin"), ("admin", "admin")]
        await go_to(pilot, "https")
        await focus_question(pilot, "https.mode")
        await press(pilot, "right", "right", "space")  # reverse-proxy
        assert app.flow.value("https.mode") == "reverse-proxy"
        await focus_question(pilot, "https.server_name")
        await press(pilot, *"pacs.hospital.org")
        await go_to(pilot, "dicom")
        await add_item(pilot, "dicom.modalities")
        for widget_id, text in (("name", "ct1"), ("aet", "CT1"), ("host", "10.20.0.5")):
            await dialog_type(pilot, widget_id, text)
        await dialog_ok(pilot)

        await press(pilot, "ctrl+r")  # the review, opened again
        assert app.flow.step == "review"
        said = await notes(pilot)
        assert "user 'radiologist' as admin" not in said
        assert "user 'radiologist' loses rights: admin → read-only (answered in the wizard)" in said
        assert "network.remote_access" not in said  # RemoteAccessAllowed true → false says it instead
        assert "RemoteAccessAllowed true → false" in said
        summary = on_screen(pilot, "#summary")
        reach = summary[:summary.index("Who can reach Orthanc with these files:")]
        assert "user 'admin' gains access as admin, from 127.0.0.1/32: added to RegisteredUsers" in reach
        assert "modality 'ct1' gains DICOM access (CT1 at 10.20.0.5, may echo): added to DicomModalities" in reach
