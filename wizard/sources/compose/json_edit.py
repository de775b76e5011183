"""A JSON text (a mounted configuration file, a JSON secret, ORTHANC_JSON, a variable holding an
object) given new values at key paths, edited with the project's JSONC editor: only the members
whose value changes are rewritten, objects are walked member by member, so comments and the
layout of everything else stay as they were."""

from __future__ import annotations

import copy

from wizard.orthanc.document import Document, JsonSyntaxError, Node, parse
from wizard.orthanc.edit import Editor
from wizard.orthanc.merge import same, update

ABSENT = object()  # a key path that must not be set


def equal(a, b) -> bool:
    """Equal as JSON (true is not 1), ABSENT equal only to itself."""
    if a is ABSENT or b is ABSENT:
        return a is b
    return same(a, b)


def parse_or_none(text: str) -> Document | None:
    try:
        return parse(text)
    except (JsonSyntaxError, RecursionError):
        return None


def values_of(doc: Document) -> dict:
    return copy.deepcopy(doc.root.value)


def put(values: dict, path: tuple, value) -> None:
    """Set (or, with ABSENT, remove) `path` in a plain dict, creating objects on the way."""
    for key in path[:-1]:
        if not isinstance(values.get(key), dict):
            if value is ABSENT:
                return
            values[key] = {}
        values = values[key]
    if value is ABSENT:
        values.pop(path[-1], None)
    else:
        values[path[-1]] = copy.deepcopy(value)


def get(values, path: tuple):
    for key in path:
        if not isinstance(values, dict) or key not in values:
            return ABSENT
        values = values[key]
    return values


def edited(doc: Document, new: dict) -> str:
    """The document's text holding `new` as its top-level object."""
    editor = Editor(doc)
    try:
        _update_object(editor, doc.root, new)
        return editor.result()
    except AssertionError:  # edits that touch one another: rewrite each changed top-level key whole
        editor = Editor(doc)
        _update_object(editor, doc.root, new, whole=True)
        return editor.result()


def _update_object(editor: Editor, node: Node, new: dict, whole: bool = False) -> None:
    members = _last_of_each(node)
    gone = [m for m in node.members if m.key not in new]
    if gone:
        editor.remove_members(node, gone)
    added = [(key, value) for key, value in new.items() if key not in members]
    for key, member in members.items():
        if key in new and not same(member.node.value, new[key]):
            _update_value(editor, member.node, new[key], key, whole)
    if added:
        editor.add_members(node, added)


def _update_value(editor: Editor, node: Node, new, key: str, whole: bool) -> None:
    old = node.value
    if not whole and isinstance(old, dict) and isinstance(new, dict) and node.members is not None:
        _update_object(editor, node, new)
    elif whole:
        editor.replace(node, new)
    else:
        update(editor, node, new, key)


def _last_of_each(node: Node) -> dict:
    """Members by key: the last of duplicates is the one a JSON reader keeps."""
    return {member.key: member for member in node.members}
