"""Deployments as sources: where the configuration Orthanc reads comes from.

A source gives the configuration Orthanc reads (a `ConfigSet`: merged values, the files read,
where each key lives) whatever its kind: one file, a folder (Debian's /etc/orthanc), or a compose
service of the orthancteam/orthanc image. Commands and front ends call `read` and never ask which
kind they have."""

from __future__ import annotations

from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.orthanc import config_files
from wizard.orthanc.config_files import ConfigSet

# Compose's own order of preference for a project folder's file.
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def compose_file(path: Path) -> Path | None:
    """The compose file `path` names: itself (a .yml or .yaml file), or the one a folder holds."""
    if path.is_dir():
        return next((path / name for name in COMPOSE_NAMES if (path / name).is_file()), None)
    return path if path.suffix.lower() in (".yml", ".yaml") else None


def read(path: Path, service: str | None = None) -> ConfigSet:
    """The configuration Orthanc reads from the deployment at `path`; BadInput names what is wrong."""
    found = compose_file(path)
    if found is None:
        if service is not None:
            raise BadInput(Problem(str(path), "--service", "names a compose service, but this is not a compose "
                                                           "file nor a folder holding one"))
        return config_files.read(path)
    from wizard.sources.compose import source  # ruamel.yaml only when a compose file is read
    return source.read(found, service)


def is_compose(config: ConfigSet) -> bool:
    return config.deployment is not None


def service_name(config: ConfigSet) -> str | None:
    """The compose service a configuration was read from (None for files): to read it again."""
    return config.deployment.service.name if config.deployment is not None else None
