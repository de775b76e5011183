"""Questions asked line by line on plain text streams, for --plain: serial consoles, `script`
logs, screen readers and answers piped in. Each prompt is one line of text and each answer one
line read: no cursor movement, no colour, no carriage return, no escape sequence. Choices are
numbered; a number, or the choice's own word, picks one. Enter keeps the answer in brackets.

A check returns None when an answer is taken, or the reason it is refused (said, then asked again).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

Check = Callable[[Any], "str | None"]
EMPTY = "-"  # typed alone: an empty answer where the one in brackets is not empty
YES, NO = ("y", "yes", "on", "true", "1"), ("n", "no", "off", "false", "0")


class Ended(Exception):
    """The input ended (end of file) before the admin confirmed anything."""


class Lines:
    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin, self.stdout = stdin or sys.stdin, stdout or sys.stdout
        self.typed_here = _tty(self.stdin)  # a terminal echoes what is typed; a pipe does not

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self, prompt: str, secret: bool = False) -> str:
        if secret and self.typed_here:
            try:
                return getpass.getpass(prompt)
            except EOFError:
                raise Ended from None
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise Ended
        answer = line.rstrip("\r\n")
        if not self.typed_here:  # a log of piped answers shows each one after its question
            self.say("" if secret else answer)
        return answer

    def text(self, title: str, default: str = "", check: Check | None = None, secret: bool = False) -> str:
        shown = "" if secret or not default else f" [{default}]"
        while True:
            answer = self.read(f"{title}{shown}: ", secret)
            answer = default if answer == "" and not secret else ("" if answer == EMPTY else answer)
            if (why := check(answer) if check else None) is None:
                return answer
            self.say(f"  ✗ {why}")

    def yes_no(self, title: str, default: bool) -> bool:
        while True:
            answer = self.read(f"{title} [{'Y/n' if default else 'y/N'}]: ").strip().lower()
            if not answer:
                return default
            if answer in YES or answer in NO:
                return answer in YES
            self.say("  ✗ answer y or n")

    def choice(self, title: str, options: Sequence[tuple[Any, str]], default: Any = None) -> Any:
        """One of options (value, label): by its number, or by its value or label as typed."""
        self.say(title)
        for number, (_, label) in enumerate(options, 1):
            self.say(f"  {number}. {label}")
        values = [value for value, _ in options]
        fallback = values.index(default) + 1 if default in values else 1
        while True:
            answer = self.read(f"Choose 1-{len(options)} [{fallback}]: ").strip()
            if (found := _pick(answer, options, fallback)) is not None:
                return found
            self.say(f"  ✗ type a number from 1 to {len(options)}")

    def many(self, title: str, options: Sequence[str], chosen: Sequence[str], check: Check | None = None) -> list[str]:
        """Some of options, as numbers or words separated by commas or spaces; '-' for none."""
        self.say(title)
        for number, option in enumerate(options, 1):
            self.say(f"  {number}. {option}")
        while True:
            answer = self.read(f"Numbers or names, '{EMPTY}' for none [{', '.join(chosen) or EMPTY}]: ").strip()
            picked = list(chosen) if not answer else [] if answer == EMPTY else _picks(answer, options)
            if picked is None:
                self.say(f"  ✗ name some of: {', '.join(options)}")
            elif (why := check(picked) if check else None) is None:
                return picked
            else:
                self.say(f"  ✗ {why}")


def _pick(answer: str, options: Sequence[tuple[Any, str]], fallback: int):
    if not answer:
        return options[fallback - 1][0]
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1][0]
    return next((value for value, label in options if answer.lower() in (str(value).lower(), label.lower())), None)


def _picks(answer: str, options: Sequence[str]) -> list[str] | None:
    words = [w for w in answer.replace(",", " ").split() if w]
    found = [options[int(w) - 1] if w.isdigit() and 1 <= int(w) <= len(options) else
             next((o for o in options if o.lower() == w.lower()), None) for w in words]
    return None if None in found else [o for o in options if o in found]


def _tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
