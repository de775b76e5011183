"""`.env` and `env_file` files as docker compose v2 reads them (compose-go's dotenv parser).

`KEY=value` or `KEY: value`, an optional `export `, `#` comment lines; an unquoted value ends at
the line's end, loses a ` #` comment and trailing blanks, and is interpolated; a single-quoted
value is taken as written (it may span lines); a double-quoted one understands `\\n`, `\\t`, `\\"`...
and is interpolated; a bare `KEY` takes its value from the lookup, or is left out.
(docker-compose 1.29 keeps quotes and does not interpolate: v2 is followed.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from wizard.sources.compose.interpolation import InterpolationError, substitute

_KEY = re.compile(r"(?:export[ \t]+)?([^\s=:#]*)[ \t]*([=:]|\n|$)")
_KEY_CHARS = re.compile(r"[\w.\-\[\]]+")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"', "$": "$$"}


class DotenvError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Entry:
    key: str
    value: str
    line: int
    written: str  # the statement as written
    unset: tuple[str, ...] = ()


def parse(text: str, lookup: Callable[[str], str | None]) -> list[Entry]:
    """The entries in file order. `lookup` resolves `${VAR}` and bare keys; it is consulted before
    the values the file set earlier, as compose does."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    entries: list[Entry] = []
    own: dict[str, str] = {}

    def resolve(name: str) -> str | None:
        found = lookup(name)
        return found if found is not None else own.get(name)

    pos, line, counted = 0, 1, 0
    while (start := _statement(text, pos)) is not None:
        line, counted = line + text.count("\n", counted, start), start
        match = _KEY.match(text, start)
        key = match[1] if match else ""
        if not key or not _KEY_CHARS.fullmatch(key):
            raise DotenvError(line, f"unexpected character in variable name {text[start:].split(chr(10))[0]!r}")
        if match[2] in ("\n", ""):  # a bare KEY: inherited
            pos = match.end()
            value = lookup(key)
            if value is not None:
                entries.append(Entry(key, value, line, key))
                own[key] = value
            continue
        value_start = _skip_blanks(text, match.end())
        value, pos, unset = _value(text, value_start, resolve, line)
        entries.append(Entry(key, value, line, text[start:pos].rstrip("\n"), unset))
        own[key] = value
    return entries


_VISIBLE = re.compile(r"\S")


def _statement(text: str, pos: int) -> int | None:
    while True:
        found = _VISIBLE.search(text, pos)
        if found is None:
            return None
        if text[found.start()] != "#":
            return found.start()
        newline = text.find("\n", found.start())
        if newline < 0:
            return None
        pos = newline


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\v\f\r\x85\xa0":
        pos += 1
    return pos


def _value(text: str, pos: int, resolve, line: int) -> tuple[str, int, tuple[str, ...]]:
    quote = text[pos:pos + 1]
    if quote not in ("'", '"'):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        value, unset = _interpolate(text[pos:end].split(" #", 1)[0].rstrip(), resolve, line)
        return value, end, unset
    chars, i, escaped = [], pos + 1, False
    while i < len(text):
        char = text[i]
        if char == quote and not escaped:
            raw = "".join(chars)
            if quote == "'":
                return raw, i + 1, ()
            value, unset = _interpolate(_unescape(raw), resolve, line)
            return value, i + 1, unset
        if char == "\\" and not escaped:
            escaped = True
        else:
            if escaped and char != quote:
                chars.append("\\")
            chars.append(char)
            escaped = False
        i += 1
    raise DotenvError(line, f"unterminated quoted value {text[pos:].split(chr(10))[0]}")


def _unescape(raw: str) -> str:
    return re.sub(r"\\([abfnrtv\\\"$])", lambda m: _ESCAPES[m[1]], raw)


def _interpolate(raw: str, resolve, line: int) -> tuple[str, tuple[str, ...]]:
    try:
        result = substitute(raw, resolve)
    except InterpolationError as error:
        raise DotenvError(line, str(error)) from None
    return result.value, tuple(result.unset)
