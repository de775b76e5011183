"""How a password is obtained: generated, typed (masked), from an environment variable, kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet

from wizard.tui import describe
from wizard.tui.widgets.fields import Choices

HINTS = {"type": "the password (masked)", "env": "VARIABLE_NAME"}


class PasswordInput(Vertical):
    """The mode as radio buttons, and below them the password or the variable's name."""

    def __init__(self, spec, modes: tuple[str, ...], id: str) -> None:
        super().__init__(id=id, classes="password")
        self.modes = modes
        self.mode = describe.password_mode(spec)
        self.initial = spec if isinstance(spec, str) else spec.get("env", "")

    def compose(self) -> ComposeResult:
        with Choices(compact=True, id=f"{self.id}-mode"):
            for mode in self.modes:
                yield RadioButton(describe.PASSWORD_LABELS[mode], value=mode == self.mode)
        yield Input(self.initial, compact=True, id=f"{self.id}-text")

    def on_mount(self) -> None:
        self._show()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.mode = self.modes[event.index]
        self._show()  # the event goes on up: the dialog checks the item again

    def _show(self) -> None:
        text = self.query_one(Input)
        text.display = self.mode in HINTS
        text.password = self.mode == "type"
        text.placeholder = HINTS.get(self.mode, "")

    @property
    def spec(self):
        return describe.password_spec(self.mode, self.query_one(Input).value)
