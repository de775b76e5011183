"""The first screen: start a new configuration, edit an existing one, or start from a preset."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from wizard.flow import Flow, Origin
from wizard.notes import told
from wizard.tui import describe
from wizard.tui.messages import Started
from wizard.tui.step_screen import StepScreen

SHOWN_NOTES = 2
INTRO = ("This wizard goes through every security topic of Orthanc's configuration, in the "
         "order of its documentation. Nothing is written until you have reviewed the changes.")


class StartScreen(StepScreen):
    BINDINGS = [Binding("ctrl+n", "start", "Start")]

    def __init__(self, flow: Flow, preselect: str | None = None) -> None:
        super().__init__(flow)
        self.preselect = preselect

    def heading(self) -> str:
        return "Start"

    def compose_main(self) -> ComposeResult:
        yield Static("", id="destination", markup=False)  # first: which folder the choice writes
        yield Static(INTRO, id="intro")
        yield Static(Text("How do you want to start?", style="bold"), classes="section-title")
        options = [Option(_prompt(origin), id=origin.key) for origin in self.flow.origins]
        yield OptionList(*[part for option in options for part in (option, None)][:-1], id="origins")
        yield from self.compose_actions(Button("Start", action="screen.start", variant="primary", compact=True, id="start"))

    def on_mount(self) -> None:
        super().on_mount()
        origins = self.query_one("#origins", OptionList)
        keys = [origin.key for origin in self.flow.origins]
        chosen = self.flow.origin.key if self.flow.origin else self.preselect
        origins.highlighted = keys.index(chosen) if chosen in keys else 0
        origins.focus()
        self.show_destination(self.flow.origins[origins.highlighted].key)

    @on(OptionList.OptionHighlighted, "#origins")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.show_destination(event.option.id)

    def show_destination(self, key: str) -> None:
        self.query_one("#destination", Static).update(Text(describe.destination(self.flow.origin_by_key(key)),
                                                           style="bold"))

    @on(OptionList.OptionSelected, "#origins")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Started(event.option.id))

    def action_start(self) -> None:
        option = self.query_one("#origins", OptionList).highlighted_option
        if option is not None:
            self.post_message(Started(option.id))


def _prompt(origin: Origin) -> Text:
    text = Text.assemble((origin.label, "bold"), "\n", (origin.detail, "dim"))
    for note in told(list(origin.notes), written=False)[:SHOWN_NOTES]:  # nothing is done yet: "would"
        text.append(f"\n! {note}", style="yellow")
    if len(origin.notes) > SHOWN_NOTES:
        text.append(f"\n  ({len(origin.notes) - SHOWN_NOTES} more notes in the review)", style="yellow")
    return text
