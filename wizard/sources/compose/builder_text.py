"""The image generator's text steps before json.loads: `envsubst` of a JSON file and the removal of
`//` and `/* */` comments. Both are reproduced as the generator does them, quirks included."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

# envsubst 0.1.5, the version the image installs: `$NAME` first (digits name argv), then
# `${NAME}`, `${NAME:-default}`, `${NAME-default}` on the result; a backslash before `$` protects it.
_SIMPLE = re.compile(r"(?<!\\)\$([A-Za-z0-9_]+)")
_BRACED = re.compile(r"(?<!\\)\$\{([A-Za-z0-9_]+)((:?-)([^}]+))?\}")
# A comment, or a quoted string that protects what looks like one (single quotes too).
_COMMENT = re.compile(r"//.*?$|/\*.*?\*/|'(?:\\.|[^\\'])*'|\"(?:\\.|[^\\\"])*\"", re.DOTALL | re.MULTILINE)


def envsubst(text: str, environ: Mapping[str, str], argv0: str) -> str:
    """The text as the generator hands it to the JSON parser: an unset `$NAME` gives ""."""

    def lookup(name: str, default=None):
        if name.isdigit():  # envsubst reads positional names from the generator's own argv
            return argv0 if int(name) == 0 else default
        return environ.get(name, default)

    def simple(match: re.Match) -> str:
        return lookup(match[1], "")

    def braced(match: re.Match) -> str:
        if not match[2]:
            return lookup(match[1], "")
        default = _SIMPLE.sub(simple, match[4])
        if match[3] == ":-":
            return lookup(match[1]) or default
        return lookup(match[1], default)

    return _BRACED.sub(braced, _SIMPLE.sub(simple, text))


def uncomment(text: str) -> str:
    """Comments replaced by one space each (a block comment's newlines go too)."""
    return _COMMENT.sub(lambda m: " " if m[0].startswith("/") else m[0], text)


def parse(text: str):
    """json.loads after the comments are gone; raises ValueError as the generator sees it."""
    return json.loads(uncomment(text))


def value(text: str):
    """A variable's or a secret's value: JSON when it parses (`12345`, `true`, `null`, `{...}`), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text
