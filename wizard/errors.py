"""Errors a person can act on: each names the file and the place of one problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem of one input file, printed as `file: json_path: message`."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class BadInput(Exception):
    """Input that must stop the run with exit status 2 before anything is written."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = sorted(problems) if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class StaleInput(BadInput):
    """A file changed on disk after it was read or compared: the planned write would lose that."""


def json_path(parts) -> str:
    """Render a sequence of keys and indexes as a JSON path (`$.dicom.modalities[0].aet`)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "a").isalnum():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out
