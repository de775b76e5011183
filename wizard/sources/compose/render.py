"""A plan's changes made into texts: each place that sets a changed key edits its own file (the
compose file's `environment`, an env_file's line, a mounted JSON file, a secret file), new
variables join the service's `environment`, new secrets are `render_secrets`'. Each change leaves
one note."""

from __future__ import annotations

from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.sources.compose import env_files, render_secrets, service_ports
from wizard.sources.compose.builder_text import parse as parse_json, value as parsed
from wizard.sources.compose.env_values import env_file_value, env_text
from wizard.sources.compose.json_edit import ABSENT, edited, get, parse_or_none, put, values_of
from wizard.sources.compose.notes import Note, compose_line
from wizard.sources.compose.placement import Plan
from wizard.sources.compose.texts import Texts
from wizard.sources.compose.writers import Writer

MOVED = "a password stays out of the compose file: it moves to a secret file"


def render(plan: Plan, texts: Texts, secrets_folder: Path | None) -> None:
    edit = {"variable": _variable, "document": _document, "secret": render_secrets.existing}
    for writer in plan.all():
        if writer.dropped or writer.ops:
            edit[writer.kind](writer, texts, plan)
    service = texts.deployment.service.name
    for name, (root, value) in plan.variables.items():
        texts.sets[name] = env_text(value)
        texts.notes.append(Note.variable(name, root, ABSENT, value, texts.deployment.file, service, True))
    for root, value in plan.secrets.items():
        render_secrets.new_secret(root, value, texts, secrets_folder)


def _variable(writer: Writer, texts: Texts, plan: Plan) -> None:
    variable, deployment = writer.variable, texts.deployment
    compose, service = deployment.file, deployment.service.name
    in_compose = writer.host == compose
    shared = not in_compose and _shared_env_file(deployment, writer.host)
    old_value = _value_of(variable)
    if writer.dropped:
        why = MOVED if any(writer.root[: len(r)] == r or r[: len(writer.root)] == writer.root
                           for r in plan.moved) else ""
        if in_compose:
            texts.removes.add(variable.name)
        elif not shared:
            texts.write(writer.host, env_files.remove(texts.text(writer.host), variable))
        elif isinstance(old_value, dict):
            texts.sets[variable.name] = "{}"  # compose's `environment` wins over the shared env_file
            texts.notes.append(Note(variable.name, f"set to {{}} in environment, over the env_file "
                                    f"{writer.host.name} that other services share", compose,
                                    lambda text: compose_line(text, service, variable.name)))
            return
        else:
            raise BadInput(Problem(str(writer.host), f"line {variable.line}", f"{variable.name} must go, but this "
                                   "env_file is shared with other services: remove it there by hand"))
        texts.notes.append(Note.removed(variable.name, writer.host, variable.line, why))
        return
    new_value = writer.applied(old_value)
    doc = parse_or_none(variable.value or "") if isinstance(new_value, dict) and isinstance(old_value, dict) else None
    text = edited(doc, new_value) if doc is not None else env_text(new_value)
    in_file = env_file_value(text) if not in_compose and not shared else None
    if in_file is not None:
        texts.write(writer.host, env_files.replace(texts.text(writer.host), variable, in_file))
    else:
        texts.sets[variable.name] = text
    file = writer.host if in_file is not None else compose
    for path, new in writer.ops:
        what = variable.name + (f": {'.'.join(path)}" if path else "")
        before = get(old_value, path) if path else old_value
        texts.notes.append(Note.variable(what, (*writer.root, *path), before, new, file, service, in_file is None,
                                         variable.name))


def _value_of(variable):
    """A variable's value as the generator reads it: ORTHANC_JSON without its comments."""
    if variable.name == "ORTHANC_JSON":
        try:
            return parse_json(variable.value or "")
        except ValueError:
            return {}
    return parsed(variable.value or "")


def _document(writer: Writer, texts: Texts, plan: Plan) -> None:
    text, host = texts.text(writer.host), writer.host
    others = _sharing(texts.deployment, writer.host)
    if others:
        host = _own_copy(writer.host, texts, others)
    doc = parse_or_none(text or "")
    if doc is None:
        raise BadInput(Problem(str(writer.host), "$", "cannot be edited: it is not a JSON object the editor "
                                                      "can follow"))
    values = values_of(doc)
    for path, new in writer.ops:
        put(values, path, new)
    mode = render_secrets.MODE if writer.secret else None
    if host != writer.host:  # a copy reads as the original does
        mode = mode or writer.host.stat().st_mode & 0o777
    texts.write(host, edited(doc, values), mode)
    why = "the Dockerfile copies this file: rebuild the image" if _copied(texts.deployment, writer.host) else ""
    texts.notes += [Note.document(host, path, get(plan.old, path), new, text, why) for path, new in writer.ops]


def _copied(deployment, host: Path) -> bool:
    built = deployment.service.dockerfile
    return built is not None and any(Path(copied) == host for copied, _, _ in built.copies)


def _own_copy(host: Path, texts: Texts, others: list[str]) -> Path:
    """A file other services mount too: this service gets a copy beside it, mounted instead."""
    deployment = texts.deployment
    service = deployment.service.name
    copy_path = host.with_name(f"{host.stem}.{service}{host.suffix}")
    if copy_path.exists() or copy_path in texts.files:
        raise BadInput(Problem(str(host), "$", f"is mounted by services {', '.join(others)} too, and "
                               f"{copy_path.name}, the copy this service would mount instead, exists already"))
    source = render_secrets.relative(copy_path, deployment.folder)
    line = service_ports.remount(texts.compose, service, deployment.folder, host, source)
    texts.notes.append(Note(f"services.{service}.volumes", f"mounts {copy_path.name}, a copy of {host.name}, "
                            f"which services {', '.join(others)} mount too", deployment.file, None, line))
    return copy_path


def _shared_env_file(deployment, path: Path) -> bool:
    return any(v.file == path for s in deployment.services.values() if s.name != deployment.service.name
               for v in s.environment.values())


def _sharing(deployment, host: Path) -> list[str]:
    """Other services that mount the host file (or a folder holding it)."""
    found = []
    for service in deployment.services.values():
        if service.name == deployment.service.name:
            continue
        for mount in service.mounts:
            if mount.kind == "bind" and (Path(mount.source) == host or Path(mount.source) in host.parents):
                found.append(service.name)
                break
    return found
