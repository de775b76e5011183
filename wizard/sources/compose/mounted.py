"""The files the generator finds in the container: /etc/orthanc (the image's own, a Dockerfile's
COPY, bind mounts of a folder or of files) and /run/secrets (compose secrets, bind mounts).
A mounted file that cannot be read is refused: the container could not start as written."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.sources.compose.model import Service
from wizard.sources.compose.project import Project

ETC, SECRETS = "/etc/orthanc", "/run/secrets"


@dataclass
class Found:
    files: dict[str, tuple[Path, str]] = field(default_factory=dict)  # container path -> (host, where)
    secrets: dict[str, tuple[Path, str]] = field(default_factory=dict)  # name -> (host, where)
    notes: list[str] = field(default_factory=list)


def gather(project: Project, service: Service) -> Found:
    found = Found()
    built = service.dockerfile
    if service.build and built is None:
        found.notes.append(f"{project.file}: services.{service.name}.build: no Dockerfile found in {service.build}: "
                           "what the image adds (files in /etc/orthanc, ENV) is not seen")
    if built is not None:
        for host, target, line in built.copies:
            if not host.is_file():
                raise BadInput(Problem(str(built.path), f"line {line}", f"COPY of {host}, which does not exist: "
                                                                         "the image could not be built"))
            found.files[target] = (host, f"{built.path}: line {line}")
        found.notes += [f"{built.path}: {text}: not followed" for text in built.unfollowed]
    for index, mount in enumerate(service.mounts):
        where = f"services.{service.name}.volumes[{index}]"
        if mount.kind != "bind":
            if mount.target == ETC or mount.target.startswith(ETC + "/") or mount.target.startswith(SECRETS):
                found.notes.append(f"{project.file}: {where}: the {mount.kind} at {mount.target} holds files "
                                   "this reading cannot see")
            continue
        _bind(project, found, Path(mount.source), mount.target, where)
    for index, secret in enumerate(service.secrets):
        where = f"secrets.{secret.name}.file"
        _place(project, found, secret.file, secret.target, where)
    return found


def _bind(project: Project, found: Found, host: Path, target: str, where: str) -> None:
    for folder, table in ((ETC, found.files), (SECRETS, found.secrets)):
        if target != folder:
            continue
        if not host.is_dir():
            raise project.refuse(where, f"{host} is not a folder (mounted on {folder})")
        table.clear()  # the folder mounted hides what the image had there
        for child in sorted(host.iterdir()):
            if child.is_file():
                _place(project, found, child, posixpath.join(folder, child.name), where)
        return
    _place(project, found, host, target, where)


def _place(project: Project, found: Found, host: Path, target: str, where: str) -> None:
    folder, name = posixpath.split(target)
    if folder == ETC and name.endswith(".json") and not name.startswith("."):
        _readable(project, host, where)
        found.files[target] = (host, where)
    elif folder == SECRETS and not name.startswith("."):
        _readable(project, host, where)
        found.secrets[name] = (host, where)


def _readable(project: Project, host: Path, where: str) -> None:
    if not host.exists():
        raise project.refuse(where, f"{host} does not exist: the container could not be created")
    if host.is_dir():
        raise project.refuse(where, f"{host} is a folder where the generator reads a file")
    try:
        with open(host, "rb"):
            pass
    except OSError as error:
        raise BadInput(Problem(str(host), "$", f"cannot be read ({error.strerror}); {project.file}: {where}")) from None


def text(host: Path) -> str | None:
    """The file as the generator reads it (UTF-8), or None when it is not UTF-8."""
    try:
        return host.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
