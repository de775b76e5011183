"""--plain on a real terminal: the same questions asked with questionary (prompt_toolkit).

A refused answer is said under the prompt and the prompt stays (the check runs when Enter is
pressed, not at every key), passwords are masked, and a choice is taken by its shortcut key
(1-9, then letters) with no arrow key needed. Lines (tui/lines.py) stays the asker wherever
questionary cannot serve: standard input or output not a terminal (answers piped in, a log),
TERM=dumb, or a choice among more options than there are shortcut keys. Both take the same
answers and run the same checks, so a run writes the same files and answers file either way.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

from wizard.tui.lines import EMPTY, Check, Ended, Lines, is_tty, picks

KEYS = "123456789abcdefghijklmnopqrstuvwxyz"  # a choice's shortcut: its number in Lines, then letters


def asker() -> Lines:
    """The asker for this process's streams: questionary at a capable terminal, plain lines elsewhere."""
    capable = is_tty(sys.stdin) and is_tty(sys.stdout) and os.environ.get("TERM", "dumb") != "dumb"
    return Asked() if capable else Lines()


class Asked(Lines):
    """Lines whose questions are questionary prompts; `input` and `output` are prompt_toolkit's
    (None: the terminal), what tests replace with a pipe and a dummy screen."""

    INTRO = (f"Enter keeps the answer shown (edit it, or '{EMPTY}' alone to empty it); a choice is taken by "
             "its key. Nothing is written before the last question.")

    def __init__(self, stdout: TextIO | None = None, input: Any = None, output: Any = None) -> None:
        super().__init__(stdout=stdout, strict=False)
        self.typed_here = True  # the prompt shows every answer as taken: no log line after it
        self.streams = {"input": input, "output": output}

    def _title(self, title: str) -> str:
        """A title that starts a new paragraph ('\nWrite these files?'): the empty line said first,
        since questionary would put its '?' above the title."""
        if title.startswith("\n"):
            self.say()
        return title.lstrip("\n")

    def _ask(self, question) -> Any:
        try:
            return question.unsafe_ask()
        except EOFError:  # Ctrl-D
            self.say()
            raise Ended from None

    def text(self, title: str, default: str = "", check: Check | None = None, secret: bool = False) -> str:
        import questionary
        title = self._title(title)
        if secret:
            return self._ask(questionary.password(f"{title}:", validate=_validator(check, secret),
                                                  validate_while_typing=False, **self.streams))
        typed = self._ask(questionary.text(f"{title}:", default=default, validate=_validator(check, secret),
                                           validate_while_typing=False, **self.streams))
        return _unless_empty(typed)

    def yes_no(self, title: str, default: bool) -> bool:
        import questionary
        return bool(self._ask(questionary.confirm(self._title(title), default=default, **self.streams)))

    def choice(self, title: str, options: Sequence[tuple[Any, str]], default: Any = None,
               words: dict[str, Any] | None = None) -> Any:
        if len(options) > len(KEYS):
            return super().choice(title, options, default, words)
        import questionary
        choices = [questionary.Choice(_wrapped(label), value=index, shortcut_key=KEYS[index])
                   for index, (_, label) in enumerate(options)]
        values = [value for value, _ in options]
        start = values.index(default) if default in values else 0
        picked = self._ask(questionary.rawselect(self._title(title), choices, default=choices[start], **self.streams))
        return values[picked]

    def many(self, title: str, options: Sequence[str], chosen: Sequence[str], check: Check | None = None) -> list[str]:
        """Some of options, typed as numbers or names (no arrow keys): the list is said first."""
        self.numbered(title, options)

        def picked(answer: str) -> list[str] | None:
            return [] if not answer.strip() else picks(answer, options)

        def refused(answer: str) -> str | None:
            found = picked(answer)
            if found is None:
                return f"name some of: {', '.join(options)}"
            return check(found) if check else None

        answer = self.text(f"Numbers or names, '{EMPTY}' for none", ", ".join(chosen), refused)
        return picked(answer)


def _wrapped(label: str) -> str:
    """A choice's label folded to the terminal's width under its text ('» 1) ' before it): a
    prompt_toolkit line is cut at the edge, not folded."""
    width = max(shutil.get_terminal_size().columns - 6, 20)
    return "\n      ".join(textwrap.wrap(label, width)) or label


def _unless_empty(typed: str) -> str:
    return "" if typed == EMPTY else typed


def _validator(check: Check | None, secret: bool):
    """questionary's validate: True, or the refusal shown under the prompt."""
    if check is None:
        return None
    return lambda typed: True if (why := check(typed if secret else _unless_empty(typed))) is None else why
