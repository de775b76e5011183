"""Keys a person would press, wrapped for the pilot tests: every move is a key press."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button

from wizard.tui.widgets.fields import field_id

MAX_TABS = 40


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def tab_until(pilot: Pilot, found) -> None:
    """Press Tab until found(focused widget) holds."""
    for _ in range(MAX_TABS):
        if pilot.app.focused is not None and found(pilot.app.focused):
            return
        await press(pilot, "tab")
    raise AssertionError(f"Tab never reached the widget; focus is on {pilot.app.focused}")


async def focus_question(pilot: Pilot, question_id: str) -> None:
    wanted = field_id(question_id)
    await tab_until(pilot, lambda w: any(a.id == wanted for a in w.ancestors_with_self))


async def focus_id(pilot: Pilot, widget_id: str) -> None:
    await tab_until(pilot, lambda w: w.id == widget_id)


async def type_answer(pilot: Pilot, question_id: str, text: str) -> None:
    """Tab to a question's input (which selects its text) and type over it."""
    await focus_question(pilot, question_id)
    await press(pilot, *(text or ["backspace"]))


async def add_item(pilot: Pilot, question_id: str) -> None:
    """Open the dialog that adds an item to a list question, from its Add button."""
    wanted = field_id(question_id)
    await tab_until(pilot, lambda w: isinstance(w, Button) and "add" in w.classes
                    and any(a.id == wanted for a in w.ancestors))
    await press(pilot, "enter")


async def dialog_type(pilot: Pilot, widget_id: str, text: str) -> None:
    await focus_id(pilot, widget_id)
    await press(pilot, *text)


async def dialog_ok(pilot: Pilot) -> None:
    await focus_id(pilot, "ok")
    await press(pilot, "enter")


def on_screen(pilot: Pilot, selector: str) -> str:
    """The text a widget shows."""
    return str(pilot.app.screen.query_one(selector).render())
