"""The last screen: what was written, and the passwords generated, shown this once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from wizard import harden, secrets
from wizard.tui.step_screen import StepScreen


class DoneScreen(StepScreen):
    BINDINGS = [Binding("q,enter", "app.quit", "Quit", show=False)]

    def heading(self) -> str:
        return "Done"

    def compose_main(self) -> ComposeResult:
        with VerticalScroll(id="done"):
            yield Static(self.report(), id="report")
        yield from self.compose_actions(Button("Quit", action="app.quit", variant="primary", compact=True, id="quit"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#quit", Button).focus()

    def report(self) -> Text:
        prepared = self.flow.prepare()
        text = Text("Written:\n", style="bold")
        for change in prepared.changes:
            text.append(f"  {change.path}  (mode {change.mode:04o})\n", style="")
        if not prepared.changes:
            text.append(f"  nothing: {prepared.out_dir} was already up to date\n")
        for backup in prepared.backups:
            text.append(f"  backup: {backup}\n", style="dim")
        if prepared.plan.generated:
            text.append("\nGenerated passwords, shown only this once: copy them now.\n", style="bold yellow")
            for who, password in prepared.plan.generated.items():
                text.append(f"  {who}: ", style="")
                text.append(f"{password}\n", style="bold")
        if self.flow.handed is not None:
            text.append(secrets.handed_note(self.flow.handed, prepared.out_dir) + "\n")
        text.append(f"\nNext: the manual steps in {prepared.out_dir / harden.CHECKLIST_FILE}\n", style="bold")
        return text
