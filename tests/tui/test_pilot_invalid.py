"""Invalid answers are shown beside their field as they are typed, and block Next with a reason."""

from __future__ import annotations

from tests.tui.conftest import apply_like, build_app, files_of
from tests.tui.drive import focus_question, on_screen, press, type_answer
from wizard.tui.widgets.fields import field_id


def problems_of(pilot, question_id: str) -> str:
    return on_screen(pilot, f"#{field_id(question_id)} .field-problems")


async def test_an_invalid_port_and_a_long_aet_block_next_with_the_message_shown(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        await type_answer(pilot, "network.http_port", "70000")
        assert "70000 is greater than the maximum of 65535" in problems_of(pilot, "network.http_port")
        await press(pilot, "ctrl+n")
        assert app.flow.step == "network"
        assert "fix Network exposure first: 70000 is greater than the maximum" in on_screen(pilot, "#status")
        await press(pilot, "ctrl+r")  # nor straight to the review
        assert app.flow.step == "network"
        await press(pilot, "backspace", "backspace", "backspace", "backspace", "backspace")
        assert "a number is required" in problems_of(pilot, "network.http_port")
        await press(pilot, *"8043")
        assert problems_of(pilot, "network.http_port") == ""
        await press(pilot, "ctrl+n")
        assert app.flow.step == "authentication"

        await press(pilot, "ctrl+t", *["down"] * 6, "enter")  # the sidebar, from here down to DICOM
        assert app.flow.step == "dicom"
        await type_answer(pilot, "dicom.aet", "ORTHANC-PACS-MAIN")  # 17 characters
        assert "an AET is 1 to 16 characters" in problems_of(pilot, "dicom.aet")
        await press(pilot, "ctrl+n")
        assert app.flow.step == "dicom"
        assert "fix DICOM first: 'ORTHANC-PACS-MAIN': an AET is 1 to 16" in on_screen(pilot, "#status")
        await press(pilot, "backspace")
        assert problems_of(pilot, "dicom.aet") == ""
        await press(pilot, "ctrl+r", "w", "y")
        assert app.flow.step == "done"
    written = files_of(in_tmp / "out")
    assert b'"HttpPort": 8043' in written["orthanc.json"] and b'"ORTHANC-PACS-MAI"' in written["orthanc.json"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")


async def test_a_refused_answer_is_kept_as_typed_when_moving_away_and_back(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        await type_answer(pilot, "network.http_port", "0")
        await press(pilot, "ctrl+p")  # back is always allowed
        assert app.flow.step == "service"
        await press(pilot, "ctrl+n")
        assert app.flow.step == "network"
        await focus_question(pilot, "network.http_port")
        assert app.focused.value == "0"
        assert "0 is less than the minimum of 1" in problems_of(pilot, "network.http_port")
        assert app.flow.topic_state("network") == "problems"


async def test_an_http_port_equal_to_the_dicom_port_is_refused_beside_the_port_typed(in_tmp):
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+n")
        await type_answer(pilot, "network.http_port", "4242")
        said = "the HTTP server and the DICOM server would both listen on port 4242"
        assert said in problems_of(pilot, "network.http_port")
        await press(pilot, "ctrl+n")
        assert app.flow.step == "network" and said in on_screen(pilot, "#status")
        assert app.flow.topic_state("dicom") == "problems"  # named at the DICOM port too
        await press(pilot, *["backspace"] * 4, *"8042")  # still in the field
        assert problems_of(pilot, "network.http_port") == "" and app.flow.topic_state("dicom") != "problems"

        await press(pilot, "ctrl+t", *["down"] * 7, "enter")  # the sidebar, down to DICOM
        assert app.flow.step == "dicom"
        await type_answer(pilot, "dicom.port", "8042")
        assert "the DICOM server and the HTTP server would both listen on port 8042" in problems_of(pilot, "dicom.port")
        await press(pilot, "ctrl+n")
        assert app.flow.step == "dicom"
