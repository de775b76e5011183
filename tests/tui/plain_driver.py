"""Answers for the line-by-line mode, given by question rather than by position (a topic that
gains a question does not shift them): in process through text streams, or to the installed
command through real pipes."""

from __future__ import annotations

import io
import os
import subprocess

from wizard.commands.interactive import starts
from wizard.tui import prompts
from wizard.tui.asked import KEYS, Asked
from wizard.tui.lines import YES, Ended, Lines, pick

MAX_PROMPTS = 400


class Script:
    """Steps (words, answer): an answer is given at the first prompt whose text (what was printed
    since the last answer: the question, its choices, the prompt) holds its words; every other
    prompt gets Enter. Once the steps are done, the input ends."""

    def __init__(self, steps: list[tuple[str, str]]) -> None:
        self.steps, self.prompts = list(steps), 0

    def answer(self, asked: str) -> str | None:
        self.prompts += 1
        assert self.prompts < MAX_PROMPTS, f"asked again and again; last:\n{asked}"
        if not self.steps:
            return None
        words, answer = self.steps[0]
        if words in asked:
            self.steps.pop(0)
            return answer
        return ""


class _Typed(io.StringIO):
    def __init__(self, printed: io.StringIO, script: Script) -> None:
        super().__init__()
        self.printed, self.script, self.seen = printed, script, 0

    def readline(self, *_) -> str:
        text = self.printed.getvalue()
        asked, self.seen = text[self.seen:], len(text)
        answer = self.script.answer(asked)
        return "" if answer is None else answer + "\n"


def run_script(steps: list[tuple[str, str]], preset=None, out="out", config=None,
               terminal: bool = False) -> tuple[int, str]:
    """The wizard's line-by-line mode in this process: its exit status and everything it printed.
    `terminal`: answered as a person at a terminal would be (a refused answer is asked again),
    not as answers piped in (a refused answer ends the run)."""
    origins, chosen = starts(preset, config, out, debian=None)
    printed = io.StringIO()
    code = prompts.run(origins, chosen, Lines(_Typed(printed, Script(steps)), printed, strict=not terminal))
    return code, printed.getvalue()


def converse(command: list[str], steps: list[tuple[str, str]], cwd, timeout: float = 60,
             env: dict | None = None) -> tuple[int, str, str]:
    """Run command with its standard input and output as pipes, answering each prompt (a line
    that ends in ': ' with nothing after it) as the script says: exit status, stdout, stderr."""
    script = Script(steps)
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    printed, seen = b"", 0
    while True:
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            break
        printed += chunk
        if printed.endswith(b": "):
            answer = script.answer(printed[seen:].decode("utf-8"))
            seen = len(printed)
            if answer is None:
                process.stdin.close()
            else:
                process.stdin.write(answer.encode("utf-8") + b"\n")
                process.stdin.flush()
    error = process.stderr.read()
    return process.wait(timeout), printed.decode("utf-8"), error.decode("utf-8")


class _Keyed(Asked):
    """--plain's questionary prompts answered as a person at a terminal types: each script step
    becomes the keys its prompt takes, sent through prompt_toolkit's pipe input just before it asks."""

    def __init__(self, printed: io.StringIO, script: Script, pipe, output) -> None:
        super().__init__(printed, pipe, output)
        self.printed, self.script, self.pipe, self.seen = printed, script, pipe, 0

    def _answer(self, title: str) -> str:
        text = self.printed.getvalue()
        asked, self.seen = text[self.seen:] + title, len(text)
        answer = self.script.answer(asked)
        if answer is None:
            raise Ended
        return answer

    def text(self, title, default="", check=None, secret=False):
        answer = self._answer(title)
        self.pipe.send_text("\r" if answer == "" else ("" if secret else CLEAR) + answer + "\r")
        return super().text(title, default, check, secret)

    def yes_no(self, title, default):
        answer = self._answer(title).lower()
        self.pipe.send_text("\r" if answer == "" else "y" if answer in YES else "n")
        return super().yes_no(title, default)

    def choice(self, title, options, default=None, words=None):
        answer = self._answer(title)
        if answer:
            values = [value for value, _ in options]
            found = (words or {}).get(answer.lower(), pick(answer, options))
            self.pipe.send_text(KEYS[values.index(found)])
        self.pipe.send_text("\r")
        return super().choice(title, options, default, words)


CLEAR = "\x15"  # Ctrl-U: the answer shown in the field is replaced by what is typed


def run_keyed(steps: list[tuple[str, str]], preset=None, out="out", config=None, output=None) -> tuple[int, str]:
    """The wizard's --plain as questionary asks it at a terminal, in this process: its exit status
    and what it said between the prompts (the prompts themselves go to `output`, a dummy screen
    unless given)."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    origins, chosen = starts(preset, config, out, debian=None)
    printed = io.StringIO()
    with create_pipe_input() as pipe:
        code = prompts.run(origins, chosen, _Keyed(printed, Script(steps), pipe, output or DummyOutput()))
    return code, printed.getvalue()
