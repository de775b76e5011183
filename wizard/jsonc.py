"""Read JSON with comments (Orthanc's and our profiles' dialect) into plain values."""

from __future__ import annotations

from pathlib import Path

import json5

from wizard.errors import BadInput, Problem


def read_text(path: Path) -> str:
    """The file's text; an unreadable path is bad input naming it."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BadInput(Problem(str(path), "$", "no such file")) from None
    except IsADirectoryError:
        raise BadInput(Problem(str(path), "$", "is a directory, a file was expected")) from None
    except PermissionError:
        raise BadInput(Problem(str(path), "$", "cannot be read (permission denied)")) from None
    except UnicodeDecodeError as error:
        raise BadInput(Problem(str(path), "$", f"is not UTF-8 text ({error.reason} at byte {error.start})")) from None
    except OSError as error:
        raise BadInput(Problem(str(path), "$", f"cannot be read ({error.strerror})")) from None


def loads(text: str, name: str):
    """Parse JSON with `//` and `/* */` comments; a syntax error names the line and column."""
    try:
        return json5.loads(text)
    except ValueError as error:
        first = str(error).splitlines()
        message = next((line.strip() for line in first if "line" in line), first[0] if first else "")
        raise BadInput(Problem(name, "$", f"malformed JSON: {message}")) from None
    except RecursionError:
        raise BadInput(Problem(name, "$", "malformed JSON: nested too deeply")) from None


def load(path: Path):
    return loads(read_text(path), str(path))
