"""Save the answers as a profile (no secrets) that `orthanc-harden apply --preset` replays."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from wizard import harden
from wizard.errors import BadInput
from wizard.flow import Flow
from wizard.tui.widgets.keybar import KeyBar
from wizard.tui.widgets.entry import Entry


class SaveScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, flow: Flow) -> None:
        super().__init__()
        self.flow = flow

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog", classes="dialog"):
            yield Static("Save the answers as a profile", classes="dialog-title")
            yield Static("Passwords are not saved: generated ones stay generated, typed ones become "
                         "'keep the current one'.", classes="dim")
            with Horizontal(classes="dialog-row"):
                yield Label("File", classes="dialog-label")
                yield Entry(harden.ANSWERS_FILE, id="path", compact=True)
            yield Static("", id="dialog-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="ok", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.save() if event.button.id == "ok" else self.dismiss(None)

    def save(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip() or harden.ANSWERS_FILE)
        try:
            self.flow.save_answers(path)
        except BadInput as error:
            self.query_one("#dialog-status", Static).update(f"✗ {error.problems[0]}")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
