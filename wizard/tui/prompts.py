"""The line-by-line mode (--plain): the same questions, checks and review as the full-screen
wizard, asked on plain lines (tui/lines.py): numbered choices, no control character, answers that
may be piped in. The review is summarised (the full diff on request) and "Write?" defaults to No.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from wizard import harden, residual, review, secrets
from wizard.errors import BadInput, StaleInput
from wizard.flow import ADMIN_CHOICES, LIST_KINDS, REVIEW, Flow, Origin, shown_text
from wizard.notes import before_writing, told
from wizard.topics.base import Question
from wizard.tui import describe
from wizard.tui.asked import asker
from wizard.tui.lines import NO, YES, Ended, Lines, Refused, printable
from wizard.tui.prompt_items import edit_list

ENDED = "the input ended before the files were confirmed: nothing was written"


def run(origins: list[Origin], preselect: str | None = None, lines: Lines | None = None) -> int:
    """Ask everything, show the review, write on confirmation: 0 written or quit, 2 bad input, an
    answer refused while the answers are piped in, or the end of the input before the confirmation."""
    lines, flow = lines or asker(), Flow(origins)
    try:
        return _walk(flow, preselect, lines)
    except Ended:
        _error(ENDED)
        return 2
    except KeyboardInterrupt:
        lines.say("\nQuit: nothing was written.")
        return 0
    except (BadInput, Refused) as error:
        _error(str(error))
        return 2


def _error(text: str) -> None:
    print(printable(text, sys.stderr), file=sys.stderr)


def _walk(flow: Flow, preselect: str | None, lines: Lines) -> int:
    lines.say(lines.INTRO)
    options = [(o.key, f"{o.label}: {o.detail}") for o in flow.origins]
    names = {o.key.removeprefix("preset:"): o.key for o in flow.origins}  # a preset by its name: intranet
    flow.begin(flow.origin_by_key(lines.choice("How do you want to start?", options, preselect, names)))
    lines.say(describe.destination(flow.origin))
    for note in told(list(flow.origin.notes), written=False):  # nothing is done yet: "would"
        lines.say(f"  note: {note}")
    while flow.step != REVIEW:
        _topic(flow, lines)
    return _review(flow, lines)


def _topic(flow: Flow, lines: Lines) -> None:
    """Ask a topic's questions (again, for those with problems, until Next is allowed)."""
    topic, asked = flow.topics[flow.step], set()
    lines.say(f"\n== {topic.TITLE} ==")
    while True:
        pending = [q for q in flow.questions(topic.NAME) if q.id not in asked]
        if not pending:
            if topic.NAME == "authentication":
                _open_admins(flow, lines)
            reason = flow.next()
            if reason is None:
                return
            lines.refuse(topic.TITLE, "Next", reason)
            if not flow.topic_problems(topic.NAME):  # an earlier topic's answer: ask it again
                flow.go(next(name for name in flow.topics if flow.topic_problems(name)))
                return
            shown = flow.questions(topic.NAME)
            wrong = {q.id for q in shown if flow.problems_of(q.id)}
            asked = {q.id for q in shown} - (wrong or {q.id for q in shown})
            continue
        _question(flow, pending[0], lines)
        asked.add(pending[0].id)


def _open_admins(flow: Flow, lines: Lines) -> None:
    """What each admin the configuration gave full access from any address should be (OH-AUTH-011)."""
    for name in flow.open_admins():
        lines.say(f"  ! {flow.origin.profile_name} gives {name!r} full access (Orthanc gives every registered user "
                  "that without a filter), and other machines reach this server: its password alone guards "
                  "everything.")
        flow.settle_admin(name, lines.choice(f"User {name!r}: an admin from any address", ADMIN_CHOICES, "keep"))


