"""Editing a compose deployment in place: the files run's edit of the configuration Orthanc reads
(its notes, rotations and reach summary are the same), then each changed key written back where it
lives in the deployment (writing.Edit), the filter mounted, ports kept on loopback where the
answers say so, and a checklist for a Docker host."""

from __future__ import annotations

import os
from pathlib import Path

from wizard import editing, harden, told
from wizard.errors import BadInput, Problem
from wizard.importing import Imported
from wizard.notes import Note
from wizard.orthanc import document, merge
from wizard import findings, versions
from wizard.sources.compose import edit_steps, new, recheck, writing
from wizard.sources.compose.model import Deployment
from wizard.topics.authentication import LUA_FILE
from wizard.topics.base import Answers

CONTAINER_CONFIG = "/etc/orthanc"
# Settings of the image itself that a files run would change for a host: kept as the image has them.
IMAGE_OWNED = ("StorageDirectory", "IndexDirectory", "Plugins", "HttpBindAddresses")


def plan(answers: Answers, profile_name: str, imported: Imported, out_dir: Path, replace_filter: bool) -> harden.Plan:
    deployment = imported.config.deployment
    if not editing.same_folder(out_dir, deployment.folder):
        raise BadInput(Problem(str(out_dir), "--out", f"a compose deployment is edited in place, in {deployment.folder} "
                                                      "(its mounts and secrets are relative to it): leave out --out, "
                                                      "or copy the folder first and give the copy to --config"))
    new._refuse_what_a_container_cannot_keep(answers, profile_name)
    base = editing.plan(answers, profile_name, imported, out_dir, replace_filter,
                        container=lambda settings: container_values(settings, deployment))
    virtual = imported.config.files[0].name
    wanted = document.parse(base.files.pop(virtual).text).root.value
    base.owners.pop(virtual, None)
    edit = writing.Edit(deployment).configure(wanted)
    lua_host = lua_home(deployment, out_dir)
    if LUA_FILE in base.files:
        if lua_host != out_dir / LUA_FILE:
            base.files[os.path.relpath(lua_host, out_dir)] = base.files.pop(LUA_FILE)
        if mounted_folder(deployment) is None:
            edit.mount_read_only(lua_host, f"{CONTAINER_CONFIG}/{LUA_FILE}")
    published = loopback_only(answers) and edit.publish_on_loopback({str(answers["network"]["http_port"])}).service_notes
    edit.come_back()  # after: `published` above reads the service notes gathered so far
    written = edit.written()
    private = holding_passwords(deployment)
    for change in written.files:
        mode = change.mode if change.mode is not None else _mode(change.path)
        if Path(os.path.abspath(change.path)) in private:  # --config may be relative: private is absolute
            mode &= ~0o007
        base.files[os.path.relpath(change.path, out_dir)] = harden.OutputFile(change.new, mode, mode & 0o077 == 0)
    tightened = []
    for path in sorted(private):
        name = os.path.relpath(path, out_dir)
        if name not in base.files and _mode(path) & 0o007:
            base.files[name] = harden.OutputFile(path.read_text("utf-8"), _mode(path) & ~0o007)
            tightened.append(Note("tightened", f"{path}: it holds passwords and was readable by every local account "
                                              f"(mode {_mode(path):04o} → {_mode(path) & ~0o007:04o})"))
    secrets = sorted({os.path.relpath(path, out_dir) for path in
                      [*(c.path for c in written.files if c.mode == 0o600),
                       *(s.file for s in deployment.service.secrets if s.file is not None)]})
    after = recheck.read_again(deployment, {c.path: c.new for c in written.files}, None)
    base.files[harden.CHECKLIST_FILE] = harden.OutputFile(
        edit_steps.render(answers, base.warnings, deployment.service.name, secrets, exposed(after), out_dir), 0o644)
    base.findings = residual_findings(after, answers)
    reach = [_published_note(imported, answers)] if published else []
    base.notes = [*reach, *(_entries(n, deployment) if _about_virtual(n, virtual) else n for n in base.notes
                            if not _about_virtual(n, virtual) or n.where[1] in merge.COLLECTIONS), *tightened,
                  *(Note("changed", str(note)) for note in written.notes)]
    return base


