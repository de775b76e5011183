"""One service of a compose file read as compose reads it: image or build, user, environment,
ports, mounts and secrets, each with its line; `extends` of a service of the same file followed."""

from __future__ import annotations

from pathlib import Path

from wizard.sources.compose import dockerfile, environment, mounts, ports
from wizard.sources.compose.compose_file import key_line
from wizard.sources.compose.images import split
from wizard.sources.compose.model import Service
from wizard.sources.compose.project import Project

# Images whose start-up runs orthanc-builder's generator (orthancteam's, osimis's before 24.2).
GENERATOR_IMAGES = {"orthancteam/orthanc", "orthancteam/orthanc-pre-release", "osimis/orthanc", "osimis/orthanc-pro"}
# Orthanc images that read /etc/orthanc directly, without the generator.
PLAIN_IMAGES = {"jodogne/orthanc", "jodogne/orthanc-plugins", "jodogne/orthanc-python"}


def read(project: Project, name: str, chain: tuple[str, ...] = ()) -> Service:
    table = project.document["services"]
    node = table[name]
    if not hasattr(node, "get"):
        raise project.refuse(f"services.{name}", "a service is a mapping")
    base = _extended(project, name, node, chain)
    built = _build(project, name, node)
    variables, style = environment.read(project, name, node)
    if built is not None:
        variables = {**built.environment, **variables}
    image = project.text_of(node.get("image"), f"services.{name}.image") if "image" in node else None
    service = Service(name, key_line(table, name), image, _context(project, node, name), 
                      project.text_of(node.get("user"), f"services.{name}.user") if "user" in node else None,
                      variables, style, ports.read(project, name, node), mounts.volumes(project, name, node),
                      mounts.secrets(project, name, node), _depends(node), node)
    service.base = built.base if built else None
    service.dockerfile = built
    return _over(base, service) if base is not None else service


def runs_orthanc(service: Service) -> bool:
    """An Orthanc image, or a build from one, or ORTHANC__ variables."""
    images = [image for image in (service.image, service.base) if image]
    if any(split(image)[0] in GENERATOR_IMAGES | PLAIN_IMAGES for image in images):
        return True
    return any(key.startswith("ORTHANC__") for key in service.environment)


def plain_orthanc(service: Service) -> str | None:
    """The image when it is an Orthanc image that does not run the generator (jodogne/orthanc)."""
    for image in (service.base, service.image):
        if image and split(image)[0] in PLAIN_IMAGES:
            return image
    return None


def _extended(project: Project, name: str, node, chain: tuple[str, ...]) -> Service | None:
    spec = node.get("extends")
    if spec is None:
        return None
    where = f"services.{name}.extends"
    if hasattr(spec, "get") and "file" in spec:
        raise project.refuse(f"{where}.file", "extends a service of another file, which is not followed "
                                              "(run `docker compose config` and read its output instead)")
    other = spec.get("service") if hasattr(spec, "get") else spec
    if not isinstance(other, str) or other not in project.document["services"]:
        raise project.refuse(where, f"extends the unknown service {other!r}")
    if other in chain or other == name:
        raise project.refuse(where, f"extends {other!r} in a cycle")
    return read(project, other, (*chain, name))


def _over(base: Service, own: Service) -> Service:
    """Compose's merge of a service over the one it extends: own values win, lists add up."""
    own.environment = {**base.environment, **own.environment}
    own.image = own.image if "image" in own.node else base.image
    own.build = own.build or base.build
    own.base = own.base or base.base
    own.user = own.user if "user" in own.node else base.user
    own.ports = base.ports + own.ports
    own.mounts = [m for m in base.mounts if m.target not in {o.target for o in own.mounts}] + own.mounts
    own.secrets = [s for s in base.secrets if s.target not in {o.target for o in own.secrets}] + own.secrets
    own.depends_on = base.depends_on + [d for d in own.depends_on if d not in base.depends_on]
    if own.dockerfile is None:
        own.dockerfile = base.dockerfile
    return own


def _context(project: Project, node, name: str) -> str | None:
    build = node.get("build")
    if build is None:
        return None
    raw = build.get("context", ".") if hasattr(build, "get") else build
    return str(project.path(project.text_of(raw, f"services.{name}.build") or "."))


def _build(project: Project, name: str, node) -> dockerfile.Dockerfile | None:
    context = _context(project, node, name)
    if context is None:
        return None
    build = node["build"]
    written = build.get("dockerfile", "Dockerfile") if hasattr(build, "get") else "Dockerfile"
    path = Path(context) / (project.text_of(written, f"services.{name}.build.dockerfile") or "Dockerfile")
    if not path.is_file():
        return None
    return dockerfile.read(path, Path(context))


def _depends(node) -> list[str]:
    found = node.get("depends_on") or []
    return [str(name) for name in (found.keys() if hasattr(found, "keys") else found)]
