"""A service's `environment` edited in its compose text: variables set, added and removed in the
style the service writes them (a map `NAME: value` or a list `- NAME=value`, each value quoted as
its neighbours are), `environment:` created when absent and removed when nothing is left in it."""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from wizard.errors import BadInput, Problem
from wizard.sources.compose import yaml_edit
from wizard.sources.compose.yaml_scalars import compose_text, render, style_of
from wizard.sources.compose.yaml_text import YamlText


def apply(doc: YamlText, service: str, sets: dict[str, str], removes: set[str]) -> None:
    """Give each variable of `sets` its text (as the container sees it) and remove `removes`."""
    if not sets and not removes:
        return
    service_node = doc.get("services", service)
    pair = doc.service_entry(service, "environment")
    node = pair[1] if pair else None
    if node is not None and not isinstance(node, (MappingNode, SequenceNode, ScalarNode)):
        raise BadInput(Problem(doc.file, f"services.{service}.environment", "cannot be edited"))
    if isinstance(node, ScalarNode) and node.value not in ("", None) and node.tag.endswith(":str"):
        raise BadInput(Problem(doc.file, f"services.{service}.environment", "is neither a map nor a list"))
    existing = _entries(node) if isinstance(node, (MappingNode, SequenceNode)) else {}
    listed = isinstance(node, SequenceNode)
    style = _style(node, existing)
    added = {}
    for name, text in sets.items():
        value = compose_text(text)
        if name in existing:
            _replace(doc, node, existing[name], name, value)
        else:
            added[name] = value
    gone = {name for name in removes if name in existing and name not in sets}
    if gone and len(gone) == len(existing) and not added:  # nothing left: `environment:` goes too
        yaml_edit.remove_entries(doc, service_node, {"environment"})
        return
    if gone:
        _remove(doc, node, existing, gone)
    if added:
        _add(doc, service_node, pair, node, added, style, listed)


def _entries(node) -> dict:
    """name -> value node (map) or item index (list); the last of a name is the one compose keeps."""
    if isinstance(node, MappingNode):
        return {key.value: value for key, value in node.value}
    return {str(item.value).split("=", 1)[0]: index for index, item in enumerate(node.value)}


def _style(node, existing: dict) -> str | None:
    if isinstance(node, MappingNode) and node.value:
        return style_of(node.value[-1][1]) if style_of(node.value[-1][1]) != "|" else '"'
    if isinstance(node, SequenceNode) and node.value:
        return style_of(node.value[-1])
    return '"'


def _replace(doc: YamlText, node, found, name: str, value: str) -> None:
    if isinstance(node, MappingNode):
        key = next(k for k, v in node.value if v is found)
        if found.start_mark.index == found.end_mark.index:  # `NAME:` alone (taken from the environment)
            doc.insert(doc.content_end(found, key), " " + render(value, '"'))
            return
        indent = doc.indent_at(key.start_mark.index) + yaml_edit.unit(doc)
        doc.replace(found, render(value, style_of(found), indent))
    else:
        item = node.value[found]
        doc.replace(item, render(f"{name}={value}", style_of(item)))


def _remove(doc: YamlText, node, existing: dict, gone: set[str]) -> None:
    if isinstance(node, MappingNode):
        yaml_edit.remove_entries(doc, node, gone)
    else:
        indexes = {i for i, item in enumerate(node.value) if str(item.value).split("=", 1)[0] in gone}
        yaml_edit.remove_items(doc, node, indexes)


def _add(doc: YamlText, service_node, pair, node, added: dict[str, str], style, listed: bool) -> None:
    if isinstance(node, MappingNode) and (node.value or node.flow_style):
        for name, value in added.items():
            yaml_edit.add_entry(doc, node, name, value, style)
    elif isinstance(node, SequenceNode) and (node.value or node.flow_style):
        for name, value in added.items():
            yaml_edit.add_item(doc, node, f"{name}={value}", style)
    elif pair is not None:  # `environment:` with nothing after it
        tree = [f"{n}={v}" for n, v in added.items()] if listed else added
        yaml_edit.fill_empty(doc, pair[0], tree, style)
    else:
        yaml_edit.add_entry(doc, service_node, "environment", dict(added), style)
