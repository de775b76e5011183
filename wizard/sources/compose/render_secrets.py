"""Secrets of a compose edit: a key that holds a password is written to a secret file (mode
0600, beside the compose file unless another folder is given) named after the variable the
generator reads it as (`orthanc-registered-users.secret` for ORTHANC__REGISTERED_USERS), declared
under the top-level `secrets:` and granted to the service under that variable's name, so the
generator reads it raw (no `${VAR}` substitution: any character of a password is kept)."""

from __future__ import annotations

import os
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.sources.compose import names, service_secrets
from wizard.sources.compose.builder_text import value as parsed
from wizard.sources.compose.env_values import secret_text
from wizard.sources.compose.notes import Note
from wizard.sources.compose.placement import Plan
from wizard.sources.compose.texts import Texts
from wizard.sources.compose.writers import Writer

MODE = 0o600


def existing(writer: Writer, texts: Texts, plan: Plan) -> None:
    """A secret file that sets a changed key: rewritten (0600), or no longer granted when the key
    goes; one other services share is left to them and this service gets a new one."""
    deployment = texts.deployment
    declared = _declared_name(deployment, writer.secret)
    others = [s for s in service_secrets.users(texts.compose, declared) if s != deployment.service.name]
    current = parsed((texts.text(writer.host) or "").rstrip("\n"))
    if writer.dropped or others:
        service_secrets.revoke(texts.compose, deployment.service.name, {declared})
        if writer.variable is not None:
            texts.removes.add(writer.variable.name)
        why = "no longer granted to this service" + ("" if writer.dropped else ": other services share it")
        texts.notes.append(Note.removed(f"secret {declared}", deployment.file, None, why))
        if not writer.dropped:  # shared: this service gets a secret of its own
            plan.secrets[writer.root] = writer.applied(current)
        return
    texts.write(writer.host, secret_text(writer.applied(current)), MODE)
    texts.notes.append(Note.secret(writer.root, writer.host, deployment.file, deployment.service.name,
                                   writer.secret, new=False))


def new_secret(root: tuple, value, texts: Texts, folder: Path | None) -> None:
    deployment, compose = texts.deployment, texts.compose
    try:
        variable = names.variable(root)
    except ValueError:
        raise BadInput(Problem(str(deployment.file), f"services.{deployment.service.name}",
                               f"{'.'.join(root)} holds a secret that no secret's name can set")) from None
    stem = variable.lower().replace("__", "-").replace("_", "-")
    name, file_stem = variable, stem
    if name in service_secrets.declared(compose):
        service = deployment.service.name
        name, file_stem = f"{variable}_{service.upper().replace('-', '_')}", f"{stem}-{service}"
    host = Path(os.path.abspath((folder or deployment.folder) / f"{file_stem}.secret"))
    service_secrets.declare(compose, name, relative(host, deployment.folder))
    service_secrets.grant(compose, deployment.service.name, name, variable)
    texts.settle()  # the next secret finds the `secrets:` sections this one may have created
    texts.write(host, secret_text(value), MODE)
    texts.notes.append(Note.secret(root, host, deployment.file, deployment.service.name, variable, new=True))


def _declared_name(deployment, secret: str) -> str:
    """The top-level name of the secret mounted as /run/secrets/<secret> in the service."""
    for mount in deployment.service.secrets:
        if mount.target.rsplit("/", 1)[-1] == secret:
            return mount.name
    return secret


def relative(host: Path, folder: Path) -> str:
    rel = os.path.relpath(host, folder)
    return rel if rel.startswith("..") else "./" + rel



