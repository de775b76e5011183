"""What a compose deployment says, as plain data: the service running Orthanc, its variables,
ports, mounts and secrets each with the line that wrote it, and the configuration the image's
generator builds from them, each key with its origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where one key of the configuration Orthanc reads comes from."""

    kind: str  # "variable" (ORTHANC__*, ORTHANC_JSON, ORTHANC_PASSWORD), "file", "secret" or "default"
    file: str | None = None  # the host file that writes it: compose file, env_file, mounted JSON, secret file
    line: int | None = None  # 1-based, in that file
    name: str = ""  # the variable, the container path of the file or secret, or "image default"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "")
        if self.kind == "default":  # the image's own default, or (at the service's line) Orthanc's
            said = "(default of the image)" if self.name in ("", "image default") else f"({self.name})"
        else:
            said = f"({self.kind} {self.name})" if self.name else f"({self.kind})"
        return " ".join(part for part in (where, said) if part)


@dataclass
class Variable:
    """One environment variable of the Orthanc container."""

    name: str
    value: str | None  # after interpolation; None: declared without a value and not in the environment
    written: str  # as written, before interpolation (the whole `NAME=value` item or the map value)
    file: Path  # the compose file, or the env_file that sets it
    line: int
    unset: tuple[str, ...] = ()  # the ${VAR}s of `written` that were unset or empty


@dataclass
class Port:
    written: str  # as written: "8042:8042", "127.0.0.1:8042:8042", "8042", or the long syntax rendered
    container: str  # the container port (or range)
    host_ip: str | None  # None or "0.0.0.0"/"::": every interface
    host_port: str | None  # None: a random port
    protocol: str
    line: int


@dataclass
class Mount:
    source: str  # the host path (absolute, resolved against the compose file) or the volume name
    target: str  # the path in the container
    kind: str  # "bind" or "volume" or "tmpfs"
    read_only: bool
    line: int


@dataclass
class SecretMount:
    name: str  # the name under the top-level `secrets:`
    target: str  # /run/secrets/<target>
    file: Path | None  # the host file (file-based secrets only)
    line: int


@dataclass
class Service:
    name: str
    line: int
    image: str | None  # as interpolated; None: built from a Dockerfile (see `build`)
    build: str | None  # the build context, when any
    user: str | None
    environment: dict[str, Variable] = field(default_factory=dict)  # env_file first, then `environment`
    style: str = "map"  # how `environment` is written: "map", "list", or "none" (absent)
    ports: list[Port] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    secrets: list[SecretMount] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    node: Any = None  # the ruamel.yaml mapping of the service, for writing back
    base: str | None = None  # built services: the image the Dockerfile's final stage starts FROM
    dockerfile: Any = None  # built services: the Dockerfile read (dockerfile.Dockerfile), if any


@dataclass
class Generated:
    """The generator's result: what Orthanc reads (/tmp/orthanc.json), or why the container stops."""

    config: dict | None  # None when the container stops
    exit: int  # as a shell sees it: 0, 255 (-1 errors), 254 (-2 legacy names), 253 (-3 no user), 1 (Python error)
    reason: str | None  # the generator's own words for a stop
    origins: dict[tuple, Origin] = field(default_factory=dict)  # key path (top-level and nested) -> origin
    ignored: list[Variable] = field(default_factory=list)  # names the generator skips (ORTHANC_ with one _)
    unknown: list[tuple[Variable, str]] = field(default_factory=list)  # ORTHANC__ names that become unknown keys
    legacy: list[Variable] = field(default_factory=list)  # legacy names: the container stops (-2)
    swallowed: list[tuple[Variable, str]] = field(default_factory=list)  # X_SECRET read as a file pointer: X
    converted: list[tuple[Variable, tuple, Any]] = field(default_factory=list)  # text turned into a number/bool/null
    warnings: list[str] = field(default_factory=list)  # what the generator logs as WARNING/ERROR


@dataclass
class Deployment:
    """A compose file read as docker compose reads it, and its Orthanc service."""

    file: Path  # the compose file
    folder: Path  # the project folder (the compose file's), where `.env` and relative paths resolve
    services: dict[str, Service]
    service: Service  # the one running Orthanc
    dotenv: dict[str, str]  # the `.env` beside it
    generated: Generated
    document: Any = None  # the ruamel.yaml round-trip document, for writing back
    text: str = ""  # the compose file's text as read
    files: dict[str, Path] = field(default_factory=dict)  # container path of each JSON file read -> host path
    notes: list[str] = field(default_factory=list)  # what could not be followed (a named volume on /etc/orthanc...)
