"""Orthanc's JSON dialect parsed into values that remember where they are in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from json.decoder import JSONDecodeError, scanstring

# What Orthanc's jsoncpp skips between tokens: blanks, `//` and `/* */` comments.
SKIP = re.compile(r"(?:[ \t\r\n]+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
# An unquoted `${VAR}` works for numbers and booleans: Orthanc substitutes it before parsing.
_SCALAR = re.compile(r"(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
                     r"|(?P<placeholder>\$\{[^}\n]*\})|(?P<literal>(?:true|false|null)\b)")
_LITERALS = {"true": True, "false": False, "null": None}
MAX_DEPTH = 200
BOM = "\ufeff"


class Placeholder(str):
    """An unquoted `${VAR}` or `${VAR:-default}`, which Orthanc replaces before parsing."""


@dataclass(slots=True)
class Node:
    """One value: its span [start, end) in the text and its plain Python value."""

    start: int
    end: int
    value: object
    members: list[Member] | None = None  # objects: in text order, duplicates included
    items: list[Node] | None = None  # arrays


@dataclass(slots=True)
class Member:
    key: str
    key_start: int
    key_end: int
    node: Node
    comma: int  # the comma after the value, or -1


@dataclass
class Document:
    text: str  # without the byte order mark
    root: Node
    bom: bool = False
    duplicates: list[tuple] = field(default_factory=list)  # paths of keys given twice in one object

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"


class JsonSyntaxError(ValueError):
    """Text Orthanc would refuse; `where` is the JSON path of the enclosing value."""

    def __init__(self, message: str, line: int, column: int, where: tuple):
        super().__init__(f"malformed JSON at line {line}, column {column}: {message}")
        self.where = where


def parse(text: str) -> Document:
    bom = text.startswith(BOM)
    parser = _Parser(text[1:] if bom else text)
    root = parser.document()
    return Document(parser.text, root, bom, parser.duplicates)


def is_placeholder(value) -> bool:
    """A value Orthanc takes from the environment: it cannot be judged, only kept as written."""
    return isinstance(value, str) and "${" in value


class _Parser:
    def __init__(self, text: str):
        self.text, self.pos, self.path, self.duplicates = text, 0, [], []

    def document(self) -> Node:
        self.skip()
        if self.peek() != "{":
            self.fail("the configuration must be one JSON object, starting with '{'")
        root = self.value(0)
        self.skip()
        if self.pos < len(self.text):
            self.fail("unexpected text after the closing '}' of the configuration")
        return root

    def peek(self) -> str:
        return self.text[self.pos:self.pos + 1]

    def skip(self) -> None:
        self.pos = SKIP.match(self.text, self.pos).end()
        if self.text.startswith("/*", self.pos):
            self.fail("a /* comment is never closed")

    def fail(self, message: str):
        line = self.text.count("\n", 0, self.pos) + 1
        column = self.pos - self.text.rfind("\n", 0, self.pos)
        raise JsonSyntaxError(message, line, column, tuple(self.path))

    def value(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            self.fail("nested too deeply")
        char = self.peek()
        if char == "{":
            return self.object(depth)
        if char == "[":
            return self.array(depth)
        start = self.pos
        if char == '"':
            value = self.string()
            return Node(start, self.pos, value)
        match = _SCALAR.match(self.text, start)
        if not match:
            self.fail(_unexpected(char))
        self.pos = match.end()
        return Node(start, self.pos, _CONVERT[match.lastgroup](match.group()))

    def string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if not match:
            self.fail("a string is never closed")
        token = match.group()
        try:
            value = token[1:-1] if "\\" not in token else scanstring(token, 1, False)[0]
        except JSONDecodeError as error:
            self.pos += error.pos
            self.fail("invalid escape in a string")
        self.pos = match.end()
        return value

    def object(self, depth: int) -> Node:
        start, members, values = self.pos, [], {}
        self.pos += 1
        self.skip()
        while self.peek() != "}":
            if self.peek() != '"':
                self.fail("expected a key in double quotes or '}'" + _hint(self.peek()))
            key_start = self.pos
            key = self.string()
            key_end = self.pos
            self.skip()
            if self.peek() != ":":
                self.fail(f"expected ':' after the key {key!r}")
            self.pos += 1
            self.skip()
            self.path.append(key)
            node = self.value(depth + 1)
            self.path.pop()
            if key in values:
                self.duplicates.append((*self.path, key))
            values[key] = node.value
            members.append(Member(key, key_start, key_end, node, self.separator("}")))
        self.pos += 1
        return Node(start, self.pos, values, members=members)

    def array(self, depth: int) -> Node:
        start, items = self.pos, []
        self.pos += 1
        self.skip()
        while self.peek() != "]":
            self.path.append(len(items))
            items.append(self.value(depth + 1))
            self.path.pop()
            self.separator("]")
        self.pos += 1
        return Node(start, self.pos, [item.value for item in items], items=items)

    def separator(self, close: str) -> int:
        """Skip to the next member: returns the comma's place (-1 if none). Trailing commas pass,
        as in Debian's jsoncpp."""
        self.skip()
        if self.peek() == ",":
            comma = self.pos
            self.pos += 1
            self.skip()
            return comma
        if self.peek() != close:
            self.fail(f"expected ',' or '{close}'" + _hint(self.peek()))
        return -1


def _number(token: str) -> int | float:
    return float(token) if any(c in token for c in ".eE") else int(token)


_CONVERT = {"number": _number, "placeholder": Placeholder, "literal": _LITERALS.__getitem__}


def _hint(char: str) -> str:
    if char == "#":
        return " ('#' comments are not accepted by Orthanc: use //)"
    if char == "$":
        return " (Orthanc substitutes ${NAME} only, not $NAME)"
    return "" if char else " (the file ends too early)"


def _unexpected(char: str) -> str:
    if not char:
        return "the file ends too early"
    if char == "'":
        return "strings must be in double quotes"
    return f"expected a value, found {char!r}" + _hint(char)
