"""Compose's `${VAR}` interpolation, as docker compose v2 (compose-go's template) does it.

`$$` is a dollar; `$NAME` and `${NAME}` give the value, "" when unset (said in `unset`);
`${NAME:-x}`/`${NAME-x}` a default when unset or empty/unset; `${NAME:+x}`/`${NAME+x}` the
replacement when set; `${NAME:?msg}`/`${NAME?msg}` refuse the file with msg when unset or
empty/unset. Defaults, replacements and messages are interpolated in turn. A `$` before anything
else stays; `${` with no valid name is an invalid template, refused as compose refuses it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
_OPERATORS = (":?", "?", ":-", "-", ":+", "+")

Lookup = Callable[[str], "str | None"]


class InterpolationError(ValueError):
    """Compose refuses the file: a required variable is missing, or a template is invalid."""


@dataclass
class Result:
    value: str
    unset: list[str] = field(default_factory=list)  # variables read unset or empty


def substitute(text: str, lookup: Lookup) -> Result:
    """The text with every `$` form replaced."""
    result = Result(text)
    if "$" not in text:
        return result
    out, i = [], 0
    while (dollar := text.find("$", i)) >= 0:
        out.append(text[i:dollar])
        after = text[dollar + 1:dollar + 2]
        if after == "$":
            out.append("$")
            i = dollar + 2
        elif after == "{":
            end = _closing(text, dollar + 1)
            if end < 0:
                raise InterpolationError(f"invalid interpolation format {text!r}: a '${{' is never closed")
            out.append(_braced(text[dollar + 2:end], lookup, result, text))
            i = end + 1
        elif (match := _NAME.match(text, dollar + 1)) is not None:
            out.append(_get(match[0], lookup, result))
            i = match.end()
        else:
            out.append("$")
            i = dollar + 1
    out.append(text[i:])
    result.value = "".join(out)
    return result


def _closing(text: str, brace: int) -> int:
    """The index of the `}` that closes the `{` at `brace`, counting nested `${`."""
    depth, i = 0, brace
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _get(name: str, lookup: Lookup, result: Result) -> str:
    value = lookup(name)
    if not value:
        result.unset.append(name)
    return value or ""


def _braced(inner: str, lookup: Lookup, result: Result, text: str) -> str:
    match = _NAME.match(inner)
    if match is None:
        raise InterpolationError(f"invalid interpolation format for {text!r}")
    name, rest = match[0], inner[match.end():]
    if not rest:
        return _get(name, lookup, result)
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise InterpolationError(f"invalid interpolation format for {text!r}")
    argument, value = rest[len(operator):], lookup(name)
    empty_counts = operator.startswith(":")
    missing = value is None or (empty_counts and value == "")
    if operator.endswith("?"):
        if missing:
            message = substitute(argument, lookup).value
            raise InterpolationError(f"required variable {name} is missing a value" + (f": {message}" if message else ""))
        return value
    if operator.endswith("-"):
        if missing:
            inner_result = substitute(argument, lookup)
            result.unset.extend(inner_result.unset)
            return inner_result.value
        return value
    if missing:  # `+`: the replacement only when set
        if value is None or value == "":
            result.unset.append(name)
        return value or ""
    inner_result = substitute(argument, lookup)
    result.unset.extend(inner_result.unset)
    return inner_result.value