def _question(flow: Flow, question: Question, lines: Lines) -> None:
    lines.say(textwrap.indent(textwrap.fill(question.help, 76), "  "))  # the why, as the side pane has it
    choice = describe.hardened(question, flow.answers)  # for this situation; none for a site's own value
    title = question.title + (f" (hardened: {choice})" if choice is not None else "")
    if question.kind in LIST_KINDS:
        edit_list(flow, question, lines)
        return
    before = flow.value(question.id)  # asked again after a refusal, the answer before it is the default
    while True:
        if question.kind == "bool":
            _switch(flow, question, lines.yes_no(title, bool(flow.value(question.id))), lines)
        elif question.kind == "choice":
            flow.answer(question.id, lines.choice(title, [(c, c) for c in question.choices], flow.value(question.id)))
        else:
            shown = shown_text(question, flow.value(question.id))
            flow.answer_text(question, lines.text(title, shown, lambda text: _check(flow, question, text)))
        if note := flow.file_says(question.id):
            lines.say(f"  ! {note}")
        problems = flow.problems_of(question.id)
        if not problems:
            return
        lines.refuse(title, describe.value(question, flow.value(question.id)), "; ".join(p.message for p in problems))
        flow.answer(question.id, before)


def _switch(flow: Flow, question: Question, value: bool, lines: Lines) -> None:
    """A switch that makes whole topics stop applying asks first, as in the full-screen wizard."""
    gone = flow.vanishing(question.id, value)
    if not gone or lines.yes_no(f"  {', '.join(gone)} would no longer apply: their questions are skipped. "
                                "Sure?", False):
        flow.answer(question.id, value)


def _check(flow: Flow, question: Question, text: str) -> str | None:
    flow.answer_text(question, text)
    problems = flow.problems_of(question.id)
    return problems[0].message if problems else None


# "Write these files?" answered as a question: yes writes, no quits.
ANSWERS = {**{word: "write" for word in YES if not word.isdigit()}, **{word: "quit" for word in NO if not word.isdigit()}}
REVIEW_CHOICES = [("quit", "No: quit without writing"), ("diff", "Show the full diff (passwords masked)"),
                  ("notes", "Show every warning and note"), ("save", "Save the answers as a profile, for apply"),
                  ("write", "Yes: write these files")]


def _review(flow: Flow, lines: Lines) -> int:
    prepared = flow.prepare()
    lines.say("\n== Review ==")
    for line in review.summary(prepared, flow.answers, flow.start_notes()):
        lines.say(line)
    while True:
        choice = lines.choice("\nWrite these files?", REVIEW_CHOICES, "quit", ANSWERS)
        if choice == "quit":
            lines.say("Quit: nothing was written.")
            return 0
        if choice == "diff":
            lines.say(review.diff(prepared).rstrip("\n") or f"Nothing to change in {prepared.out_dir}")
        elif choice == "notes":
            found = residual.lines(prepared.plan.findings, str(prepared.out_dir))
            for line in [*(f"warning: {w}" for w in prepared.plan.warnings), *(f"finding: {f}" for f in found),
                         *(f"note: {n}" for n in before_writing(flow.start_notes(), prepared.plan.notes))]:
                lines.say(line)
        elif choice == "save":
            path = Path(lines.text("Save the answers to", harden.ANSWERS_FILE))
            flow.save_answers(path)
            lines.say(f"Saved {path} (no secrets): replay with orthanc-harden apply --preset {path}")
        else:
            return _write(flow, lines)


def _write(flow: Flow, lines: Lines) -> int:
    try:
        flow.write()
    except StaleInput as error:
        _error("\n".join(f"✗ {p}" for p in error.problems))
        if not flow.rereadable or not lines.yes_no("Read the configuration again, keeping your changes, "
                                                   "and review?", True):
            lines.say("Quit: nothing was written.")
            return 2
        flow.reread()
        return _review(flow, lines)
    _report(flow, lines)
    return 0


def _report(flow: Flow, lines: Lines) -> None:
    prepared = flow.prepared
    names = ", ".join(change.name for change in prepared.changes)
    lines.say(f"wrote: {names}" if names else f"{prepared.out_dir}: nothing to change")
    generated = prepared.plan.generated
    if generated and lines.stdout.isatty():
        lines.say("Generated passwords (shown once, keep them safe):")
        for who, password in generated.items():
            lines.say(f"  {who}: {password}")
    elif generated:
        lines.say(f"generated passwords for {', '.join(sorted(generated))}: they are in the written "
                  "configuration (not printed, since this output may be logged)")
    if flow.handed is not None:
        lines.say(secrets.handed_note(flow.handed, prepared.out_dir))
    lines.say(f"next: the manual steps in {prepared.out_dir / harden.CHECKLIST_FILE}")
