"""The sidebar: every step with its state, and the live findings of the current answers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wizard.tui.describe import STATE_ICONS
from wizard.tui.messages import Picked

STATE_STYLES = {"untouched": "dim", "answered": "green", "problems": "bold red", "skipped": "dim"}
LEGEND = Text.assemble(("○", "dim"), " open ", ("●", "green"), " done ", ("✗", "bold red"), " fix ",
                       ("–", "dim"), " skipped")


class Sidebar(Vertical):
    """Enter (or a click) on a step posts Picked; the screen decides whether it may go there."""

    def __init__(self, steps: list[tuple[str, str]]) -> None:
        super().__init__(id="sidebar")
        self.steps = steps

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(title, id=step) for step, title in self.steps), id="steps")
        yield Static(LEGEND, id="legend")
        with VerticalScroll(id="findings"):  # every finding whole, wrapped; scrolled when many
            yield Static("", id="findings-text")

    def show(self, states: dict[str, str], current: str, problems: list[str], warnings: list[str] | None) -> None:
        """warnings is None before the answers exist (on the start screen): no findings yet."""
        steps = self.query_one("#steps", OptionList)
        for index, (step, title) in enumerate(self.steps):
            steps.replace_option_prompt_at_index(index, _prompt(title, states.get(step), step == current))
        ids = [step for step, _ in self.steps]
        steps.highlighted = ids.index(current) if current in ids else None
        self.query_one("#findings-text", Static).update(findings_text(problems, warnings) if warnings is not None else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Picked(event.option.id))


def _prompt(title: str, state: str | None, current: bool) -> Text:
    icon = Text(STATE_ICONS[state] if state else " ", style=STATE_STYLES.get(state, ""))
    return Text.assemble(icon, "▸ " if current else "  ", Text(title, style="bold" if current else ""))


def findings_text(problems: list[str], warnings: list[str]) -> Text:
    """The count of each kind, then every problem and warning, each on its own wrapped lines."""
    if not problems and not warnings:
        return Text("Findings: ✓ none", style="green")
    counts = [f"✗ {len(problems)} problem{'s' * (len(problems) != 1)}"] if problems else []
    counts += [f"! {len(warnings)} warning{'s' * (len(warnings) != 1)}"] if warnings else []
    text = Text.assemble(("Findings: ", "bold"), (" · ".join(counts), "red" if problems else "yellow"))
    for mark, style, lines in (("✗", "red", problems), ("!", "yellow", warnings)):
        for line in lines:
            text.append(f"\n{mark} ", style=style)
            text.append(line, style="dim")
    return text
