"""Write new option values over a configuration, editing only what differs in Orthanc's eyes."""

from __future__ import annotations

import json

from wizard.orthanc.config_files import ConfigSet
from wizard.orthanc.document import Node
from wizard.orthanc.edit import Editor
from wizard.orthanc.entries import normal_modality, normal_peer

# Options whose members are named entries: edited entry by entry, so that entries we do not
# manage, and the comments between them, stay as they are.
COLLECTIONS = ("RegisteredUsers", "DicomModalities", "OrthancPeers")


def same(a, b) -> bool:
    """Equal as JSON: unlike ==, true is not 1 and 1 is not 1.0."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def removals(config: ConfigSet, settings: dict, removable: dict[str, set[str]]) -> dict[str, Editor]:
    """Entries the answers dropped (a user deleted in the wizard), as edits per file name."""
    editors: dict[str, Editor] = {}
    for key in COLLECTIONS:
        member = config.member(key)
        if member is None or not isinstance(settings.get(key), dict) or member.node.members is None:
            continue
        gone = [m for m in member.node.members if m.key in removable.get(key, ()) and m.key not in settings[key]]
        if gone:
            holder = config.holders[key]
            editors.setdefault(holder.name, Editor(holder.doc)).remove_members(member.node, gone)
    return editors


def write(config: ConfigSet, settings: dict) -> dict[str, Editor]:
    """Edits per file name: each key changed where it is, new keys in their home file."""
    editors = {f.name: Editor(f.doc) for f in config.files}
    added: dict[str, list] = {}
    for key, value in settings.items():
        member = config.member(key)
        if member is None:
            added.setdefault(config.home(key).name, []).append((key, value))
        else:
            update(editors[config.holders[key].name], member.node, value, key)
    for name, pairs in added.items():
        editors[name].add_members(editors[name].doc.root, pairs)
    return editors


def update(editor: Editor, node: Node, new, key: str) -> None:
    old = node.value
    if same(old, new):
        return
    if key in COLLECTIONS and isinstance(old, dict) and isinstance(new, dict) and node.members is not None:
        _update_entries(editor, node, new, key)
    elif isinstance(old, list) and isinstance(new, list) and len(old) < len(new) and same(old, new[:len(old)]):
        editor.append_items(node, new[len(old):])  # LuaScripts gains ours: comments in the list stay
    else:
        editor.replace(node, new)


def _update_entries(editor: Editor, node: Node, new: dict, key: str) -> None:
    current = {m.key: m for m in node.members}  # the last of duplicates wins, as in Orthanc
    added = []
    for name, entry in new.items():
        member = current.get(name)
        if member is None:
            added.append((name, entry))
        elif not _equivalent(key, member.node.value, entry):
            _update_entry(editor, member.node, entry, key)
    editor.add_members(node, added)


def _update_entry(editor: Editor, node: Node, new, key: str) -> None:
    old = node.value
    if not (isinstance(old, dict) and isinstance(new, dict)):
        editor.replace(node, _carry_over(key, old, new))
        return
    # Keys we do not write (LocalAet, Manufacturer, HttpHeaders...) stay; Orthanc reads "URL" as "Url".
    by_key = {m.key: m for m in node.members}
    by_lower = {m.key.lower(): m for m in node.members}
    added = []
    for name, value in new.items():
        member = by_key.get(name) or by_lower.get(name.lower())
        if member is None:
            added.append((name, value))
        elif not same(member.node.value, value):
            editor.replace(member.node, value)
    editor.add_members(node, added)


def _carry_over(key: str, old, new):
    """An array-form modality rewritten as an object keeps its manufacturer (4th item)."""
    if key == "DicomModalities" and isinstance(old, list) and len(old) >= 4 and isinstance(new, dict):
        return {**new, "Manufacturer": old[3]}
    return new


def _equivalent(key: str, old, new) -> bool:
    """Old agrees with every field new sets, once both are read as Orthanc reads them."""
    if key == "RegisteredUsers" or not isinstance(new, dict):
        return same(old, new)
    normal = (normal_modality if key == "DicomModalities" else normal_peer)(old)
    return normal is not None and all(same(normal.get(k), v) for k, v in new.items())
