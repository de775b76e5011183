"""One widget per question kind: a title, the control, and the problems of the answer below it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioSet, Static, Switch

from wizard.topics.base import Question
from wizard.tui.messages import Answered, Typed
from wizard.tui.widgets.entry import Entry
from wizard.tui.widgets.marks import Radio

PLACEHOLDERS = {"networks": "e.g. 10.0.0.0/8, 192.168.1.0/24", "int": "a number"}


def field_id(question_id: str) -> str:
    return "q-" + question_id.replace(".", "-")


class Field(Vertical):
    """A question; the screen sets its problems, the field posts Answered or Typed."""

    def __init__(self, question: Question, value, text: str) -> None:
        super().__init__(id=field_id(question.id), classes="field")
        self.question, self.value, self.text = question, value, text

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.question.title, classes="field-title")
            yield from self.compose_control()
        yield Static("", classes="field-problems", markup=False)
        yield Static("", classes="field-note", markup=False)

    def show_note(self, note: str | None) -> None:
        """What the configuration being edited says, when the answer differs from it."""
        for shown in self.query(".field-note").results(Static):  # list fields have none: entries say it
            shown.update(f"! {note}" if note else "")
            shown.display = bool(note)

    def compose_control(self) -> ComposeResult:
        yield from ()

    def show_problems(self, messages: list[str]) -> None:
        problems = self.query_one(".field-problems", Static)
        problems.update("\n".join(f"✗ {message}" for message in messages))
        problems.display = bool(messages)
        self.set_class(bool(messages), "-invalid")


class BoolField(Field):
    """A switch, with its state in words too (for screen readers and colourless terminals)."""

    def compose_control(self) -> ComposeResult:
        yield Switch(bool(self.value), classes="control")
        yield Label(_on_off(self.value), classes="switch-state")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.query_one(".switch-state", Label).update(_on_off(event.value))
        self.post_message(Answered(self.question.id, event.value))

    def show_value(self, value: bool) -> None:
        """Show an answer without posting it (a change the admin did not confirm, undone)."""
        switch = self.query_one(Switch)
        with switch.prevent(Switch.Changed):
            switch.value = value
        self.query_one(".switch-state", Label).update(_on_off(value))


def _on_off(value) -> str:
    return "on" if value else "off"


class InputField(Field):
    """int, text and networks: typed text, parsed and checked by the flow as it is typed."""

    def compose_control(self) -> ComposeResult:
        kind = self.question.kind
        yield Entry(self.text, placeholder=PLACEHOLDERS.get(kind, ""), compact=True, classes="control",
                    restrict=r"-?[0-9]*" if kind == "int" else None)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(Typed(self.question.id, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()


class ChoiceField(Field):
    def compose_control(self) -> ComposeResult:
        with Choices(compact=True, classes="control"):
            for choice in self.question.choices:
                yield Radio(choice, value=choice == self.value)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.post_message(Answered(self.question.id, self.question.choices[event.index]))


class Choices(RadioSet):
    """A radio set whose keyboard highlight starts on the chosen button, not the first one."""

    def on_mount(self) -> None:
        # RadioSet's own mount handler runs after this one and highlights the first button.
        self.call_after_refresh(self._start_on_chosen)

    def _start_on_chosen(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
