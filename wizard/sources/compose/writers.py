"""The places that set keys of a compose service's configuration, as found in the origins the
generator's reproduction records: a variable (`ORTHANC__...`, `ORTHANC_JSON`, `ORTHANC_PASSWORD`,
in the compose file or an env_file), a JSON document (a file mounted in /etc/orthanc, a secret
`/run/secrets/*.json`), or a secret file holding one variable's value. Each place holds its value
at a key path (its root: `()` for a whole document, `("DicomWeb", "Enable")` for
`ORTHANC__DICOM_WEB__ENABLE`) and collects the changes made at or below that path."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from wizard.sources.compose import names
from wizard.sources.compose.json_edit import ABSENT, put
from wizard.sources.compose.model import Deployment, Origin, Variable

PASSWORD_USER = ("RegisteredUsers", "orthanc")  # what ORTHANC_PASSWORD sets


@dataclass(eq=False)
class Writer:
    kind: str  # "variable", "document" (a JSON file or JSON secret) or "secret" (one value)
    root: tuple
    origin: Origin
    host: Path | None  # the file it is written in (compose file, env_file, mounted file, secret file)
    variable: Variable | None = None  # a variable's own entry; for a secret behind a pointer, the pointer
    secret: str | None = None  # a secret's name under /run/secrets
    ops: list[tuple[tuple, object]] = field(default_factory=list)  # (path below root, value or ABSENT)
    dropped: bool = False  # the whole place goes (a variable removed, a secret no longer granted)

    @property
    def name(self) -> str:
        return self.variable.name if self.kind == "variable" else (self.secret or self.origin.name)

    def covers(self, path: tuple) -> bool:
        """Whether `path` lies in this place's value (so this place can set or remove it)."""
        return path[: len(self.root)] == self.root

    def below(self, path: tuple) -> bool:
        """Whether this place's whole value lies at or below `path` (removing `path` removes it)."""
        return self.root[: len(path)] == path

    def put(self, path: tuple, value) -> None:
        """Set (or with ABSENT remove) `path`; a path at or above the root replaces or drops it all."""
        if self.below(path) and value is ABSENT:
            self.dropped = True
            return
        if self.below(path) and path != self.root:
            raise ValueError(f"{self.name} holds {'.'.join(self.root)}, not all of {'.'.join(path)}")
        self.ops.append((path[len(self.root):], value))

    def applied(self, current):
        """This place's value once its changes are made (`current`: its value today)."""
        value = copy.deepcopy(current)
        for path, new in self.ops:
            if not path:
                value = copy.deepcopy(new)
            else:
                value = value if isinstance(value, dict) else {}
                put(value, path, new)
        return value


def find(deployment: Deployment) -> dict[Origin, Writer]:
    """A writer for every origin the generated configuration names (the image's defaults excepted)."""
    found: dict[tuple, Writer] = {}
    by_origin: dict[Origin, Writer] = {}
    for origin in dict.fromkeys(deployment.generated.origins.values()):  # in key order: notes are stable
        if origin.kind == "default":
            continue
        writer = _writer(deployment, origin)
        key = (writer.kind, str(writer.host), writer.name, writer.root)
        by_origin[origin] = found.setdefault(key, writer)
    return by_origin


def _writer(deployment: Deployment, origin: Origin) -> Writer:
    host = Path(origin.file) if origin.file else None
    if origin.kind == "variable":
        variable = deployment.service.environment.get(origin.name)
        if origin.name == "ORTHANC_JSON":
            root = ()
        elif origin.name == "ORTHANC_PASSWORD":
            root = PASSWORD_USER
        else:
            root = names.key_path(origin.name)
        return Writer("variable", root, origin, host, variable)
    secret = origin.name.removeprefix("/run/secrets/") if origin.kind == "secret" else None
    pointer = _pointer(deployment, secret) if secret else None
    if origin.kind == "file" or (secret and secret.endswith(".json") and pointer is None):
        return Writer("document", (), origin, host, secret=secret)
    target = pointer.name[: -len(names.POINTER)] if pointer else secret
    return Writer("secret", names.key_path(target), origin, host, pointer, secret=secret)


def _pointer(deployment: Deployment, secret: str) -> Variable | None:
    """The `..._SECRET` variable that names this secret file, if one does."""
    for variable in deployment.service.environment.values():
        if names.is_pointer(variable.name) and variable.value == secret:
            return variable
    return None


def at(origins: dict[tuple, Origin], writers: dict[Origin, Writer], path: tuple) -> list[Writer]:
    """The places that set `path` or anything below it, in a stable order."""
    seen: list[Writer] = []
    for key, origin in origins.items():
        if key[: len(path)] == path and origin in writers and writers[origin] not in seen:
            seen.append(writers[origin])
    return seen


def holder(origins: dict[tuple, Origin], writers: dict[Origin, Writer], path: tuple) -> Writer | None:
    """The place that set the nearest existing parent of `path`, when it can hold `path` too."""
    for end in range(len(path) - 1, 0, -1):
        origin = origins.get(path[:end])
        writer = writers.get(origin) if origin else None
        if writer is not None:
            return writer if writer.covers(path) else None
    return None
