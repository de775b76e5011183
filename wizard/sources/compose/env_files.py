"""An env_file's statement of one variable replaced or removed, every other byte kept: the
statement is found where the reader saw it (its line and its text as written), and a `# comment`
that ends it stays (after the new value, or on a line of its own when the statement goes)."""

from __future__ import annotations

import re

from wizard.errors import BadInput, Problem
from wizard.sources.compose.model import Variable

_UNQUOTED_COMMENT = re.compile(r"^[^=:]*[=:][ \t]*[^'\"\s][^\n]*?([ \t]+#[^\n]*)$")


def _span(text: str, variable: Variable) -> tuple[int, int]:
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: variable.line - 1])
    at = text.find(variable.written, start)
    if variable.line > len(lines) or at < 0 or text[start:at].strip():
        raise BadInput(Problem(str(variable.file), f"line {variable.line}", f"{variable.name} is no longer "
                               "written as it was read: the file changed meanwhile"))
    return at, at + len(variable.written)


def _comment(written: str) -> str:
    """The ` # comment` an unquoted value's line ends with (the reader drops it from the value)."""
    match = _UNQUOTED_COMMENT.match(written)
    return match[1] if match else ""


def replace(text: str, variable: Variable, value: str) -> str:
    """`NAME=value` where the variable's statement was (an `export ` before it is kept)."""
    start, end = _span(text, variable)
    head = "export " if variable.written.startswith("export") else ""
    return text[:start] + f"{head}{variable.name}={value}{_comment(variable.written)}" + text[end:]


def remove(text: str, variable: Variable) -> str:
    """The statement's lines removed; its comment stays on a line of its own."""
    start, end = _span(text, variable)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    comment = (_comment(variable.written) + text[end:line_end]).strip()
    kept = text[line_start:start] + comment + "\n" if comment.startswith("#") else ""
    return text[:line_start] + kept + text[line_end:]
