"""The wizard's steps and answers as a pure state machine that both front ends drive.

No front end is imported here: the Textual app and the line-by-line prompts ask, this module
decides what is shown, what is wrong with an answer and where the admin may go next.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from wizard import harden, importing, password_checks, profile, residual, secrets, sources, workflow
from wizard.errors import BadInput, Problem, json_path
from wizard.orthanc.files import write_atomic
from wizard.topics import TOPICS
from wizard.notes import holds
from wizard.topics.base import Answers, Question, get, put

START, REVIEW, DONE = "start", "review", "done"
# What to do with an admin the configuration gave full access from any address (OH-AUTH-011).
ADMIN_CHOICES = (("keep", "Keep it: full access from any address"),
                 ("localhost", "Restrict it to this host (127.0.0.1/32)"),
                 ("read-only", "Make it read-only"), ("remove", "Remove it"))
LIST_KINDS = ("users", "modalities", "peers")
UNTOUCHED, ANSWERED, PROBLEMS, SKIPPED = "untouched", "answered", "problems", "skipped"


@dataclass(frozen=True)
class Origin:
    """One way to begin (new, editing a configuration, a preset): plain data for the app factory."""

    key: str
    label: str
    detail: str
    answers: Answers
    profile_name: str
    out_dir: Path
    config: object = None  # the configuration being edited (workflow.starting_answers), or None
    notes: tuple[str, ...] = ()
    preset: str | None = None  # the preset layered over the configuration being edited
    deployment: str = "files"  # a new configuration folder, or "compose": a new compose deployment


@dataclass(frozen=True)
class Findings:
    """What the current answers still get wrong, and what the plan warns about."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse(question: Question, text: str):
    """An answer typed as text → (value, None), or (None, why it is refused)."""
    if question.kind == "int":
        try:
            return int(text.strip()), None
        except ValueError:
            return None, f"{text.strip()!r} is not a whole number" if text.strip() else "a number is required"
    if question.kind == "networks":
        return parse_networks(text), None
    return text, None


def parse_networks(text: str) -> list[str]:
    """Networks typed on one line, separated by commas or spaces."""
    return [part for part in re.split(r"[\s,]+", text) if part]


def shown_text(question: Question, value) -> str:
    """The text an input shows for an answer (the inverse of parse)."""
    return ", ".join(value) if question.kind == "networks" else str(value)


def belongs(path: str, dotted: str) -> bool:
    """Whether a problem's JSON path (`$.dicom.port`) is about the answer `dicom.port`."""
    prefix = "$." + dotted
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


