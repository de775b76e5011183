"""The progress line on stderr: rewritten in place on a terminal; in a log, one line per phase."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, message: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + "verify: " + message[:110])
            self.stream.flush()
            return
        if not message.startswith("row "):  # each row rewrites the line on a terminal only
            self.stream.write(f"verify: {message}\n")

    def done(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
