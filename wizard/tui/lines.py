"""Questions asked line by line on plain text streams, for --plain: serial consoles, `script`
logs, screen readers and answers piped in. Each prompt is one line of text and each answer one
line read: no cursor movement, no colour, no carriage return, no escape sequence. Choices are
numbered; a number, or the choice's own word, picks one. Enter keeps the answer in brackets.

A check returns None when an answer is taken, or the reason it is refused: said, then asked again
on a terminal; when the answers come from a pipe or a file, the run ends there (Refused), since
every later answer would land one question off. Text the output's encoding cannot hold (an ASCII
locale) is written with ASCII stand-ins.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

Check = Callable[[Any], "str | None"]
EMPTY = "-"  # typed alone: an empty answer where the one in brackets is not empty
YES, NO = ("y", "yes", "on", "true", "1"), ("n", "no", "off", "false", "0")
ASCII = {"→": "->", "←": "<-", "✗": "x", "✓": "ok", "·": "-", "—": "-", "–": "-", "…": "...", "●": "*", "○": "o",
         "×": "x", "≥": ">=", "≤": "<=", "‘": "'", "’": "'", "“": '"', "”": '"'}


class Ended(Exception):
    """The input ended (end of file) before the admin confirmed anything."""


class Refused(Exception):
    """An answer refused when nobody is there to answer again (the answers are piped in)."""

    def __init__(self, title: str, answer: str, why: str) -> None:
        super().__init__(f"{title.strip()}: {answer!r} is refused ({why}): the answers that follow would land "
                         "one question off, so the run stops here; nothing was written")


class Lines:
    INTRO = (f"Enter keeps the answer in [brackets]; '{EMPTY}' alone empties it; a choice is taken by its "
             "number or its word. Nothing is written before the last question.")

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None, strict: bool | None = None) -> None:
        self.stdin, self.stdout = stdin or sys.stdin, stdout or sys.stdout
        self.typed_here = is_tty(self.stdin)  # a terminal echoes what is typed; a pipe does not
        self.strict = not self.typed_here if strict is None else strict  # a refusal ends the run

    def say(self, text: str = "") -> None:
        self.stdout.write(printable(text, self.stdout) + "\n")
        self.stdout.flush()

    def numbered(self, title: str, labels: Sequence[str]) -> None:
        """A question's title, then its options numbered from 1."""
        self.say(title)
        for number, label in enumerate(labels, 1):
            self.say(f"  {number}. {label}")

    def refuse(self, title: str, answer, why: str) -> None:
        """An answer is refused: asked again on a terminal, the end of the run (Refused) otherwise."""
        if self.strict:
            raise Refused(title, str(answer), why)
        self.say(f"  ✗ {why}")

    def _taken(self, shown: str) -> None:
        """A log of piped answers shows each one after its question, Enter as the value it took."""
        if not self.typed_here:
            self.say(shown)

    def read(self, prompt: str, secret: bool = False) -> str:
        if secret and self.typed_here:
            try:
                return getpass.getpass(printable(prompt, self.stdout))
            except EOFError:
                raise Ended from None
        self.stdout.write(printable(prompt, self.stdout))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise Ended
        return line.rstrip("\r\n")

    def text(self, title: str, default: str = "", check: Check | None = None, secret: bool = False) -> str:
        shown = "" if secret or not default else f" [{default}]"
        while True:
            typed = self.read(f"{title}{shown}: ", secret)
            answer = default if typed == "" and not secret else ("" if typed == EMPTY else typed)
            self._taken("" if secret else (answer if answer or typed != EMPTY else EMPTY))
            if (why := check(answer) if check else None) is None:
                return answer
            self.refuse(title, "(not shown)" if secret else answer, why)

    def yes_no(self, title: str, default: bool) -> bool:
        while True:
            answer = self.read(f"{title} [{'Y/n' if default else 'y/N'}]: ").strip().lower()
            if not answer or answer in YES or answer in NO:
                taken = default if not answer else answer in YES
                self._taken("y" if taken else "n")
                return taken
            self._taken(answer)
            self.refuse(title, answer, "answer y or n")

    def choice(self, title: str, options: Sequence[tuple[Any, str]], default: Any = None,
               words: dict[str, Any] | None = None) -> Any:
        """One of options (value, label): by its number, by its value or label as typed, or by one
        of `words` (yes, no) that name a value."""
        self.numbered(title, [label for _, label in options])
        values = [value for value, _ in options]
        fallback = values.index(default) + 1 if default in values else 1
        while True:
            answer = self.read(f"Choose 1-{len(options)} [{fallback}]: ").strip()
            found = (words or {}).get(answer.lower(), pick(answer, options, fallback))
            if found is not None:
                label = options[values.index(found)][1]
                self._taken(answer if answer and not answer.isdigit() else f"{answer or fallback} ({label})")
                return found
            self._taken(answer)
            self.refuse(title, answer, f"type a number from 1 to {len(options)}")

    def many(self, title: str, options: Sequence[str], chosen: Sequence[str], check: Check | None = None) -> list[str]:
        """Some of options, as numbers or words separated by commas or spaces; '-' for none."""
        self.numbered(title, options)
        while True:
            answer = self.read(f"Numbers or names, '{EMPTY}' for none [{', '.join(chosen) or EMPTY}]: ").strip()
            picked = list(chosen) if not answer else [] if answer == EMPTY else picks(answer, options)
            self._taken(", ".join(picked) or EMPTY if picked is not None else answer)
            if picked is None:
                self.refuse(title, answer, f"name some of: {', '.join(options)}")
            elif (why := check(picked) if check else None) is None:
                return picked
            else:
                self.refuse(title, answer, why)


def pick(answer: str, options: Sequence[tuple[Any, str]], fallback: int = 1):
    if not answer:
        return options[fallback - 1][0]
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1][0]
    return next((value for value, label in options if answer.lower() in (str(value).lower(), label.lower())), None)


def picks(answer: str, options: Sequence[str]) -> list[str] | None:
    words = [w for w in answer.replace(",", " ").split() if w]
    found = [options[int(w) - 1] if w.isdigit() and 1 <= int(w) <= len(options) else
             next((o for o in options if o.lower() == w.lower()), None) for w in words]
    return None if None in found else [o for o in options if o in found]


def printable(text: str, stream) -> str:
    """Text as the stream's encoding can write it: ASCII stand-ins for the marks (→ ->), then '?'."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except LookupError:  # an encoding Python does not know: the stream will say so itself
        return text
    except UnicodeEncodeError:
        plain = "".join(ASCII.get(char, char) for char in text)
        return plain.encode(encoding, errors="replace").decode(encoding)


def is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
