"""Waivers: a file of `ID: reason` lines. A waived finding is shown with its reason, never counted."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.errors import BadInput, Problem

_ID = re.compile(r"OH-[A-Z]+-[0-9]{3}")
EXAMPLE = "OH-WEB-001: WebDAV is used by the radiologists' workstations (ticket 1234)"


def read(path: Path, known) -> dict[str, str]:
    """The reason of each waived rule ID; blank lines and lines starting with # are skipped."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise BadInput(Problem(str(path), "$", f"cannot be read ({why})")) from None
    waivers: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rule, sep, reason = (part.strip() for part in line.partition(":"))
        where = f"line {number}"
        if not sep or not _ID.fullmatch(rule):
            problems.append(Problem(str(path), where, f"expected 'ID: reason', such as {EXAMPLE!r}"))
        elif rule not in known:
            problems.append(Problem(str(path), where, f"{rule} is not the ID of a rule (see README, Commands)"))
        elif not reason:
            problems.append(Problem(str(path), where, f"{rule} has no reason: say why it is accepted"))
        elif rule in waivers:
            problems.append(Problem(str(path), where, f"{rule} is already waived on line {lines[rule]}"))
        else:
            waivers[rule], lines[rule] = reason, number
    if problems:
        raise BadInput(problems)
    return waivers
