"""The notes of an edit, made true: a change is listed if and only if its bytes change."""

from __future__ import annotations

import json

from wizard.errors import json_path
from wizard.notes import Note
from wizard.orthanc import secret_spans
from wizard.orthanc.config_files import ConfigSet

MISSING = object()
# Options whose entries are named; their notes name entries, never passwords.
NAMED = ("RegisteredUsers", "DicomModalities", "OrthancPeers")


def changed_keys(before: ConfigSet, after: ConfigSet) -> dict[tuple[str, str], tuple]:
    """(file, top-level key) → (old value, new value) for every key whose text changed."""
    found = {}
    for old_file, new_file in zip(before.files, after.files):
        old, new = _spans(old_file), _spans(new_file)
        for key in old.keys() | new.keys():
            if old.get(key, (None, MISSING))[0] != new.get(key, (None, MISSING))[0]:
                found[(str(old_file.path), key)] = (old.get(key, (None, MISSING))[1], new.get(key, (None, MISSING))[1])
    return found


def _spans(file) -> dict[str, tuple[str, object]]:
    """Each top-level key's text (the last member when repeated, as Orthanc reads it) and value."""
    text = file.doc.text
    return {m.key: (text[m.node.start:m.node.end], m.node.value) for m in file.doc.root.members}


def truthful(notes: list[str], changed: dict[tuple[str, str], tuple]) -> list[str]:
    """Notes claiming a change that did not happen are dropped; changes no note mentions get one."""
    kept = [n for n in notes if not (isinstance(n, Note) and n.claims_change and n.where not in changed)]
    said = {n.where for n in kept if isinstance(n, Note) and n.claims_change}
    return kept + [_note(where, old, new) for where, (old, new) in sorted(changed.items()) if where not in said]


def _note(where: tuple[str, str], old, new) -> Note:
    file, key = where
    place = f"{file}: {json_path((key,))}"
    if old is MISSING:
        return Note("added", f"{place} = {_show(key, new)}", where)
    if new is MISSING:
        return Note("removed", place, where)
    if key in NAMED and isinstance(old, dict) and isinstance(new, dict):
        return Note("changed", f"{place}: {_entries(old, new)}", where)
    if secret_spans.PLUGIN_SECRETS.search(key):  # the proxy's secret, a plugin's: never shown
        return Note("changed", f"{place}: {secret_spans.MASK} → {secret_spans.MASK}", where)
    return Note("changed", f"{place}: {_short(old)} → {_short(new)}", where)


def _entries(old: dict, new: dict) -> str:
    parts = [f"added {', '.join(map(repr, sorted(new.keys() - old.keys())))}" if new.keys() - old.keys() else "",
             f"removed {', '.join(map(repr, sorted(old.keys() - new.keys())))}" if old.keys() - new.keys() else "",
             f"changed {', '.join(map(repr, sorted(k for k in old.keys() & new.keys() if old[k] != new[k])))}"
             if any(old[k] != new[k] for k in old.keys() & new.keys()) else ""]
    return "; ".join(p for p in parts if p) or "rewritten (same entries)"


def _show(key: str, value) -> str:
    if secret_spans.PLUGIN_SECRETS.search(key) and isinstance(value, str):
        return f'"{secret_spans.MASK}"'  # a string, masked as the diff masks it
    if key in NAMED and isinstance(value, dict):
        return "{" + ", ".join(map(repr, value)) + "}" if value else "{}"
    return _short(value)


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
