"""Read JSON with comments (Orthanc's and our profiles' dialect) into plain values.

Orthanc's jsoncpp accepts `//` and `/* */` comments and trailing commas. We blank those out
(keeping every line and column where it was, so errors point at the right place) and let
the standard library parse the rest. json-five was tried first and dropped: 1.1.2 decodes
`\\u0041` inside a string twice (a password `pa\\u0041ss` became `paAss`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from wizard.errors import BadInput, Problem

_STRING = r'"(?:[^"\\\n]|\\.)*"'
_COMMENT = re.compile(rf"({_STRING})|(//[^\n]*|/\*[\s\S]*?\*/)")
_TRAILING_COMMA = re.compile(rf"({_STRING})|,(?=\s*[}}\]])")


def read_text(path: Path) -> str:
    """The file's text; an unreadable path is bad input naming it."""
    return decode(path, read_bytes(path))


def decode(path: Path, raw: bytes) -> str:
    """The text of bytes read from path, without a byte order mark; not UTF-8 is bad input."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(Problem(str(path), "$", f"is not UTF-8 text ({error.reason} at byte {error.start})")) from None


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable path is bad input naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(Problem(str(path), "$", "no such file")) from None
    except IsADirectoryError:
        raise BadInput(Problem(str(path), "$", "is a directory, a file was expected")) from None
    except PermissionError:
        raise BadInput(Problem(str(path), "$", "cannot be read (permission denied)")) from None
    except OSError as error:
        raise BadInput(Problem(str(path), "$", f"cannot be read ({error.strerror})")) from None


def strip(text: str) -> str:
    """The text with comments and trailing commas replaced by blanks (newlines kept)."""
    text = _COMMENT.sub(lambda m: m[1] or re.sub(r"[^\n]", " ", m[2]), text.removeprefix("\ufeff"))
    return _TRAILING_COMMA.sub(lambda m: m[1] or " ", text)


def loads(text: str, name: str):
    """Parse JSON with comments; a syntax error names the line and column. Duplicate keys: the last wins."""
    try:
        value, deep = json.loads(strip(text)), False
    except json.JSONDecodeError as error:
        raise BadInput(Problem(name, "$", f"malformed JSON: {error.msg} at line {error.lineno} "
                                          f"column {error.colno}")) from None
    except RecursionError:
        value, deep = None, True
    if deep or _deeper_than(value, MAX_DEPTH):
        # What the json module accepts (about 1,000 levels), copying or validating it would not.
        raise BadInput(Problem(name, "$", f"malformed JSON: nested too deeply (more than {MAX_DEPTH} levels)"))
    return value


MAX_DEPTH = 64  # no profile or Orthanc configuration nests more than a few levels


def _deeper_than(value, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def load(path: Path):
    return loads(read_text(path), str(path))
