"""A service's published ports moved to the loopback interface (behind a proxy on the same host),
and a host file mounted read-only into it, edited in the compose text item by item."""

from __future__ import annotations

import os
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from wizard.errors import BadInput, Problem
from wizard.sources.compose import yaml_edit
from wizard.sources.compose.yaml_scalars import render, style_of
from wizard.sources.compose.yaml_text import YamlText

LOOPBACK = "127.0.0.1"


def publish_on_loopback(doc: YamlText, service: str, container_ports: set[str]) -> list[tuple[int, str, str]]:
    """Each published port of `container_ports` rewritten to 127.0.0.1:HOST:CONTAINER (a random
    host port becomes the container's own). Returns (line, before, after) per item changed."""
    where = f"services.{service}"
    mode = doc.get("services", service, "network_mode")
    if isinstance(mode, ScalarNode) and str(mode.value).startswith("host"):
        raise BadInput(Problem(doc.file, f"{where}.network_mode", "is host: Orthanc listens on every interface of "
                                                                  "the host and no port mapping can confine it"))
    node = doc.service_entry(service, "ports")
    if node is None or not isinstance(node[1], SequenceNode):
        return []
    changed = []
    for item in node[1].value:
        if isinstance(item, ScalarNode):
            after = _short(str(item.value), container_ports)
            if after is not None:
                doc.replace(item, render(after, style_of(item) if style_of(item) != "plain" else '"'))
                changed.append((item.start_mark.line + 1, str(item.value), after))
        elif isinstance(item, MappingNode):
            changed += _long(doc, item, container_ports)
    return changed


def _short(written: str, container_ports: set[str]) -> str | None:
    """`[IP:][HOST:]CONTAINER[/PROTOCOL]` on the loopback interface, or None when it is not one of
    the ports (or is there already)."""
    spec, slash, protocol = written.strip().partition("/")
    if spec.startswith("["):  # [IPv6]:HOST:CONTAINER
        ip, _, rest = spec[1:].partition("]")
        host, _, container = rest.removeprefix(":").rpartition(":")
    else:
        parts = spec.split(":")
        container, host, ip = parts[-1], parts[-2] if len(parts) > 1 else "", ":".join(parts[:-2])
    if container not in container_ports or ip == LOOPBACK:
        return None
    return f"{LOOPBACK}:{host or container}:{container}{slash}{protocol}"


def _long(doc: YamlText, item: MappingNode, container_ports: set[str]) -> list[tuple[int, str, str]]:
    """A long-syntax port: written in the short syntax when that says all it says (Debian's
    docker-compose 1.29 knows no `host_ip`), else given `host_ip` (docker compose v2)."""
    fields = {key.value: value for key, value in item.value}
    target = fields.get("target")
    if target is None or str(target.value) not in container_ports:
        return []
    ip = fields.get("host_ip")
    line = item.start_mark.line + 1
    if ip is not None:
        if ip.value == LOOPBACK:
            return []
        doc.replace(ip, render(LOOPBACK, style_of(ip)))
        return [(ip.start_mark.line + 1, f"host_ip: {ip.value}", f"host_ip: {LOOPBACK}")]
    before = ", ".join(f"{key}: {value.value}" for key, value in fields.items())
    if set(fields) <= {"target", "published", "protocol"}:
        published = fields.get("published")
        protocol = fields.get("protocol")
        short = f"{LOOPBACK}:{published.value if published else target.value}:{target.value}" + (
            f"/{protocol.value}" if protocol else "")
        doc.edits.append((item.start_mark.index, doc.content_end(item), render(short, '"')))
        return [(line, before, short)]
    yaml_edit.add_entry(doc, item, "host_ip", LOOPBACK)
    return [(line, before, f"{before}, host_ip: {LOOPBACK}")]


def mount_read_only(doc: YamlText, service: str, source: str, target: str) -> tuple[int, str, str] | None:
    """`source:target:ro` among the service's volumes, unless it is there already; a volume on the
    same target is replaced. Returns (line, before, after) when the text changes."""
    service_node = doc.get("services", service)
    wanted = f"{source}:{target}:ro"
    pair = doc.service_entry(service, "volumes")
    if pair is None:
        yaml_edit.add_entry(doc, service_node, "volumes", [wanted])
        return (service_node.start_mark.line + 1, "", wanted)
    node = pair[1]
    if isinstance(node, ScalarNode) and node.value in ("", None):
        yaml_edit.fill_empty(doc, pair[0], [wanted])
        return (pair[0].start_mark.line + 1, "", wanted)
    if not isinstance(node, SequenceNode):
        raise BadInput(Problem(doc.file, f"services.{service}.volumes", "is not a list"))
    for item in node.value:
        if isinstance(item, ScalarNode) and _target(str(item.value)) == target:
            if str(item.value) in (wanted, f"{source}:{target}:ro,z", f"{source}:{target}:ro,Z"):
                return None
            doc.replace(item, render(wanted, style_of(item)))
            return (item.start_mark.line + 1, str(item.value), wanted)
        if isinstance(item, MappingNode) and any(k.value == "target" and v.value == target for k, v in item.value):
            raise BadInput(Problem(doc.file, f"services.{service}.volumes", f"mounts {target} already, in the long "
                                                                            "syntax: replace it by hand"))
    style = style_of(node.value[-1]) if node.value and isinstance(node.value[-1], ScalarNode) else None
    yaml_edit.add_item(doc, node, wanted, style)
    return (node.start_mark.line + 1, "", wanted)


def _target(written: str) -> str | None:
    parts = written.split(":")
    return parts[1].rstrip("/") if len(parts) >= 2 else None


def remount(doc: YamlText, service: str, folder: Path, host: Path, source: str) -> int:
    """The service's bind mount of the host file `host` takes `source` instead; returns its line."""
    node = doc.get("services", service, "volumes")
    for item in getattr(node, "value", None) or ():
        if isinstance(item, ScalarNode) and ":" in str(item.value):
            written, _, rest = str(item.value).partition(":")
            if _resolved(folder, written) == host:
                doc.replace(item, render(f"{source}:{rest}", style_of(item)))
                return item.start_mark.line + 1
        elif isinstance(item, MappingNode):
            fields = {key.value: value for key, value in item.value}
            written = fields.get("source")
            if written is not None and _resolved(folder, str(written.value)) == host:
                doc.replace(written, render(source, style_of(written)))
                return written.start_mark.line + 1
    raise BadInput(Problem(doc.file, f"services.{service}.volumes", f"mounts {host} through a folder shared with "
                                                                    "other services: give this service its own first"))


def _resolved(folder: Path, written: str) -> Path | None:
    if "$" in written or not written.startswith((".", "/", "~")):
        return None
    return Path(os.path.normpath(folder / os.path.expanduser(written)))
