"""A compose service as a source: the configuration the image's generator builds, seen as one
virtual file (what Orthanc reads, /tmp/orthanc.json in the container) whose keys keep their
origins: the compose line of a variable, a mounted file and line, a secret, the image's default."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from wizard.errors import BadInput, Problem, json_path
from wizard.orthanc import document
from wizard.orthanc.config_files import ConfigFile, ConfigSet, merge_values
from wizard.sources.compose import mounts, reading
from wizard.sources.compose.model import Deployment, Origin

STOPS = {255: "the generator found errors (-1)", 254: "a legacy variable name is set (-2)",
         253: "remote access and authentication are on and no user is declared (-3)",
         1: "the first configuration file read is not valid JSON (a Python error)"}


@dataclass
class ComposeConfig(ConfigSet):
    """The configuration of one compose service. Its single file is virtual: the generated
    configuration, named after the compose file (whose bytes tell whether it changed since)."""

    deployment: Deployment | None = None
    mistyped: list[Problem] = field(default_factory=list)  # options of a type that stops Orthanc, at their origin

    def origin(self, path: tuple) -> Origin:
        """Where the deepest known part of `path` is set; the service's line when nothing sets it."""
        origins = self.deployment.generated.origins
        for end in range(len(path), 0, -1):
            found = origins.get(tuple(path[:end]))
            if found is not None:
                return found
        service = self.deployment.service
        return Origin("default", str(self.deployment.file), service.line, f"not set: Orthanc's default "
                                                                           f"(service {service.name})")

    def with_files(self, files: list[ConfigFile]) -> ComposeConfig:
        """The same deployment after its virtual file was edited in memory."""
        return ComposeConfig(self.path, self.folder, files, deployment=self.deployment)

    def where(self, path: tuple) -> str:
        """Where the deployment sets a key: its variable's line, a mounted file, a secret, the image."""
        origin = self.origin(path)
        if origin.kind == "default" and not origin.file:
            return f"the image's default for {json_path(path)}"
        return f"{origin}: {json_path(path)}"

    def host_path(self, path: str) -> Path:
        """A container path's host file, through the service's bind mounts (a path only in the
        image stays as it is: nothing on this host answers for it). Orthanc itself would resolve a
        relative path against /tmp, where it reads the generated file: orthanc-harden never lists one."""
        if not path.startswith("/"):  # a file beside the compose file (the filter a run writes)
            return Path(os.path.abspath(self.folder / path))
        found = mounts.host_path(self.deployment, path)
        return Path(found) if found is not None else Path(path)

    def file_of(self, path: tuple) -> ConfigFile | None:
        """The host file that sets the value at `path` (None for the image's defaults)."""
        origin = self.origin(path)
        if not origin.file or origin.kind == "default":
            return None
        try:
            return ConfigFile(Path(origin.file), self.files[0].doc, os.stat(origin.file), b"")
        except OSError:
            return None

    def origin_file(self, key: str) -> ConfigFile | None:
        """The host file whose mode says who may read `key`'s values (compose file, env_file, secret):
        the files of its entries where they are set apart (users from a secret, `{}` in a variable),
        the one others may read first."""
        origins = self.deployment.generated.origins
        inner = [o for path, o in origins.items() if len(path) > 1 and path[0] == key]
        files = []
        for origin in inner or [self.origin((key,))]:
            if origin.file and origin.kind != "default":
                try:
                    files.append(ConfigFile(Path(origin.file), self.files[0].doc, os.stat(origin.file), b""))
                except OSError:
                    continue
        return next((f for f in files if f.stat.st_mode & 0o004), files[0] if files else None)


def read(path: Path, service: str | None) -> ComposeConfig:
    deployment = reading.load(path, service)
    return of(deployment)


def of(deployment: Deployment) -> ComposeConfig:
    generated = deployment.generated
    values = generated.config if generated.config is not None else {}
    text = json.dumps(values, indent=4, ensure_ascii=False) + "\n"
    try:
        stat, raw = os.stat(deployment.file), deployment.file.read_bytes()
    except OSError as error:
        raise BadInput(Problem(str(deployment.file), "$", f"cannot be read ({error.strerror})")) from None
    virtual = ConfigFile(deployment.file, document.parse(text), stat, raw)
    config = ComposeConfig(deployment.file, deployment.folder, [virtual], deployment=deployment)
    config.mistyped = [placed(config, problem) for problem in merge_values(config, typed=False)]
    return config  # a stop is said by show, by audit (OH-DOCKER-013) and by an edit's refusal


def stop_message(deployment: Deployment) -> str:
    generated = deployment.generated
    why = generated.reason or STOPS.get(generated.exit, "the generator fails")
    return (f"{deployment.file}: services.{deployment.service.name}: the container would stop at start-up "
            f"(the image's generator exits {generated.exit}): {why}")


def placed(config: ComposeConfig, problem: Problem) -> Problem:
    """A type problem of the generated configuration, at the line and variable that set the key."""
    key = problem.path.removeprefix("$.").split(".")[0].split("[")[0]
    origin = config.origin((key,))
    return Problem(f"{origin.file}:{origin.line}" if origin.line else str(origin.file), origin.name or problem.path,
                   f"{key} {problem.message}")


def shipped(deployment: Deployment) -> tuple[str | None, str]:
    """The Orthanc release the service's image (or the image its Dockerfile starts FROM) ships, or
    None and why: one answer for the audit's target and an edit's release."""
    from wizard.sources.compose import images
    service = deployment.service
    return images.release_of(service.image or service.base or "")


def image_answers(config: ComposeConfig) -> dict:
    """The answers the service's image settles: an upstream build, and the release its tag ships
    (the newest known when the tag does not say: an unpinned image pulls the newest)."""
    from wizard.sources.compose import images
    release, why = shipped(config.deployment)
    if release is None:
        release = images.newest_release()
        config.notes.append(f"{why}: judged as Orthanc {release}, the newest release an image ships")
    answers = {"orthanc_build": "upstream", "orthanc_version": release}
    named = service_names(config.values)
    if named:
        answers["dicom"] = {"check_modality_host": False}
        config.notes.append(f"modalities named by host name ({', '.join(named)}): Docker gives containers addresses "
                            "that change, so the modality host check stays off for this compose service (its DICOM "
                            "port is better published only where the modalities are)")
    return answers


def service_names(values: dict) -> list[str]:
    """The modalities given by a host name (a compose service's, usually) rather than an IP address."""
    from ipaddress import ip_address
    found = []
    modalities = values.get("DicomModalities")
    for name, modality in (modalities.items() if isinstance(modalities, dict) else ()):
        host = modality[1] if isinstance(modality, list) and len(modality) > 1 else \
            modality.get("Host") if isinstance(modality, dict) else None
        try:
            ip_address(str(host))
        except ValueError:
            found.append(f"{name}: {host}")
    return found