def holding_passwords(deployment: Deployment) -> set[Path]:
    """The mounted files (JSON configuration, secrets) that keep passwords after an edit: the
    edit writes a changed one in place, so their mode must keep other accounts out."""
    from wizard.sources.compose.placement import secret_roots
    config, found = deployment.generated.config or {}, set()
    for path, origin in deployment.generated.origins.items():
        if origin.kind in ("file", "secret") and origin.file and any(path[:len(r)] == r for r in secret_roots(config)):
            found.add(Path(os.path.abspath(origin.file)))
    return found


def residual_findings(after: Deployment, answers: Answers) -> list:
    """What the audit's rules (the deployment's own included) find in the deployment as edited."""
    facts = findings.Facts(target=versions.parse(answers["orthanc_version"]), deployment=after, answers=answers)
    return findings.of(after.generated.config or {}, facts)


def exposed(after: Deployment) -> list[tuple[int, int]]:
    """(host port, container port) of the service's ports still published on every interface."""
    from wizard.sources.compose.rules_ports import EVERY_INTERFACE, container_ports
    found = []
    for port in after.service.ports:
        if port.host_ip in EVERY_INTERFACE and port.host_port and port.host_port.isdigit():
            inside = container_ports(port)
            if len(inside) == 1:
                found.append((int(port.host_port), inside[0]))
    return sorted(set(found))


def _about_virtual(note, virtual: str) -> bool:
    """A note of the virtual file's bytes: the deployment's own notes say where each change goes."""
    return isinstance(note, Note) and note.verb in ("added", "changed", "removed") and not note.first \
        and note.where is not None and Path(note.where[0]).name == virtual


def _entries(note: Note, deployment: Deployment) -> Note:
    """A user, modality or peer added or removed: the variable notes show a whole value rewritten
    (a secret file's is not shown), so who was added or removed is said of what Orthanc reads."""
    return Note(note.verb, note.rest.replace(f"{deployment.file}: ", "the configuration Orthanc reads: ", 1),
                note.where)


def _published_note(imported: Imported, answers: Answers) -> Note:
    why = told.cause(imported, answers)
    port = answers["network"]["http_port"]
    if answers["https"]["mode"] == "reverse-proxy":
        return Note("changed", f"who can reach Orthanc: remote clients reach the REST API only through the TLS proxy "
                               f"on this host (CHECKLIST.md): port {port} published on 127.0.0.1 only "
                               f"({why('https.mode')})", first=True)
    return Note("changed", f"who can reach Orthanc: remote clients lose access: port {port} published on 127.0.0.1 "
                           f"only ({why('network.remote_access')})", first=True)


def container_values(values: dict, deployment: Deployment) -> dict:
    """The edited configuration as the container must read it: the filter by its container path,
    remote access kept on inside the container (Docker's proxy and the other services connect from
    the bridge; what is published decides who reaches it), the image's own paths as they were."""
    adapted, generated = dict(values), deployment.generated.config or {}
    scripts = adapted.get("LuaScripts")
    if isinstance(scripts, list):
        # An earlier run listed it by its container path already: once is enough.
        adapted["LuaScripts"] = list(dict.fromkeys(f"{CONTAINER_CONFIG}/{LUA_FILE}" if s == LUA_FILE else s
                                                   for s in scripts))
    if adapted.get("HttpServerEnabled", True) is not False and generated.get("RemoteAccessAllowed", True) is not False:
        adapted["RemoteAccessAllowed"] = True
    if adapted.get("HttpsCACertificates") == "" and generated.get("HttpsCACertificates"):
        adapted["HttpsCACertificates"] = generated["HttpsCACertificates"]  # "" is the image's system bundle
    for key in IMAGE_OWNED:
        if key in generated:
            adapted[key] = generated[key]
        else:
            adapted.pop(key, None)
    return adapted


def loopback_only(answers: Answers) -> bool:
    """Behind the TLS proxy, or with remote access off: the REST API published on 127.0.0.1 only."""
    return answers["https"]["mode"] == "reverse-proxy" or not answers["network"]["remote_access"]


def mounted_folder(deployment: Deployment) -> str | None:
    """The host folder bind-mounted as /etc/orthanc, if any: the filter is written into it."""
    for mount in deployment.service.mounts:
        if mount.kind == "bind" and mount.target.rstrip("/") == CONTAINER_CONFIG:
            return mount.source
    return None


def lua_home(deployment: Deployment, out_dir: Path) -> Path:
    folder = mounted_folder(deployment)
    return Path(folder) / LUA_FILE if folder else out_dir / LUA_FILE


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o644
