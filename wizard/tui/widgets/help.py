"""The help beside the questions: why the focused one matters, and its hardened choice."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from wizard.topics.base import Question
from wizard.tui import describe


class HelpPane(VerticalScroll, can_focus=False):
    """Shows one question's help; F1 opens the whole topic's."""

    def compose(self):
        yield Static("", id="help-text")

    def show(self, question: Question, answer, answers: dict | None = None) -> None:
        """The question, its hardened choice for the situation of `answers` (none for a value that
        is the site's own, a port or a server name), then why it matters."""
        text = Text.assemble((question.title, "bold"))
        if (choice := describe.hardened(question, answers)) is not None:
            text.append_text(Text.assemble("\n", ("Hardened choice: ", "bold green"), (choice, "green")))
            if describe.differs(question, answer, answers):
                text.append(" (your answer differs)", style="yellow")
        text.append("\n" + question.help)
        text.append("  (F1: more)", style="dim")
        self.query_one("#help-text", Static).update(text)
        self.scroll_home(animate=False)
