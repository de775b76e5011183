"""The dialog for one item of a list answer: its fields, their problems as typed, OK and Cancel."""

from __future__ import annotations

import copy
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from wizard.tui.widgets.keybar import KeyBar
from wizard.tui.widgets.password import PasswordInput

Check = Callable[[dict, dict[str, str]], dict[str, list[str]]]  # item, values given for unset variables


class ItemScreen(ModalScreen[dict | None]):
    """Subclasses compose their rows and collect the item; the flow's check finds the problems."""

    # Tab moves the focus as the app takes the key from the terminal, before it hands on the keys
    # that follow: without priority it reached the screen after them, and a paste of
    # "admin<Tab><Tab>127.0.0.1/32" left the whole text in the name (issue 18, item 3).
    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("tab", "app.focus_next", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", show=False, priority=True)]
    NOUN = "item"
    FIELDS: tuple[str, ...] = ()

    def __init__(self, item: dict | None, check: Check) -> None:
        super().__init__()
        self.is_new = item is None
        self.item = self.blank() if item is None else copy.deepcopy(item)
        self.check = check
        self.show_all = not self.is_new  # a new item's empty fields are not errors yet
        self.given: dict[str, str] = {}  # values typed for unset variables, once OK is pressed

    def blank(self) -> dict:
        raise NotImplementedError

    def compose_rows(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> dict:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(f"{'Add' if self.is_new else 'Edit'} a {self.NOUN}", classes="dialog-title")
            yield from self.compose_rows()
            yield Static("", id="dialog-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield KeyBar()

    def row(self, key: str, label: str, control: Widget) -> ComposeResult:
        with Horizontal(classes="dialog-row"):
            yield Label(label, classes="dialog-label")
            yield control
        yield Static("", id=f"problems-{key}", classes="field-problems", markup=False)

    def on_mount(self) -> None:
        # What the fields show at first (a new peer's "https://"): not an answer to judge yet.
        self.initial = {entry.id: entry.value for entry in self.query(Input)}
        self.validate()

    def provided(self) -> dict[str, str]:
        """Values typed for variables that passwords name and that are not set (see PasswordInput)."""
        return {name: value for password in self._passwords() for name, value in password.provided.items()}

    def _passwords(self) -> list[PasswordInput]:
        return [password for password in self.query(PasswordInput) if password.parent.display]

    def validate(self) -> dict[str, list[str]]:
        found = self.check(self.collect(), self.provided())
        for password in self._passwords():
            password.show()
            if password.mismatch(self.show_all):
                found.setdefault("password", []).append("the two passwords typed differ")
        for key in self.FIELDS:
            messages = found.get(key, []) if self.show_all or self._touched(key) else []
            problems = self.query_one(f"#problems-{key}", Static)
            problems.update("\n".join(f"✗ {m}" for m in messages))
            problems.display = bool(messages)
        other = [m for key, ms in found.items() if key not in self.FIELDS for m in ms]
        self.query_one("#dialog-status", Static).update("\n".join(f"✗ {m}" for m in other))
        return found

    def _touched(self, key: str) -> bool:
        """Whether something was typed in this field (or in the inputs it holds)."""
        field = self.query_one(f"#{key}")
        inputs = [field] if isinstance(field, Input) else list(field.query(Input))
        return any(text.value != self.initial.get(text.id, "") for text in inputs)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.validate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "ok":
            self.show_all = True
            if found := self.validate():
                count = sum(len(messages) for messages in found.values())
                self.query_one("#dialog-status", Static).update(
                    f"✗ fix the {count} problem{'s' if count > 1 else ''} above first")
                self.app.bell()
            else:
                self.given = self.provided()
                self.dismiss(self.collect())

    def action_cancel(self) -> None:
        self.dismiss(None)
