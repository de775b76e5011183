"""The sidebar: every step with its state, and the live findings of the current answers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wizard.tui.describe import STATE_ICONS
from wizard.tui.messages import Picked

STATE_STYLES = {"untouched": "dim", "answered": "green", "problems": "bold red", "skipped": "dim"}
SHOWN_FINDINGS = 3
FINDING_WIDTH = 52  # two lines of the sidebar


class Sidebar(Vertical):
    """Enter (or a click) on a step posts Picked; the screen decides whether it may go there."""

    def __init__(self, steps: list[tuple[str, str]]) -> None:
        super().__init__(id="sidebar")
        self.steps = steps

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(title, id=step) for step, title in self.steps), id="steps")
        yield Static("", id="findings")

    def show(self, states: dict[str, str], current: str, problems: list[str], warnings: list[str] | None) -> None:
        """warnings is None before the answers exist (on the start screen): no findings yet."""
        steps = self.query_one("#steps", OptionList)
        for index, (step, title) in enumerate(self.steps):
            steps.replace_option_prompt_at_index(index, _prompt(title, states.get(step), step == current))
        ids = [step for step, _ in self.steps]
        steps.highlighted = ids.index(current) if current in ids else None
        self.query_one("#findings", Static).update(_findings(problems, warnings) if warnings is not None else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Picked(event.option.id))


def _prompt(title: str, state: str | None, current: bool) -> Text:
    icon = Text(STATE_ICONS[state] if state else " ", style=STATE_STYLES.get(state, ""))
    return Text.assemble(icon, "▸ " if current else "  ", Text(title, style="bold" if current else ""))


def _findings(problems: list[str], warnings: list[str]) -> Text:
    if not problems and not warnings:
        return Text("Findings: ✓ none", style="green")
    counts = [f"✗ {len(problems)} problem{'s' * (len(problems) != 1)}"] if problems else []
    counts += [f"! {len(warnings)} warning{'s' * (len(warnings) != 1)}"] if warnings else []
    text = Text.assemble(("Findings: ", "bold"), (" · ".join(counts), "red" if problems else "yellow"))
    for line in (problems + warnings)[:SHOWN_FINDINGS]:
        short = line if len(line) <= FINDING_WIDTH else line[:FINDING_WIDTH - 1] + "…"
        text.append("\n• " + short, style="dim")
    return text
