"""One topic's questions, with the help of the focused one beside them; Next checks the answers."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import DescendantFocus
from textual.widgets import Button, Static

from wizard.errors import Problem
from wizard.flow import Flow
from wizard.tui.messages import Answered, Provided, Typed
from wizard.tui.step_screen import StepScreen
from wizard.tui.confirm_screen import vanishing
from wizard.tui.widgets.fields import BoolField, Field, field_id
from wizard.tui.widgets.help import HelpPane
from wizard.tui.widgets.kinds import field_for
from wizard.tui.widgets.tables import ListField


class TopicScreen(StepScreen):
    # `a` adds to the topic's list (users, modalities, peers) from anywhere on it but a text field,
    # not only once Tab has reached the table (11 Tabs on DICOM).
    BINDINGS = [Binding("a", "add_item", "Add", show=False)]

    def __init__(self, flow: Flow, topic: str) -> None:
        super().__init__(flow)
        self.topic = flow.topics[topic]
        self.helping = None  # the question whose help is shown

    def heading(self) -> str:
        names = list(self.flow.topics)
        return f"Topic {names.index(self.topic.NAME) + 1} of {len(names)}: {self.topic.TITLE}"

    def compose_main(self) -> ComposeResult:
        summary = (self.topic.__doc__ or "").split(":", 1)[-1].strip().rstrip(".")
        summary = summary[:1].upper() + summary[1:]
        yield Static(Text.assemble((self.topic.TITLE, "bold"), "\n", (summary, "dim")), id="topic-title")
        with Horizontal(id="work"):
            with VerticalScroll(id="form", can_focus=False):
                for question in self.topic.QUESTIONS:
                    yield field_for(question, self.flow)
                yield Static("", id="topic-problems", markup=False)
            yield HelpPane(id="help")
        yield from self.compose_actions(Button("Back", action="app.back", compact=True, id="back"),
                                        Button("Next", action="app.next", variant="primary", compact=True, id="next"))

    def on_mount(self) -> None:
        super().on_mount()
        shown = [f for f in self.query(Field) if f.display]
        if shown:
            self.show_help(shown[0].question)
            first = next((w for w in shown[0].query("*") if w.focusable), None)
            if first is not None:
                first.focus()

    def refresh_state(self) -> None:
        super().refresh_state()
        hidden = []
        for field in self.query(Field):
            field.display = field.question.shown(self.flow.answers)
            problems = self.flow.problems_of(field.question.id)
            field.show_problems([detail(p, field.question.id) for p in problems])
            field.show_note(self.flow.file_says(field.question.id))
            hidden += [] if field.display else [self.flow.label(p) for p in problems]
        self.query_one("#topic-problems", Static).update("\n".join(f"✗ {line}" for line in hidden))
        if not self.flow.topic_problems(self.topic.NAME):
            self.clear_status()
        if self.helping is not None:
            self.show_help(self.helping)

    def action_add_item(self) -> None:
        shown = [field for field in self.query(ListField) if field.display]
        if shown:
            shown[0].action_add()

    def on_answered(self, message: Answered) -> None:
        message.stop()
        question = self.flow.question(message.question_id)
        if question.kind == "bool" and (gone := self.flow.vanishing(question.id, message.value)):
            self.app.push_screen(vanishing(question.title, message.value, gone),
                                 lambda yes: self._answer(question.id, message.value) if yes else self._undo(question.id))
            return
        self._answer(message.question_id, message.value)

    def _answer(self, question_id: str, value) -> None:
        self.flow.answer(question_id, value)
        self.refresh_state()

    def _undo(self, question_id: str) -> None:
        """Put a switch back to the answer it had, without answering again."""
        field = self.query_one(f"#{field_id(question_id)}", BoolField)
        field.show_value(self.flow.value(question_id))

    def on_provided(self, message: Provided) -> None:
        message.stop()
        self.flow.provide(message.name, message.value)

    def on_typed(self, message: Typed) -> None:
        message.stop()
        self.flow.answer_text(self.flow.question(message.question_id), message.text)
        self.refresh_state()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        field = next((node for node in event.widget.ancestors_with_self if isinstance(node, Field)), None)
        if field is not None:
            self.show_help(field.question)

    def show_help(self, question) -> None:
        self.helping = question
        self.query_one(HelpPane).show(question, self.flow.value(question.id), self.flow.answers)


def detail(problem: Problem, question_id: str) -> str:
    """A problem as shown under its field: list items are named by their number."""
    rest = problem.path[len("$." + question_id):]
    item = re.match(r"\[(\d+)\]\.?([^.\[]*)", rest)
    if item:
        where = f"item {int(item[1]) + 1}" + (f", {item[2]}" if item[2] else "")
        return f"{where}: {problem.message}"
    return problem.message
