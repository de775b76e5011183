"""The review: a summary that fits one screen (who can reach Orthanc first), the diff with the
configuration first, the Lua filter, the checklist, the notes; then write, after a question."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, RichLog, Static, TabbedContent, TabPane, Tabs

from wizard import harden, residual, review
from wizard.errors import BadInput, StaleInput
from wizard.flow import REVIEW
from wizard.notes import before_writing
from wizard.tui.confirm_screen import writing
from wizard.tui.step_screen import StepScreen
from wizard.tui.widgets.sidebar import Sidebar

STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))
KEY = re.compile(r'^[+-]\s*"([^"]+)"\s*:')  # a diff line that sets a top-level key


class ReviewScreen(StepScreen):
    BINDINGS = [Binding("w", "write", "Write…"), Binding("s", "save", "Save answers"),
                Binding("r", "reread", "Read again", show=False)]  # offered when a file changed on disk
    stale = False

    def heading(self) -> str:
        return "Review and write"

    def compose_main(self) -> ComposeResult:
        with TabbedContent(id="review-tabs"):
            with TabPane("Summary", id="tab-summary"):
                yield VerticalScroll(Static("", id="summary", markup=False), classes="pane")
            for tab, title in (("diff", "Changes"), ("lua", "Access filter"), ("checklist", "Checklist"),
                               ("notes", "Notes")):
                with TabPane(title, id=f"tab-{tab}"):  # whole lines: scrolled sideways, never cut or wrapped
                    yield RichLog(id=tab, wrap=False, markup=False, highlight=False, classes="pane")
        yield from self.compose_actions(
            Button("Back", action="app.back", compact=True, id="back"),
            Button("Save answers", action="screen.save", compact=True, id="save"),
            Button("Write…", action="screen.write", variant="primary", compact=True, id="write"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Sidebar).add_class("-folded")  # shown again by Ctrl+T (app.action_topics)
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
        # On the tabs, so that Left and Right switch them; w writes from anywhere (after a question).
        self.query_one(Tabs).focus()

    def show(self, prepared) -> None:
        answers = self.flow.answers
        self.query_one("#summary", Static).update(
            "\n".join(review.summary(prepared, answers, self.flow.start_notes()))
            + "\n\nThe other tabs: the diff (configuration first), the access filter, the checklist, "
              "every warning and note. F1: the keys.")
        _fill(self.query_one("#diff", RichLog), diff_lines(review.diff(prepared), review.beside(answers)))
        lua = next((o.text for name, o in prepared.plan.files.items() if name.endswith(".lua")), None)
        _fill(self.query_one("#lua", RichLog), [Text(line) for line in (lua or "No access filter: the REST API "
                                                                             "is off.").splitlines()])
        checklist = prepared.plan.files.get(harden.CHECKLIST_FILE)
        _fill(self.query_one("#checklist", RichLog), checklist_lines(checklist.text if checklist else ""))
        warnings = [*prepared.plan.warnings, *residual.lines(prepared.plan.findings, str(prepared.out_dir))]
        notes = before_writing(self.flow.start_notes(), prepared.plan.notes)
        _fill(self.query_one("#notes", RichLog), [Text(line) for line in
                                                  [*(f"! {w}" for w in warnings), *(f"· {n}" for n in notes)]
                                                  or ["No warning, no note."]])

    def action_write(self) -> None:
        if self.flow.step != REVIEW:
            return
        if self.query_one("#write", Button).disabled:
            self.say("fix the problems above first: nothing is written")
            return
        prepared = self.flow.prepare()
        self.app.push_screen(writing(prepared.out_dir, [c.name for c in review.ordered(prepared)], prepared.in_place),
                             lambda yes: self._write() if yes else None)

    def _write(self) -> None:
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


def _fill(log: RichLog, lines: list[Text]) -> None:
    log.clear()
    for line in lines:
        log.write(line, scroll_end=False)
    log.scroll_home(animate=False)


def diff_lines(diff: str, why: dict[str, str]) -> list[Text]:
    """The diff coloured by line, each line whole; beside a line setting an option whose value
    surprises, why (remote access off behind the proxy)."""
    lines = []
    for line in (diff or "(no change)").splitlines():
        style = next((style for start, style in STYLES if line.startswith(start)), "")
        text = Text(line, style=style)
        key = KEY.match(line)
        if key and line.startswith("+") and key[1] in why:
            text.append(f"   ← {why[key[1]]}", style="bold yellow")
        lines.append(text)
    return lines


def checklist_lines(markdown: str) -> list[Text]:
    """CHECKLIST.md as written, headings in bold and commands whole (the file is what is followed)."""
    fenced, lines = False, []
    for line in markdown.splitlines():
        fenced = fenced != line.startswith("```")
        style = "bold" if line.startswith("#") else ("cyan" if fenced and not line.startswith("```") else "")
        lines.append(Text(line, style=style))
    return lines
