"""The line of each key of a JSON file, for the origins of what a mounted file sets."""

from __future__ import annotations

import bisect

from wizard.orthanc.document import JsonSyntaxError, Node, parse


def key_lines(text: str) -> dict[tuple, int]:
    """Key path -> 1-based line of the key, as written (before `${VAR}` substitution). A file the
    reader cannot follow gives no lines: its keys keep the file as their origin, without a line."""
    try:
        root = parse(text).root
    except (JsonSyntaxError, RecursionError):
        return {}
    newlines = [i for i, char in enumerate(text.removeprefix("\ufeff")) if char == "\n"]
    lines: dict[tuple, int] = {}
    _walk(root, (), newlines, lines)
    return lines


def _walk(node: Node, path: tuple, newlines: list[int], lines: dict) -> None:
    for member in node.members or ():
        here = (*path, member.key)
        lines[here] = bisect.bisect_left(newlines, member.key_start) + 1
        _walk(member.node, here, newlines, lines)
