"""Compose secrets edited in the compose text: a file-based secret declared under the top-level
`secrets:` and granted to a service (short syntax when the secret's name is the name the
generator must see under /run/secrets, else `source`/`target`), or a grant taken back."""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from wizard.errors import BadInput, Problem
from wizard.sources.compose import yaml_edit
from wizard.sources.compose.yaml_text import YamlText


def declared(doc: YamlText) -> dict[str, str | None]:
    """Top-level secret name -> its `file:` as written (None for other kinds)."""
    node = doc.get("secrets")
    if not isinstance(node, MappingNode):
        return {}
    out = {}
    for key, value in node.value:
        file = doc.entry(value, "file")
        out[key.value] = file[1].value if file and isinstance(file[1], ScalarNode) else None
    return out


def granted(doc: YamlText, service: str) -> dict[str, str]:
    """Secret name -> its name under /run/secrets, for one service."""
    node = doc.get("services", service, "secrets")
    out = {}
    for item in node.value if isinstance(node, SequenceNode) else ():
        if isinstance(item, ScalarNode):
            out[item.value] = item.value
        elif isinstance(item, MappingNode):
            source, target = doc.entry(item, "source"), doc.entry(item, "target")
            if source:
                out[source[1].value] = target[1].value if target else source[1].value
    return out


def users(doc: YamlText, name: str) -> list[str]:
    """The services granted the secret `name`."""
    services = doc.get("services")
    return [key.value for key, _ in getattr(services, "value", []) if name in granted(doc, key.value)]


def declare(doc: YamlText, name: str, file: str) -> None:
    root = doc.root
    if not isinstance(root, MappingNode):
        raise BadInput(Problem(doc.file, "$", "the compose file is not a mapping"))
    pair = doc.entry(root, "secrets")
    entry = {"file": file}
    if pair is None:
        yaml_edit.add_entry(doc, root, "secrets", {name: entry})
    elif isinstance(pair[1], MappingNode) and (pair[1].value or pair[1].flow_style):
        yaml_edit.add_entry(doc, pair[1], name, entry)
    elif isinstance(pair[1], ScalarNode) and pair[1].value in ("", None):
        yaml_edit.fill_empty(doc, pair[0], {name: entry})
    else:
        raise BadInput(Problem(doc.file, "secrets", "is not a mapping of secrets"))


def grant(doc: YamlText, service: str, name: str, target: str) -> None:
    service_node = doc.get("services", service)
    pair = doc.service_entry(service, "secrets")
    item = name if name == target else {"source": name, "target": target}
    if pair is None:
        yaml_edit.add_entry(doc, service_node, "secrets", [item])
    elif isinstance(pair[1], SequenceNode) and (pair[1].value or pair[1].flow_style):
        yaml_edit.add_item(doc, pair[1], item)
    elif isinstance(pair[1], ScalarNode) and pair[1].value in ("", None):
        yaml_edit.fill_empty(doc, pair[0], [item])
    else:
        raise BadInput(Problem(doc.file, f"services.{service}.secrets", "is not a list of secrets"))


def revoke(doc: YamlText, service: str, names: set[str]) -> None:
    """The service no longer gets these secrets (their declarations and files stay)."""
    service_node = doc.get("services", service)
    pair = doc.service_entry(service, "secrets")
    if pair is None or not isinstance(pair[1], SequenceNode):
        return
    gone = set()
    for index, item in enumerate(pair[1].value):
        source = item.value if isinstance(item, ScalarNode) else None
        if isinstance(item, MappingNode) and doc.entry(item, "source"):
            source = doc.entry(item, "source")[1].value
        if source in names:
            gone.add(index)
    if gone and len(gone) == len(pair[1].value):
        yaml_edit.remove_entries(doc, service_node, {"secrets"})
    elif gone:
        yaml_edit.remove_items(doc, pair[1], gone)
