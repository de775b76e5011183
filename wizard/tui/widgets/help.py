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

    def show(self, question: Question, answer) -> None:
        text = Text.assemble((question.title, "bold"), "\n",
                             ("Hardened choice: ", "bold green"), (describe.hardened(question), "green"))
        if describe.differs(question, answer):
            text.append(" (your answer differs)", style="yellow")
        text.append("\n" + question.help)
        text.append("  (F1: more)", style="dim")
        self.query_one("#help-text", Static).update(text)
        self.scroll_home(animate=False)
