"""Radio buttons and checkboxes whose state reads without colour: Textual draws the same ● for
on and off and tells them apart by colour only, which a monochrome terminal, a screen reader's
text or a log of the screen loses."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Radio(RadioButton):
    """● chosen, ○ not."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's name for the mark)
        return "●" if self.value else "○"


class Box(Checkbox):
    """✓ ticked, a blank not."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return "✓" if self.value else " "
