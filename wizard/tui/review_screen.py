"""The review: the diff of every file that changes, the Lua filter, the checklist; then write."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Markdown, Static, TabbedContent, TabPane

from wizard import harden, residual
from wizard.errors import BadInput, StaleInput
from wizard.flow import REVIEW
from wizard.notes import before_writing
from wizard.tui.step_screen import StepScreen

THEME = "ansi_dark"  # the terminal's own colours: readable on light and dark backgrounds


class ReviewScreen(StepScreen):
    BINDINGS = [Binding("w", "write", "Write"), Binding("s", "save", "Save answers"),
                Binding("r", "reread", "Read again", show=False)]  # offered when a file changed on disk
    stale = False

    def heading(self) -> str:
        return "Review and write"

    def compose_main(self) -> ComposeResult:
        yield Static("", id="summary")
        with TabbedContent(id="review-tabs"):
            with TabPane("Changes", id="tab-diff"):
                yield VerticalScroll(Static("", id="diff"), classes="pane")
            with TabPane("Access filter", id="tab-lua"):
                yield VerticalScroll(Static("", id="lua"), classes="pane")
            with TabPane("Checklist", id="tab-checklist"):
                yield VerticalScroll(Markdown("", id="checklist"), classes="pane")
            with TabPane("Notes", id="tab-notes"):
                yield VerticalScroll(Static("", id="notes", markup=False), classes="pane")
        yield from self.compose_actions(
            Button("Back", action="app.back", compact=True, id="back"),
            Button("Save answers", action="screen.save", compact=True, id="save"),
            Button("Write", action="screen.write", variant="primary", compact=True, id="write"))

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_review()

    def refresh_review(self) -> None:
        try:
            if problems := self.flow.problems():  # files read again may break a rule
                raise BadInput(problems)
            prepared = self.flow.prepare()
        except BadInput as error:
            self.query_one("#write", Button).disabled = True
            self.query_one("#summary", Static).update(Text(
                "Nothing can be written yet:\n" + "\n".join(f"✗ {self.flow.label(p)}" for p in error.problems),
                style="red"))
            return
        self.show(prepared)
        self.query_one("#write", Button).focus()

    def show(self, prepared) -> None:
        changed = ", ".join(change.name for change in prepared.changes)
        summary = (f"Will write to {prepared.out_dir}: {changed}" if changed
                   else f"Nothing to change in {prepared.out_dir}")
        warnings = [*prepared.plan.warnings, *residual.lines(prepared.plan.findings, str(prepared.out_dir))]
        notes = before_writing(self.flow.origin.notes, prepared.plan.notes)
        if warnings or notes:
            summary += f"\n! {len(warnings)} warning(s), {len(notes)} note(s): see Notes"
        self.query_one("#summary", Static).update(Text(summary))
        self.query_one("#notes", Static).update("\n".join([*(f"! {w}" for w in warnings), *(f"· {n}" for n in notes)])
                                                or "No warning, no note.")
        self.query_one("#diff", Static).update(_code(prepared.diff() or "(no change)", "diff"))
        lua = next((o.text for name, o in prepared.plan.files.items() if name.endswith(".lua")), None)
        self.query_one("#lua", Static).update(_code(lua, "lua") if lua else "No access filter: the REST API is off.")
        checklist = prepared.plan.files.get(harden.CHECKLIST_FILE)
        self.query_one("#checklist", Markdown).update(checklist.text if checklist else "")

    def action_write(self) -> None:
        if self.flow.step != REVIEW:
            return
        if self.query_one("#write", Button).disabled:
            self.say("fix the problems above first: nothing is written")
            return
        try:
            self.flow.write()
        except StaleInput as error:
            self.stale = self.flow.rereadable
            then = ("press r to read it again (your changes are kept) and review" if self.stale
                    else "review again (Back, then Review)")
            self.say(f"{error.problems[0]}; {then}")
            return
        except BadInput as error:
            self.say(str(error.problems[0]))
            return
        self.app.show_step()

    def action_reread(self) -> None:
        if not self.stale:
            return
        try:
            self.flow.reread()
        except BadInput as error:  # the configuration no longer reads: nothing more to do here
            self.say(str(error.problems[0]))
            return
        self.stale = False
        self.refresh_state()
        self.refresh_review()
        self.say("read again: the changes below are made on the files as they are now", error=False)

    def action_save(self) -> None:
        from wizard.tui.save_screen import SaveScreen
        self.app.push_screen(SaveScreen(self.flow), self._saved)

    def _saved(self, path) -> None:
        if path is not None:
            self.say(f"answers saved to {path} (no secrets): replay with "
                     f"orthanc-harden apply --preset {path}", error=False)


def _code(text: str, language: str) -> Syntax:
    return Syntax(text, language, theme=THEME, word_wrap=True, background_color="default")
