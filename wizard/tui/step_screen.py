"""What every step's screen shares: the title bar, the sidebar, a status line and the footer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from wizard.flow import REVIEW, START, Flow
from wizard.tui.widgets.keybar import KeyBar
from wizard.tui.widgets.sidebar import Sidebar

APP_NAME = "orthanc-harden"


class StepScreen(Screen):
    """A step of the flow; subclasses compose the main area and refresh what depends on answers."""

    AUTO_FOCUS = None  # each step focuses its first question itself, not the sidebar

    def __init__(self, flow: Flow) -> None:
        super().__init__()
        self.flow = flow

    def heading(self) -> str:
        return ""

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble((APP_NAME, "bold"), "  ", self.heading()), id="titlebar")
        with Horizontal(id="body"):
            yield Sidebar(steps(self.flow))
            with Vertical(id="main"):
                yield from self.compose_main()
        yield KeyBar()

    def compose_main(self) -> ComposeResult:
        yield from ()

    def compose_actions(self, *buttons: Button) -> ComposeResult:
        """The status line on a row of its own (shown when there is something to say, so a long
        message is not squeezed beside the buttons at 80 columns), then the buttons."""
        with Vertical(id="actions"):
            yield Static("", id="status", markup=False)
            with Horizontal(id="nav"):
                yield Static("", classes="spacer")
                yield from buttons

    def on_mount(self) -> None:
        self.refresh_state()

    def refresh_state(self) -> None:
        """Redraw what depends on the answers: the sidebar's states and the findings."""
        flow = self.flow
        states = {name: flow.topic_state(name) for name in flow.topics} if flow.origin else {}
        findings = flow.findings() if flow.origin else None
        problems = [flow.label(p) for p in findings.problems] if findings else []
        self.query_one(Sidebar).show(states, flow.step, problems, findings.warnings if findings else None)

    def say(self, message: str, error: bool = True) -> None:
        """Show a message on the status line (why a move is blocked, what was saved)."""
        status = self.query_one("#status", Static)
        status.update(Text(("✗ " if error else "✓ ") + message, style="red" if error else "green"))
        status.display = True
        if error:
            self.app.bell()


    def clear_status(self) -> None:
        status = self.query_one("#status", Static)
        status.update("")
        status.display = False


def steps(flow: Flow) -> list[tuple[str, str]]:
    topics = [(name, topic.TITLE) for name, topic in flow.topics.items()]
    return [(START, "Start"), *topics, (REVIEW, "Review and write")]
