"""What to do with an admin the configuration being edited gave full access from any address, on
a server other machines reach (OH-AUTH-011): keep it, limit it to this host, make it read-only, or
remove it. Asked once per such user, before leaving Authentication or opening the review."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wizard.flow import ADMIN_CHOICES
from wizard.tui.widgets.keybar import KeyBar

KEYS = {"keep": "k", "localhost": "l", "read-only": "r", "remove": "d"}


class AdminScreen(ModalScreen[str | None]):
    """One button a choice, each with its key; Escape decides nothing and stays on the topic."""

    BINDINGS = [*(Binding(key, f"choose('{choice}')", label, show=False)
                  for (choice, label), key in zip(ADMIN_CHOICES, KEYS.values())),
                Binding("escape", "dismiss(None)", "Decide later")]

    def __init__(self, name: str, where: str) -> None:
        super().__init__()
        self.user, self.where = name, where

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-dialog", classes="dialog"):
            yield Static(f"User “{self.user}”: an admin from any address", classes="dialog-title")
            yield Static(f"{self.where} gives {self.user!r} full access (Orthanc gives every registered user "
                         "that without a filter), and other machines reach this server: its password alone "
                         "guards everything. What should it be? Nothing is written before the review.")
            with Vertical(classes="admin-choices"):
                for choice, label in ADMIN_CHOICES:
                    yield Button(f"{label} ({KEYS[choice]})", action=f"screen.choose('{choice}')", compact=True,
                                 id=f"admin-{choice}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#admin-keep", Button).focus()  # who can reach the server changes only when asked

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
