"""A compose deployment read as docker compose v2 reads it, and the configuration the orthancteam
image's generator builds for its Orthanc service (generator.generate), each key with its origin."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.jsonc import read_text
from wizard.sources.compose import compose_file, dotenv, mounted, services
from wizard.sources.compose.generator import generate
from wizard.sources.compose.model import Deployment, Service
from wizard.sources.compose.project import Project, environment


def load(path: Path, service: str | None = None, environ: Mapping[str, str] | None = None) -> Deployment:
    """`path` is a compose file (any name) or a folder holding compose.yaml, compose.yml,
    docker-compose.yml or docker-compose.yaml. `environ` is the process environment (os.environ)."""
    file = compose_file.locate(Path(path))
    text, document = compose_file.parse(file)
    project = _project(file, text, document, environment(environ))
    _refuse_what_is_not_followed(project)
    table = document.get("services")
    if not hasattr(table, "items") or not table:
        raise project.refuse("services", "no service is defined")
    _check_interpolation(project, document, "")
    read = {str(name): services.read(project, str(name)) for name in table}
    chosen = _orthanc_service(project, read, service)
    plain = services.plain_orthanc(chosen)
    if plain:
        raise project.refuse(f"services.{chosen.name}.image", f"{plain} reads /etc/orthanc as it is, without the "
                             "orthancteam image's generator: give --config the folder mounted there instead")
    found = mounted.gather(project, chosen)
    files = [(target, str(host), mounted.text(host)) for target, (host, _) in found.files.items()]
    secrets = [(name, str(host), mounted.text(host)) for name, (host, _) in found.secrets.items()]
    generated = generate(chosen.environment, files, secrets)
    return Deployment(file, file.parent, read, chosen, project.dotenv, generated, document=document, text=text,
                      files={target: host for target, (host, _) in found.files.items()}, notes=found.notes)


def _project(file: Path, text: str, document, process: dict[str, str]) -> Project:
    """The project environment: the process's, then the `.env` beside the compose file."""
    project = Project(file, text, document, dict(process))
    env_file = file.parent / ".env"
    if env_file.is_file():
        try:
            entries = dotenv.parse(read_text(env_file), process.get)
        except dotenv.DotenvError as error:
            raise BadInput(Problem(str(env_file), f"line {error.line}", str(error).split(": ", 1)[1])) from None
        for entry in entries:
            project.dotenv[entry.key] = entry.value
            project.dotenv_lines[entry.key] = entry.line
        project.environ = {**project.dotenv, **process}
    return project


def _refuse_what_is_not_followed(project: Project) -> None:
    if "include" in project.document:
        raise project.refuse("include", "includes other compose files, which is not followed "
                                        "(run `docker compose config` and read its output instead)")


def _check_interpolation(project: Project, node, where: str) -> None:
    """Compose interpolates the whole file first: a missing required variable anywhere refuses it."""
    if isinstance(node, str):
        project.interpolate(node, where or "$")
    elif hasattr(node, "items"):
        for key, value in node.items():
            _check_interpolation(project, value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_interpolation(project, value, f"{where}[{index}]")


def _orthanc_service(project: Project, read: dict[str, Service], wanted: str | None) -> Service:
    if wanted is not None:
        if wanted not in read:
            raise project.refuse("services", f"has no service {wanted!r} (services: {', '.join(read)})")
        return read[wanted]
    candidates = [s for s in read.values() if services.runs_orthanc(s)]
    if not candidates:
        raise project.refuse("services", "no service runs an Orthanc image (orthancteam/orthanc...) "
                                         "or sets ORTHANC__ variables")
    if len(candidates) > 1:
        names = ", ".join(s.name for s in candidates)
        raise project.refuse("services", f"several services run Orthanc ({names}): choose one with --service NAME")
    return candidates[0]
