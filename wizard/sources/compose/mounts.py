"""A service's `volumes` and `secrets` as compose mounts them.

Short volume syntax `SRC:DST[:MODE]`: SRC starting with `.`, `/` or `~` is a host path (relative to
the compose file), else a named volume; long syntax `type/source/target/read_only`. A secret is
mounted at /run/secrets/NAME (or its `target`) from the top-level `secrets:` file; a secret
compose takes from elsewhere (`external:`, `environment:`) cannot be read and is refused."""

from __future__ import annotations

import os
import posixpath
from pathlib import PurePosixPath

from wizard.sources.compose.compose_file import item_line, key_line, line_of
from wizard.sources.compose.model import Deployment, Mount, SecretMount
from wizard.sources.compose.project import Project


def volumes(project: Project, name: str, node) -> list[Mount]:
    section = node.get("volumes") if hasattr(node, "get") else None
    if section is None:
        return []
    where = f"services.{name}.volumes"
    if not isinstance(section, list):
        raise project.refuse(where, "must be a list")
    found = []
    for index, item in enumerate(section):
        line = item_line(section, index, line_of(section))
        here = f"{where}[{index}]"
        found.append(_long(project, item, here, line) if hasattr(item, "items") else _short(project, item, here, line))
    return found


def _short(project: Project, item, where: str, line: int) -> Mount:
    text = project.text_of(item, where) or ""
    parts = text.split(":")
    if len(parts) == 1:
        return Mount("", _container(parts[0]), "volume", False, line)
    source, target, mode = parts[0], parts[1], ":".join(parts[2:])
    if source.startswith((".", "/", "~")):
        return Mount(str(project.path(source)), _container(target), "bind", "ro" in mode.split(","), line)
    return Mount(source, _container(target), "volume", "ro" in mode.split(","), line)


def _long(project: Project, item, where: str, line: int) -> Mount:
    kind = project.text_of(item.get("type", "volume"), f"{where}.type") or "volume"
    source = project.text_of(item.get("source"), f"{where}.source") or ""
    target = project.text_of(item.get("target"), f"{where}.target")
    if not target:
        raise project.refuse(where, "a volume in the long syntax needs a target")
    if kind == "bind" and source:
        source = str(project.path(source))
    read_only = item.get("read_only") is True or str(item.get("read_only")).lower() == "true"
    return Mount(source, _container(target), kind, read_only, key_line(item, "target"))


def _container(path: str) -> str:
    return posixpath.normpath(path) if path else path


def secrets(project: Project, name: str, node) -> list[SecretMount]:
    section = node.get("secrets") if hasattr(node, "get") else None
    if section is None:
        return []
    where = f"services.{name}.secrets"
    if not isinstance(section, list):
        raise project.refuse(where, "must be a list")
    declared = project.document.get("secrets") or {}
    found = []
    for index, item in enumerate(section):
        here = f"{where}[{index}]"
        source = item.get("source") if hasattr(item, "get") else item
        target = (item.get("target") if hasattr(item, "get") else None) or source
        if not isinstance(source, str) or not isinstance(target, str):
            raise project.refuse(here, "a secret is a name, or a mapping with a source")
        target = project.interpolate(target, here).value
        if source not in declared:
            raise project.refuse(here, f"refers to the undefined secret {source!r} (no secrets.{source} at the top level)")
        mount_at = target if target.startswith("/") else posixpath.join("/run/secrets", target)
        found.append(SecretMount(source, posixpath.normpath(mount_at), _secret_file(project, source, declared[source]),
                                 item_line(section, index, line_of(section))))
    return found


def _secret_file(project: Project, name: str, definition):
    where = f"secrets.{name}"
    if not hasattr(definition, "get") or "file" not in definition:
        other = next((key for key in ("external", "environment", "content") if hasattr(definition, "get")
                      and key in definition), None)
        said = f"comes from `{other}:`" if other else "has no `file:`"
        raise project.refuse(where, f"{said}; only file-based secrets can be read (give it a `file:`)")
    raw = definition["file"]
    if not isinstance(raw, str):
        raise project.refuse(f"{where}.file", "must be a path")
    return project.path(project.interpolate(raw, f"{where}.file").value)


def host_path(deployment: Deployment, container_path) -> str | None:
    """The host file behind a container path: the deepest bind mount holding it, else the file the
    service's Dockerfile copies there (a bind mount hides what the image holds), or None."""
    if not isinstance(container_path, str) or not container_path.startswith("/"):
        return None
    path = PurePosixPath(container_path)
    binds = sorted((m for m in deployment.service.mounts if m.kind == "bind"), key=lambda m: -len(m.target))
    for mount in binds:
        target = PurePosixPath(mount.target)
        if path == target or target in path.parents:
            rest = path.relative_to(target)
            source = os.path.abspath(os.path.join(deployment.folder, mount.source))  # relative to the compose file
            return str(PurePosixPath(source) / rest) if str(rest) != "." else source
    built = deployment.service.dockerfile
    copied = [host for host, target, _ in built.copies if target == str(path)] if built is not None else []
    if copied:
        return str(copied[-1])  # the last COPY to a path is what the image holds
    if container_path == "/etc/ssl/certs/ca-certificates.crt":
        return container_path  # the same system bundle on a Debian host
    return None
