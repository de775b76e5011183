"""The line-by-line mode (--plain): the same questions, checks and review, asked with questionary."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import questionary
from questionary import Choice

from wizard import harden, residual
from wizard.errors import BadInput, StaleInput
from wizard.flow import LIST_KINDS, REVIEW, Flow, Origin
from wizard.notes import told
from wizard.topics.base import Question
from wizard.tui import describe
from wizard.tui.prompt_items import edit_list



def run(origins: list[Origin], preselect: str | None = None) -> int:
    """Ask everything, show the review, write on confirmation: 0 written or quit, 2 bad input."""
    flow = Flow(origins)
    try:
        return _walk(flow, preselect)
    except (KeyboardInterrupt, EOFError):
        print("Quit: nothing was written.")
        return 0
    except BadInput as error:
        print(str(error), file=sys.stderr)
        return 2


def ask(question):
    """The answer, or KeyboardInterrupt when the admin quits (Ctrl+C, or the end of the input)."""
    return question.unsafe_ask()


def _walk(flow: Flow, preselect: str | None) -> int:
    choices = [Choice(f"{o.label}: {o.detail}", value=o.key) for o in flow.origins]
    flow.begin(flow.origin_by_key(ask(questionary.select("How do you want to start?", choices, default=preselect))))
    for note in flow.origin.notes:
        print(f"  note: {note}")
    while flow.step != REVIEW:
        _topic(flow)
    return _review(flow)


def _topic(flow: Flow) -> None:
    """Ask a topic's questions (again, for those with problems, until Next is allowed)."""
    topic, asked = flow.topics[flow.step], set()
    print(f"\n== {topic.TITLE} ==")
    while True:
        pending = [q for q in flow.questions(topic.NAME) if q.id not in asked]
        if not pending:
            reason = flow.next()
            if reason is None:
                return
            print(f"✗ {reason}")
            if not flow.topic_problems(topic.NAME):  # an earlier topic's answer: ask it again
                flow.go(next(name for name in flow.topics if flow.topic_problems(name)))
                return
            shown = flow.questions(topic.NAME)
            wrong = {q.id for q in shown if flow.problems_of(q.id)}
            asked = {q.id for q in shown} - (wrong or {q.id for q in shown})
            continue
        _question(flow, pending[0])
        asked.add(pending[0].id)


def _question(flow: Flow, question: Question) -> None:
    print(textwrap.indent(textwrap.fill(question.help, 76), "  "))  # the why, as the side pane has it
    title = f"{question.title} (hardened: {describe.hardened(question)})"
    if question.kind in LIST_KINDS:
        edit_list(flow, question, ask)
        return
    while True:
        if question.kind == "bool":
            flow.answer(question.id, ask(questionary.confirm(title, default=bool(flow.value(question.id)))))
        elif question.kind == "choice":
            flow.answer(question.id, ask(questionary.select(title, list(question.choices),
                                                            default=flow.value(question.id))))
        else:
            flow.answer_text(question, ask(questionary.text(title, default=flow.text(question),
                                                            validate=lambda text: _check(flow, question, text))))
        problems = flow.problems_of(question.id)
        if not problems:
            return
        print("\n".join(f"✗ {p.message}" for p in problems))


def _check(flow: Flow, question: Question, text: str):
    flow.answer_text(question, text)
    problems = flow.problems_of(question.id)
    return problems[0].message if problems else True


def _review(flow: Flow) -> int:
    prepared = flow.prepare()
    print(f"\n== Review: {prepared.out_dir} ==")
    sys.stdout.write(prepared.diff() or f"Nothing to change in {prepared.out_dir}\n")
    found = residual.lines(prepared.plan.findings, str(prepared.out_dir))
    for line in [*(f"warning: {w}" for w in prepared.plan.warnings), *(f"finding: {f}" for f in found),
                 *told(prepared.plan.notes, written=False)]:
        print(line)
    while True:
        choice = ask(questionary.select("Write these files?", [
            Choice("Write", "write"), Choice("Save the answers as a profile, for apply", "save"),
            Choice("Quit without writing", "quit")]))
        if choice == "quit":
            print("Quit: nothing was written.")
            return 0
        if choice == "save":
            path = Path(ask(questionary.text("Save the answers to", default=harden.ANSWERS_FILE)))
            flow.save_answers(path)
            print(f"Saved {path} (no secrets): replay with orthanc-harden apply --preset {path}")
            continue
        try:
            flow.write()
        except StaleInput as error:
            print("\n".join(f"✗ {p}" for p in error.problems), file=sys.stderr)
            if not flow.rereadable or not ask(questionary.confirm(
                    "Read the configuration again, keeping your changes, and review?", default=True)):
                print("Quit: nothing was written.")
                return 2
            flow.reread()
            return _review(flow)
        _report(flow)
        return 0


def _report(flow: Flow) -> None:
    prepared = flow.prepared
    names = ", ".join(change.name for change in prepared.changes)
    print(f"wrote: {names}" if names else f"{prepared.out_dir}: nothing to change")
    generated = prepared.plan.generated
    if generated and sys.stdout.isatty():
        print("Generated passwords (shown once, keep them safe):")
        print("".join(f"  {who}: {password}\n" for who, password in generated.items()), end="")
    elif generated:
        print(f"generated passwords for {', '.join(sorted(generated))}: they are in the written "
              "configuration (not printed, since this output may be logged)")
    checklist = prepared.out_dir / harden.CHECKLIST_FILE
    print(f"next: the manual steps in {checklist}")
