"""What an edit tells the admin: each note says what it did, or would do under --check."""

from __future__ import annotations

# A note's verb in the past, and as it reads when nothing is written (--check, the review).
WOULD = {"hardened": "would harden", "changed": "would change", "added": "would add", "removed": "would remove",
         "replaced": "would replace", "tightened": "would tighten", "rotated": "would rotate", "gave": "would give",
         "kept": "would keep", "took": "would take", "left": "would leave", "wrote": "would write", "edited": "would edit"}
# Verbs of notes that claim a change of the configuration's bytes at `where`.
CHANGES = frozenset({"hardened", "changed", "added", "removed", "replaced", "rotated"})


class Note(str):
    """A note is its text (in the past tense), with its verb and the option it is about:
    `where` is (file, top-level key) when the note names one place of the configuration."""

    verb: str
    rest: str
    where: tuple[str, str] | None
    first: bool  # who can reach the server: said before every other note
    about: tuple[str, str | None, object] | None  # (answer, entry name, value): what must hold for it to be true

    def __new__(cls, verb: str, rest: str, where: tuple[str, str] | None = None, first: bool = False,
                about: tuple[str, str | None, object] | None = None):
        note = super().__new__(cls, f"{verb} {rest}")
        note.verb, note.rest, note.where, note.first, note.about = verb, rest, where, first, about
        return note

    def told(self, written: bool) -> str:
        """The note as said after a write, or before one (--check, the wizard's review)."""
        return str(self) if written else f"{WOULD.get(self.verb, self.verb)} {self.rest}"

    @property
    def claims_change(self) -> bool:
        return self.verb in CHANGES and self.where is not None


def holds(note: str, answers: dict) -> bool:
    """Whether a note of the start (kept, hardened) still says the truth of the final answers: the
    wizard may have changed that answer since (a user kept as admin made read-only, a hardened
    option set back), and then the note goes. `about` is (answer, None, its value), or, for an
    entry of a list, (answer, the entry's name, the fields it names)."""
    about = getattr(note, "about", None)
    if about is None:
        return True
    dotted, name, value = about
    current = answers
    for part in dotted.split("."):
        current = current.get(part) if isinstance(current, dict) else None
    if name is None:
        return current == value
    entry = next((e for e in current or () if isinstance(e, dict) and e.get("name") == name), None)
    return entry is not None and all(entry.get(key) == wanted for key, wanted in value.items())


def told(notes: list[str], written: bool) -> list[str]:
    """Every note in the tense of the run, those about who can reach the server first."""
    ordered = sorted(notes, key=lambda n: not getattr(n, "first", False))
    return [n.told(written) if isinstance(n, Note) else n for n in ordered]


def before_writing(origin: tuple[str, ...] | list[str], planned: list[str]) -> list[str]:
    """What the wizard shows before writing: the notes of its start that the plan does not
    repeat (reading again, ...), then the plan's notes, as what would be done."""
    return [*(n for n in origin if n not in planned), *told(planned, written=False)]
