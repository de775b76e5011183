"""The last screen: what was written, and the passwords generated, shown this once."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from wizard import harden, secrets
from wizard.tui.step_screen import StepScreen
from wizard.tui.widgets.sidebar import Sidebar


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
        self.query_one(Sidebar).add_class("-folded")  # at 80 columns the paths need the width (Ctrl+T shows it)
        self.query_one("#quit", Button).focus()

    def report(self) -> Text:
        prepared = self.flow.prepare()
        # Each file by its name under its folder, said once: a whole path is folded mid-name at 80 columns.
        text = Text(f"Written in {prepared.out_dir}:\n", style="bold")
        for change in prepared.changes:
            text.append(f"  {_under(change.path, prepared.out_dir)}  (mode {change.mode:04o})\n", style="")
        if not prepared.changes:
            text.append(f"  nothing: {prepared.out_dir} was already up to date\n")
        if prepared.backups:
            text.append("Backups, beside the files they keep:\n", style="dim")
        for backup in prepared.backups:
            text.append(f"  {_under(backup, prepared.out_dir)}\n", style="dim")
        if prepared.plan.generated:
            text.append("\nGenerated passwords, shown only this once: copy them now.\n", style="bold yellow")
            for who, password in prepared.plan.generated.items():
                text.append(f"  {who}: ", style="")
                text.append(f"{password}\n", style="bold")
        if self.flow.handed is not None:
            text.append(secrets.handed_note(self.flow.handed, prepared.out_dir) + "\n")
        text.append(f"\nNext: the manual steps in {prepared.out_dir / harden.CHECKLIST_FILE}\n", style="bold")
        return text


def _under(path, folder) -> str:
    """A path as said under its folder: relative to it when inside it (a symlinked file is elsewhere)."""
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return str(path)
