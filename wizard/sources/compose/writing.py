"""Editing a compose deployment in place: the new texts of the files to change, everything else
kept byte for byte.

    edit = Edit(deployment)                       # as read by reading.load
    edit.configure(wanted)                        # the configuration Orthanc should read
    edit.publish_on_loopback({"8042"})            # behind a proxy on the same host
    edit.mount_read_only(lua_file, "/etc/orthanc/orthanc-security.lua")
    written = edit.written()                      # checked: the generator gives `wanted`
    for change in written.files: ...              # (path, old text or None, new text, mode)

`changes(deployment, wanted)` is the first and last steps in one call. Nothing is written to
disk here: the caller writes `Written.files` (atomically, with backups) and shows `notes`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.sources.compose import recheck, service_env, service_ports, service_recovery
from wizard.sources.compose.model import Deployment
from wizard.sources.compose.notes import Note
from wizard.sources.compose.placement import Plan
from wizard.sources.compose.render import render
from wizard.sources.compose.texts import Texts
from wizard.sources.compose.yaml_text import YamlText

BOM = "\ufeff"


@dataclass(frozen=True)
class FileChange:
    path: Path  # the host file
    old: str | None  # its text before (None: a new file)
    new: str
    mode: int | None  # None: keep the file's mode (a new file: the process's default); 0o600 for secrets


@dataclass
class Written:
    files: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line per change, with the file and line that say it

    def text(self, path: Path) -> str | None:
        return next((change.new for change in self.files if change.path == Path(path)), None)


class Edit:
    """The changes to one compose deployment, gathered in memory."""

    def __init__(self, deployment: Deployment, secrets_folder: Path | None = None,
                 environ: Mapping[str, str] | None = None):
        self.deployment, self.secrets_folder, self.environ = deployment, secrets_folder, environ
        self.texts = Texts(deployment)
        self.wanted: dict | None = None
        self.service_notes: list[Note] = []
        self.done: dict[Path, str] | None = None  # the new texts, once `written` made them

    def configure(self, wanted: dict) -> Edit:
        """Make the generator build `wanted` (top-level keys; an image default it lacks may stay)."""
        self._open()
        if self.wanted is not None:
            raise ValueError("configure is called once per edit")
        generated = self.deployment.generated
        if generated.config is None and not generated.origins:
            raise BadInput(Problem(str(self.deployment.file), f"services.{self.deployment.service.name}",
                                   "the container stops at start-up today, so where each key lives is unknown: "
                                   f"{generated.reason}"))
        self.wanted = wanted
        plan = Plan(self.deployment, wanted).run()
        render(plan, self.texts, self.secrets_folder)
        return self

    def publish_on_loopback(self, container_ports) -> Edit:
        self._open()
        service = self.deployment.service.name
        for _, before, after in service_ports.publish_on_loopback(self.texts.compose, service,
                                                                  {str(p) for p in container_ports}):
            self.service_notes.append(Note(f"services.{service}.ports", f"{before} -> {after}",
                                           self.deployment.file, _locator(service, "ports", after)))
        return self

    def mount_read_only(self, host_file: Path, container_path: str) -> Edit:
        """Mount a host file (relative to the compose file when beside or below it) read-only."""
        self._open()
        service = self.deployment.service.name
        source = os.path.relpath(os.path.abspath(host_file), os.path.abspath(self.deployment.folder))
        source = "./" + source if not source.startswith("..") else source
        changed = service_ports.mount_read_only(self.texts.compose, service, source, container_path)
        if changed is not None:
            _, before, after = changed
            self.service_notes.append(Note(f"services.{service}.volumes", f"{before or 'not mounted'} -> {after}",
                                           self.deployment.file, _locator(service, "volumes", after)))
        return self

    def come_back(self) -> Edit:
        """The service restarted after a crash (unless it has a restart policy) with /tmp on a
        tmpfs (unless something is mounted there): service_recovery."""
        self._open()
        deployment, doc = self.deployment, self.texts.compose
        service = deployment.service.name
        done = [("restart", service_recovery.add_restart(doc, service))
                if not service_recovery.restart_policy(deployment.service, deployment.services) else None,
                ("tmpfs", service_recovery.add_tmp(doc, service)) if not service_recovery.has_tmp(deployment.service)
                else None]
        for section, change in (entry for entry in done if entry and entry[1]):
            _, before, after = change
            self.service_notes.append(Note(f"services.{service}.{section}", f"{before} -> {after}",
                                           deployment.file, _locator(service, section, after.split(", ")[-1])))
        return self

    def _open(self) -> None:
        if self.done is not None:
            raise ValueError("this edit was written already: start a new Edit")

    def written(self, check: bool = True) -> Written:
        """The files that change and the notes; with `check`, the edited deployment is read again
        and must give the wanted configuration (BadInput naming the first key that would not)."""
        if self.done is None:
            texts = self.texts
            service_env.apply(texts.compose, self.deployment.service.name, texts.sets, texts.removes)
            compose_text = texts.compose.result()
            self.done = dict(texts.files)
            if compose_text != self.deployment.text:
                self.done[self.deployment.file] = compose_text
        new = self.done
        generated = self.deployment.generated
        wanted = self.wanted if self.wanted is not None else (generated.config if generated.exit == 0 else None)
        if check and new and wanted is not None:  # ports and mounts alone must leave the configuration as it is
            recheck.check(self.deployment, recheck.read_again(self.deployment, new, self.environ), wanted)
        return Written(self._changes(new), [n.finish(new) for n in [*self.texts.notes, *self.service_notes]])

    def _changes(self, new: dict[Path, str]) -> list[FileChange]:
        changes = []
        for path, text in new.items():
            old = self.texts.old.get(path) if path != self.deployment.file else _raw(path)
            if path == self.deployment.file and old is not None and old.startswith(BOM):
                text = BOM + text
            if text != old:
                changes.append(FileChange(path, old, text, self.texts.modes.get(path)))
        return changes


def changes(deployment: Deployment, wanted: dict, secrets_folder: Path | None = None,
            environ: Mapping[str, str] | None = None) -> Written:
    """The files to change so that Orthanc reads `wanted`, and one note per change."""
    return Edit(deployment, secrets_folder, environ).configure(wanted).written()


def publish_on_loopback(deployment: Deployment, container_ports) -> Written:
    return Edit(deployment).publish_on_loopback(container_ports).written()


def mount_read_only(deployment: Deployment, host_file: Path, container_path: str) -> Written:
    return Edit(deployment).mount_read_only(host_file, container_path).written()


def _raw(path: Path) -> str | None:
    return path.read_bytes().decode("utf-8") if path.is_file() else None


def _locator(service: str, section: str, value: str):
    def locate(text: str) -> int | None:
        node = YamlText(text, "compose").get("services", service, section)
        if node is not None and isinstance(node.value, str):  # a scalar: `restart: unless-stopped`
            return node.start_mark.line + 1
        for item in getattr(node, "value", None) or ():
            written = str(item.value) if not isinstance(item.value, list) else " ".join(
                f"{k.value}: {v.value}" for k, v in item.value)
            if value in written:
                return item.start_mark.line + 1
        return None
    return locate
