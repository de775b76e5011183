"""How a password is obtained: generated, typed (masked, twice), from an environment variable, kept.

Typed: the password and the same again, masked, with its strength below. From a variable: its
name, and whether it is set in the wizard's environment; when it is not, its value may be typed
(twice) for this run only, instead of quitting to export it.
"""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from wizard.tui import describe
from wizard.tui.widgets.fields import Choices
from wizard.tui.widgets.entry import Entry
from wizard.tui.widgets.marks import Radio

HINTS = {"type": "the password (masked)", "env": "the variable's name, e.g. PACS_ADMIN_PASSWORD"}


class PasswordInput(Vertical):
    """The mode as radio buttons, and below them what that mode needs."""

    def __init__(self, spec, modes: tuple[str, ...], id: str, rate=None) -> None:
        super().__init__(id=id, classes="password")
        self.modes = modes
        self.mode = describe.password_mode(spec)
        self.name_given = spec.get("env", "") if isinstance(spec, dict) else ""
        self.typed = spec if isinstance(spec, str) else ""
        self.rate = rate  # password → what to say of its strength; None: not rated (a peer's)

    def compose(self) -> ComposeResult:
        with Choices(compact=True, id=f"{self.id}-mode"):
            for mode in self.modes:
                yield Radio(describe.PASSWORD_LABELS[mode], value=mode == self.mode)
        yield Entry(self.name_given, compact=True, id=f"{self.id}-text", placeholder=HINTS["env"])
        yield Static("", id=f"{self.id}-said", classes="password-said", markup=False)
        yield Entry(self.typed, compact=True, password=True, id=f"{self.id}-secret")
        yield Entry(self.typed, compact=True, password=True, id=f"{self.id}-again", placeholder="the same again")
        yield Static("", id=f"{self.id}-strength", classes="password-said", markup=False)

    def on_mount(self) -> None:
        self.show()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.mode = self.modes[event.index]
        self.show()  # the event goes on up: the dialog checks the item again

    def _input(self, part: str) -> Input:
        return self.query_one(f"#{self.id}-{part}", Input)

    def show(self) -> None:
        """Show the inputs the mode needs, and what is known of the password or the variable."""
        name = self._input("text").value
        missing = self.mode == "env" and bool(name) and not os.environ.get(name)
        self._input("text").display = self.mode == "env"
        secret = self._input("secret")
        secret.display = self._input("again").display = self.mode == "type" or missing
        secret.placeholder = f"value of ${name} for this run (not saved)" if missing else HINTS["type"]
        typed = self._input("secret").value
        self._say("said", self._variable(name, missing))
        self._say("strength", self.rate(typed) if typed and secret.display and self.rate is not None else "")

    def _say(self, part: str, text: str) -> None:
        said = self.query_one(f"#{self.id}-{part}", Static)
        said.update(text)
        said.display = bool(text)

    def _variable(self, name: str, missing: bool) -> str:
        if self.mode != "env" or not name:
            return ""
        if not missing:
            return f"✓ ${name} is set in this environment: read when the files are written"
        return f"! the value typed below is for this run only, never saved: export ${name} for later runs of apply"

    @property
    def spec(self):
        text = self._input("text").value if self.mode == "env" else self._input("secret").value
        return describe.password_spec(self.mode, text)

    @property
    def provided(self) -> dict[str, str]:
        """The value typed for a variable that is not set: {name: value}, or {}."""
        name, value = self._input("text").value, self._input("secret").value
        if self.mode == "env" and name and value and not os.environ.get(name):
            return {name: value}
        return {}

    def mismatch(self, finished: bool) -> bool:
        """Whether the two masked inputs, shown, differ (once the second is typed, or finished)."""
        secret, again = self._input("secret"), self._input("again")
        return secret.display and (finished or bool(again.value)) and secret.value != again.value