class Flow:
    """Where the admin is (start, a topic, review, done) and every answer given so far."""

    def __init__(self, origins: list[Origin]):
        self.origins = list(origins)
        self.topics = {topic.NAME: topic for topic in TOPICS}
        self.steps = [START, *self.topics, REVIEW, DONE]
        self.step = START
        self.origin: Origin | None = None
        self.answers: Answers = {}
        self.drafts: dict[str, tuple[str, str]] = {}  # question id → (text, why it is refused)
        self.visited: set[str] = set()
        self.dirty = False  # answers changed since the last write or save
        self.prepared = None  # the reviewed run, written as it was shown
        self.handed: Path | None = None  # the file its generated passwords were handed over in
        self._problems: list[Problem] | None = None
        self.settled: set[str] = set()  # the open admins decided about (open_admins)

    # Starting, answering

    def begin(self, origin: Origin) -> None:
        """Start from an origin; choosing the current one again keeps every answer."""
        if self.origin is None or origin.key != self.origin.key:
            self.origin, self.answers = origin, profile.effective(origin.answers)
            self.drafts, self.visited, self.dirty, self._problems = {}, set(), False, None
            self.settled = set()
        self.step = self._next_from(1)

    def origin_by_key(self, key: str) -> Origin:
        return next(origin for origin in self.origins if origin.key == key)

    def questions(self, topic: str) -> list[Question]:
        """The questions of a topic that the current answers make relevant."""
        return [q for q in self.topics[topic].QUESTIONS if q.shown(self.answers)]

    def question(self, question_id: str) -> Question:
        return next(q for t in self.topics.values() for q in t.QUESTIONS if q.id == question_id)

    def value(self, question_id: str):
        return get(self.answers, question_id)

    def open_admins(self) -> list[str]:
        """Users the configuration being edited gave full access from any address, still admins
        with no network of their own while other machines reach the server, and not decided about
        yet: the wizard asks what each should be (ADMIN_CHOICES) before leaving Authentication."""
        imported = self.origin.config if self.origin else None
        network = self.answers.get("network", {})
        if imported is None or not (network.get("http_enabled") and network.get("remote_access")):
            return []
        inherited = {user["name"] for user in importing.read_value(imported, "authentication.users") or ()}
        return [user["name"] for user in self.answers["authentication"]["users"] if user["name"] in inherited
                and user["role"] == "admin" and not user["from"] and user["name"] not in self.settled]

    def settle_admin(self, name: str, choice: str) -> None:
        """One of ADMIN_CHOICES for an open admin: kept, limited to this host, read-only or removed."""
        users = copy.deepcopy(self.value("authentication.users"))
        user = next(u for u in users if u["name"] == name)
        if choice == "localhost":
            user["from"] = ["127.0.0.1/32"]
        elif choice == "read-only":
            user["role"] = "read-only"
        elif choice == "remove":
            users.remove(user)
        self.settled.add(name)
        self.answer("authentication.users", users)

    def start_notes(self) -> list[str]:
        """The notes of the start to show beside the plan's, while they hold for the answers as they
        are now: an edit's own notes are the plan's to say (made true of the final answers there)."""
        planned = set(self.origin.config.notes) if self.origin.config is not None else set()
        return [n for n in self.origin.notes if n not in planned and holds(n, self.answers)]

    def file_says(self, question_id: str) -> str | None:
        """When editing, what the configuration says of an answer that is now different (the
        wizard shows it beside the question: "the configuration says true")."""
        imported = self.origin.config if self.origin else None
        if imported is None or self.question(question_id).kind in LIST_KINDS:
            return None
        said = importing.read_value(imported, question_id)
        if said is None:  # a value no answer can hold (LimitFindResults 0, unlimited): the option as written
            said = imported.config.values.get(importing.sources().get(question_id, ""))
            kinds = {"int": int, "bool": bool, "text": str}  # the same kind of value as the answer's, or nothing
            said = said if type(said) is kinds.get(self.question(question_id).kind) else None
        if said is None or said == self.value(question_id):
            return None
        shown = ("on" if said else "off") if isinstance(said, bool) else shown_text(self.question(question_id), said)
        return f"the configuration says {shown}"

    def text(self, question: Question) -> str:
        """What the input of a question shows: the refused text being typed, or the answer."""
        draft = self.drafts.get(question.id)
        return draft[0] if draft else shown_text(question, self.value(question.id))

    def answer(self, question_id: str, value) -> None:
        self._forget(question_id, self.drafts.pop(question_id, None) is not None)
        if self.value(question_id) != value:
            put(self.answers, question_id, copy.deepcopy(value))
            self._forget(question_id, True)

    def answer_text(self, question: Question, text: str) -> None:
        value, refused = parse(question, text)
        if refused is None:
            self.answer(question.id, value)
        elif self.drafts.get(question.id) != (text, refused):
            self.drafts[question.id] = (text, refused)
            self._forget(question.id, True)

    def _forget(self, question_id: str, changed: bool) -> None:
        if changed:
            self.dirty, self._problems, self.prepared = True, None, None
            self.visited.add(self._topic_of(question_id))

    # Problems

    def problems(self) -> list[Problem]:
        """Every problem of the current answers: refused drafts, then the schema and the checks."""
        if self._problems is None:
            name = self.profile_name
            drafts = [Problem(name, "$." + qid, why) for qid, (_, why) in self.drafts.items()
                      if self.question(qid).shown(self.answers)]
            unset = [Problem(name, json_path(path), why) for path, why in password_checks.unset_variables(self.answers)]
            self._problems = sorted(drafts + profile.validate(self.answers, name) + unset)
        return self._problems

    def problems_of(self, question_id: str) -> list[Problem]:
        return [p for p in self.problems() if belongs(p.path, question_id)]

    def topic_problems(self, topic: str) -> list[Problem]:
        ids = [q.id for q in self.topics[topic].QUESTIONS]
        return [p for p in self.problems() if any(belongs(p.path, qid) for qid in ids)]

    def item_problems(self, question_id: str, index: int | None, item: dict,
                      provided: dict[str, str] | None = None) -> dict[str, list[str]]:
        """Problems of one item of a list answer (a user, a modality) as it is being edited,
        by field ("" for the item as a whole). `provided` holds the values typed in the dialog
        for variables a password names that are not set (see provide)."""
        found = self._schema_problems(question_id, index, item)
        if why := self._password_problem(question_id, item, provided or {}):
            found.setdefault("password", []).append(why)
        return found

    def _password_problem(self, question_id: str, item: dict, provided: dict[str, str]) -> str | None:
        """A variable not set and not given, or a typed password (a user's) that is weak."""
        spec = item.get("password")
        name = password_checks.unset(spec)
        if name and not provided.get(name):
            return password_checks.unset_message(name)
        typed = spec if isinstance(spec, str) else provided.get(name) if name else None
        if typed and self.question(question_id).kind == "users":
            return password_checks.rate(item.get("name", ""), typed).refused
        return None

    def provide(self, name: str, value: str) -> None:
        """Set a variable a password reads in the wizard's own environment, for this run only (as
        if exported before starting it); the answers and a saved profile keep naming it."""
        os.environ[name] = value
        self._problems, self.prepared = None, None

    def _schema_problems(self, question_id: str, index: int | None, item: dict) -> dict[str, list[str]]:
        candidate = copy.deepcopy(self.answers)
        items = get(candidate, question_id)
        index = len(items) if index is None else index
        items[index:index + 1] = [item]
        prefix, found = f"$.{question_id}[{index}]", {}
        for problem in profile.validate(candidate, self.profile_name):
            if problem.path == prefix or problem.path.startswith((prefix + ".", prefix + "[")):
                rest = problem.path[len(prefix):].lstrip(".")
                found.setdefault(re.split(r"[.\[]", rest)[0], []).append(problem.message)
        return found

    def findings(self) -> Findings:
        """The live findings: problems, then (once the answers are valid) the plan's warnings."""
        if problems := self.problems():
            return Findings(problems)
        try:
            prepared = self.prepare()
            found = residual.lines(prepared.plan.findings, str(prepared.out_dir))
            return Findings([], [*prepared.plan.warnings, *found])
        except BadInput as error:  # an environment variable a password needs is not set
            return Findings(error.problems)

    def topic_state(self, topic: str) -> str:
        if self.topic_problems(topic):
            return PROBLEMS
        if not self.relevant(topic):
            return SKIPPED
        return ANSWERED if topic in self.visited else UNTOUCHED

    def label(self, problem: Problem) -> str:
        """A problem as the admin reads it: the question's title, then the message."""
        owners = [q for t in self.topics.values() for q in t.QUESTIONS if belongs(problem.path, q.id)]
        return f"{owners[0].title}: {problem.message}" if owners else str(problem)  # a file's: name it

    # Moving

    @property
    def profile_name(self) -> str:
        return self.origin.profile_name if self.origin else "answers"

    def relevant(self, step: str) -> bool:
        """A topic none of whose questions applies is skipped by Next and Back."""
        return step not in self.topics or bool(self.questions(step))

    def blocked(self, target: str) -> str | None:
        """Why the admin cannot go to target now, or None."""
        if target == DONE:
            return "the files are written from the review"
        if self.origin is None and target != START:
            return "choose how to start first"
        if self.steps.index(target) <= self.steps.index(self.step):
            return None
        if self.step in self.topics and (problems := self.topic_problems(self.step)):
            return _fix_first(problems, self.topics[self.step].TITLE)
        if target == REVIEW:
            for name, topic in self.topics.items():
                if problems := self.topic_problems(name):
                    return _fix_first(problems, topic.TITLE)
        return None

    def go(self, target: str) -> str | None:
        """Move to target unless blocked; returns the reason it is blocked."""
        reason = self.blocked(target)
        if reason is None:
            if self.step in self.topics:
                self.visited.add(self.step)
            if target == REVIEW:
                self.prepared = None  # compare with the files as they are now
            self.step = target
        return reason

    def next(self) -> str | None:
        return self.go(self._next_from(self.steps.index(self.step) + 1))

    def back(self) -> str | None:
        earlier = [s for s in self.steps[:self.steps.index(self.step)] if self.relevant(s)]
        return self.go(earlier[-1]) if earlier else None

    def vanishing(self, question_id: str, value) -> list[str]:
        """The titles of the topics that apply now and would no longer apply with this answer
        (HTTP server off: authentication, HTTPS, web...): the wizard asks before it gives it."""
        after = copy.deepcopy(self.answers)
        put(after, question_id, value)
        return [topic.TITLE for name, topic in self.topics.items()
                if self.relevant(name) and not any(q.shown(after) for q in topic.QUESTIONS)]

    def _next_from(self, index: int) -> str:
        return next(s for s in self.steps[index:] if self.relevant(s))

    def _topic_of(self, question_id: str) -> str:
        return next(n for n, t in self.topics.items() if any(q.id == question_id for q in t.QUESTIONS))

    # Review and writing

    def prepare(self):
        """The run to review (computed once per set of answers); raises BadInput."""
        if self.prepared is None:
            origin = self.origin
            self.prepared = workflow.prepare(self.answers, origin.profile_name, origin.out_dir, config=origin.config,
                                             deployment=origin.deployment)
        return self.prepared

    @property
    def rereadable(self) -> bool:
        """Whether reread() can help after a StaleInput: only an edit has files to read again."""
        return self.origin is not None and self.origin.config is not None

    def reread(self) -> None:
        """Read the configuration being edited again, after it changed on disk (StaleInput):
        the answers changed in the wizard stay, on top of what the files say now."""
        origin = self.origin
        answers, imported, notes = workflow.starting_answers(origin.preset, origin.config.config.path, origin.config.given,
                                                             lenient=True, keep_weak=origin.config.keep_weak,
                                                             service=sources.service_name(origin.config.config))
        before, now = profile.effective(origin.answers), profile.effective(answers)
        for question in (q for topic in self.topics.values() for q in topic.QUESTIONS):
            mine, theirs, on_disk = get(self.answers, question.id), get(before, question.id), get(now, question.id)
            if mine == theirs:
                continue  # not changed in the wizard: what the files say now
            if question.kind in LIST_KINDS:  # entry by entry, so that one added on disk stays
                mine, both = merged(theirs, mine, on_disk)
            else:
                both = [""] if on_disk != theirs else []
            notes += [f"changed both in the wizard and on disk, the wizard's answer kept: {question.title}"
                      + (f" ({name})" if name else "") for name in both]
            put(now, question.id, copy.deepcopy(mine))
        fresh = dataclasses.replace(origin, answers=answers, config=imported, notes=tuple(notes))
        self.origins = [fresh if o.key == origin.key else o for o in self.origins]
        self.origin, self.answers = fresh, now
        self._problems, self.prepared = None, None

    def write(self) -> None:
        """Write the reviewed run, exactly as it was shown; the passwords generated are handed over
        in a 0600 file beside it (secrets.HANDED_FILE), which `verify` proves them with."""
        prepared = self.prepare()
        prepared.write()
        self.handed = secrets.hand_over_beside(prepared.out_dir, prepared.plan.generated)
        self.dirty, self.step = False, DONE

    def save_answers(self, path: Path) -> None:
        """Save the answers as a profile for `apply` (secrets left out); raises BadInput."""
        try:
            write_atomic(path, harden.saved_answers(self.answers).encode("utf-8"), 0o644)
        except OSError as error:
            raise BadInput(Problem(str(path), "$", f"cannot be written ({error.strerror})")) from None
        self.dirty = False


def merged(before: list[dict], mine: list[dict], now: list[dict]) -> tuple[list[dict], list[str]]:
    """A list answer (users, modalities, peers) changed both in the wizard (before → mine) and on
    disk (before → now), merged by name: an entry the wizard added, edited or removed keeps the
    wizard's change; any other entry is as the files say now. Also: the names of the entries
    changed in both places (the wizard's change wins)."""
    old, my, theirs = {e["name"]: e for e in before}, {e["name"]: e for e in mine}, {e["name"]: e for e in now}
    both = sorted(name for name in set(old) | set(my)
                  if my.get(name) != old.get(name) and theirs.get(name) != old.get(name))
    result = []
    for entry in now:
        name = entry["name"]
        if name in old and name not in my:
            continue  # removed in the wizard
        result.append(my[name] if name in my and my[name] != old.get(name) else entry)
    on_disk = {e["name"] for e in now}
    # Added in the wizard, or edited there while removed on disk: the admin's entry.
    result += [e for e in mine if e["name"] not in on_disk and (e["name"] not in old or e != old[e["name"]])]
    return result, both


def _fix_first(problems: list[Problem], title: str) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"fix {title} first: {problems[0].message}{more}"
