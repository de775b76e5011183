"""A compose service that comes back after a crash and leaves nothing behind: `restart:
unless-stopped` unless the admin gave it a restart policy (kept, whatever it says), and /tmp as a
tmpfs unless something is mounted there already. A reader can crash Orthanc (issue 17: a JSON body
nested ~200 deep); without a restart policy the container stays down, and the temporary archives
Orthanc left in /tmp (patient data) stay in the container's layer until it is removed."""

from __future__ import annotations

from ruamel.yaml.nodes import ScalarNode, SequenceNode

from wizard.sources.compose import yaml_edit
from wizard.sources.compose.model import Service
from wizard.sources.compose.yaml_scalars import render, style_of
from wizard.sources.compose.yaml_text import YamlText

RESTART = "unless-stopped"  # `docker compose stop` still stops it; a crash or a reboot does not
TMP = "/tmp"


def restart_policy(service: Service, services: dict[str, Service] | None = None) -> bool:
    """Whether the service has a restart policy of its own: `restart`, `deploy.restart_policy`
    (compose v2 honours it), directly, through a `<<:` merge, or from the service it extends."""
    node, seen = service.node, set()
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        deploy = node.get("deploy") if hasattr(node, "get") else None
        if "restart" in node or (hasattr(deploy, "get") and "restart_policy" in deploy):
            return True
        extends = node.get("extends")
        base = extends.get("service") if hasattr(extends, "get") else extends
        node = (services or {}).get(str(base)).node if base is not None and str(base) in (services or {}) else None
    return False


def has_tmp(service: Service) -> bool:
    """Whether something is mounted at /tmp already: a tmpfs, a volume or a bind the admin chose."""
    node = service.node
    written = node.get("tmpfs") if node is not None else None
    entries = [written] if isinstance(written, str) else list(written or ())
    return any(str(e).split(":")[0].rstrip("/") == TMP for e in entries) or any(
        mount.target.rstrip("/") == TMP for mount in service.mounts)


def add_restart(doc: YamlText, service: str) -> tuple[int, str, str]:
    """`restart: unless-stopped` at the end of the service; returns (line, before, after)."""
    mapping = doc.get("services", service)
    yaml_edit.add_entry(doc, mapping, "restart", RESTART)
    return (mapping.start_mark.line + 1, "not set", RESTART)


def add_tmp(doc: YamlText, service: str) -> tuple[int, str, str] | None:
    """/tmp among the service's tmpfs mounts (a `tmpfs:` list made, or extended); None when the
    list comes from a `<<:` merge that other services share: theirs is left as it is."""
    mapping = doc.get("services", service)
    if doc.entry(mapping, "tmpfs") is None and any(k.tag.endswith(":merge") and doc.entry(v, "tmpfs") is not None
                                                   for k, v in mapping.value if hasattr(v, "value")):
        return None
    pair = doc.service_entry(service, "tmpfs")
    if pair is None:
        yaml_edit.add_entry(doc, mapping, "tmpfs", [TMP])
        return (mapping.start_mark.line + 1, "not set", TMP)
    key, node = pair
    if isinstance(node, ScalarNode) and node.value not in ("", None):
        doc.replace(node, f"[{render(str(node.value), style_of(node))}, {TMP}]")
        return (key.start_mark.line + 1, str(node.value), f"{node.value}, {TMP}")
    if isinstance(node, SequenceNode) and node.value:
        last = node.value[-1]
        yaml_edit.add_item(doc, node, TMP, style_of(last) if isinstance(last, ScalarNode) else None)
        return (key.start_mark.line + 1, ", ".join(str(item.value) for item in node.value),
                ", ".join([*(str(item.value) for item in node.value), TMP]))
    yaml_edit.fill_empty(doc, key, [TMP])
    return (key.start_mark.line + 1, "not set", TMP)
