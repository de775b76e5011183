"""A service's `ports`, short (`[IP:][HOST:]CONTAINER[/PROTOCOL]`) and long syntax.

No host IP (or 0.0.0.0, ::) publishes on every interface; no host port publishes on a random one."""

from __future__ import annotations

import re

from wizard.sources.compose.compose_file import item_line, key_line, line_of
from wizard.sources.compose.model import Port
from wizard.sources.compose.project import Project, scalar_text


def read(project: Project, name: str, node) -> list[Port]:
    section = node.get("ports") if hasattr(node, "get") else None
    if section is None:
        return []
    where = f"services.{name}.ports"
    if not isinstance(section, list):
        raise project.refuse(where, "must be a list")
    ports = []
    for index, item in enumerate(section):
        line = item_line(section, index, line_of(section))
        if hasattr(item, "items"):
            ports.append(_long(project, item, f"{where}[{index}]", line))
        else:
            ports.append(_short(project, item, f"{where}[{index}]", line))
    return ports


def _short(project: Project, item, where: str, line: int) -> Port:
    written = project.text_of(item, where) or ""
    spec, _, protocol = written.strip().partition("/")
    ip = None
    if spec.startswith("["):  # [IPv6]:HOST:CONTAINER
        ip, _, spec = spec[1:].partition("]")
        spec = spec.removeprefix(":")
        host, _, container = spec.rpartition(":")
    else:
        parts = spec.split(":")
        container, host = parts[-1], parts[-2] if len(parts) > 1 else None
        ip = ":".join(parts[:-2]) if len(parts) > 2 else None
    if not container or not re.fullmatch(r"[0-9]+(-[0-9]+)?", container):
        raise project.refuse(where, f"{written!r} is not a port mapping ([IP:][HOST:]CONTAINER[/PROTOCOL])")
    as_written = item if isinstance(item, str) else scalar_text(item)
    return Port(as_written, container, ip or None, host or None, (protocol or "tcp").lower(), line)


def _long(project: Project, item, where: str, line: int) -> Port:
    def field(key):
        return project.text_of(item.get(key), f"{where}.{key}") if key in item else None

    target = field("target")
    if target is None:
        raise project.refuse(where, "a port in the long syntax needs a target")
    written = ", ".join(f"{key}: {scalar_text(value) if not isinstance(value, str) else value}" for key, value in item.items())
    return Port(written, target, field("host_ip") or None, field("published") or None,
                (field("protocol") or "tcp").lower(), key_line(item, "target") if "target" in item else line)
