"""Keys that work where the admin is (issue 18, smaller items): `a` adds from anywhere on a topic
with a list, the review opens on its tabs so that Left and Right switch them, and radio buttons
and checkboxes show their state with a mark, not by colour alone."""

from __future__ import annotations

from textual.widgets import TabbedContent, Tabs

from tests.tui.conftest import build_app
from tests.tui.drive import focus_question, press
from wizard.tui.modality_screen import ModalityScreen
from wizard.tui.user_screen import UserScreen


async def test_a_adds_a_modality_from_the_first_question_of_the_dicom_topic(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+t", *["down"] * 8, "enter")
        assert app.flow.step == "dicom" and app.focused.id != "modalities"
        await press(pilot, "a")
        assert isinstance(app.screen, ModalityScreen)
        await press(pilot, "a")  # typed into the dialog's name, not a second dialog
        assert app.screen.query_one("#name").value == "a"


async def test_a_typed_into_a_text_field_of_a_topic_stays_a_letter(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+t", *["down"] * 8, "enter")
        await focus_question(pilot, "dicom.aet")
        await press(pilot, "end", "a")
        assert app.flow.value("dicom.aet") == "ORTHANCa" and not isinstance(app.screen, ModalityScreen)


async def test_the_review_opens_on_its_tabs_and_right_shows_the_next_one(in_tmp):
    app = build_app(preset="localhost")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+r")
        assert isinstance(app.focused, Tabs)
        await press(pilot, "right")
        assert app.screen.query_one(TabbedContent).active == "tab-diff"


async def test_a_role_and_a_password_source_show_which_is_chosen_with_a_mark(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n", "ctrl+n", "a")
        assert isinstance(app.screen, UserScreen)
        marks = [str(button.render()).strip()[:3] for button in app.screen.query("#role RadioButton")]
        assert marks == ["▐●▌", "▐○▌", "▐○▌"]  # read-only chosen
