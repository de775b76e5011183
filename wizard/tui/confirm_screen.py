"""A yes-or-no question before losing answers: quitting, or starting over from another origin."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wizard.tui.widgets.keybar import KeyBar

UNSAVED = "Your answers are neither written nor saved: they will be lost. Nothing has been written."


class ConfirmScreen(ModalScreen[bool]):
    """y confirms, n or Escape cancels; the safe answer has the focus."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, title: str, text: str, yes: str) -> None:
        super().__init__()
        self.title_text, self.text, self.yes = title, text, yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.text)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", action="screen.answer(True)", variant="error", compact=True, id="yes")
                yield Button("Stay (n)", action="screen.answer(False)", compact=True, id="no")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def quitting() -> ConfirmScreen:
    return ConfirmScreen("Quit without writing?", UNSAVED, "Quit")


def starting_over(label: str) -> ConfirmScreen:
    return ConfirmScreen(f"Start over from “{label}”?", UNSAVED, "Start over")


def vanishing(title: str, value: bool, topics: list[str]) -> ConfirmScreen:
    """A switch whose new position makes whole topics stop applying (the HTTP server off)."""
    turn = "on" if value else "off"
    names = ", ".join(topics[:-1]) + f" and {topics[-1]}" if len(topics) > 1 else topics[0]
    return ConfirmScreen(f"Turn {turn} “{title}”?",
                         f"{names} would no longer apply (– in the sidebar): their questions are skipped. "
                         "Nothing is written before the review.", f"Turn {turn}")


def removing(noun: str, name: str) -> ConfirmScreen:
    return ConfirmScreen(f"Remove the {noun} “{name}”?", f"The {noun} and everything given for it go from the "
                         "answers. Nothing is written before the review.", "Remove")


def writing(out_dir, names: list[str], in_place: bool) -> ConfirmScreen:
    """The last question before files change: which ones, where, and that backups are kept."""
    where = f"{out_dir}, in place (each changed file is first copied to a .bak beside it)" if in_place else str(out_dir)
    return ConfirmScreen("Write these files?", f"Into {where}: {', '.join(names) or 'nothing changes'}. "
                         "Orthanc reads them at its next restart (the checklist says how).", "Write")
