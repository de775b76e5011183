"""The Orthanc container itself: the image it runs (pinned, and which Orthanc release it ships),
the user it runs as, and whether the image's generator lets it start at all."""

from __future__ import annotations

import re

from wizard.orthanc import releases
from wizard.sources.compose import images
from wizard.sources.compose.model import Deployment
from wizard.sources.compose.rules_base import COMPOSE_DOCS, DOCKER_BOOK, at, key_line
from wizard.topics import release_rules, service_user
from wizard.topics.base import Facts, Finding, Rule
from wizard.versions import show

NEWEST_TAG = images.tag_for(releases.NEWEST)
_FROM = re.compile(r"\s*FROM\s+(?:--\S+\s+)*(\S+)", re.IGNORECASE)  # a Dockerfile's FROM [--platform=...] image

ROOT = Rule(
    "OH-DOCKER-004", "medium", "Orthanc's container runs as root",
    "The orthancteam/orthanc image has no USER: without `user:` in the compose file Orthanc, its plugins "
    "and its Lua and Python scripts run as root in the container, so a flaw in any of them gets root's "
    "power over every mounted folder, and any escape from the container starts as root. The image has "
    "an unprivileged `orthanc` user (uid 999) since 23.6.0.",
    needs="deployment",
    doc=COMPOSE_DOCS + "#user",
    fix='add `user: "999:999"` to the service and give that user the storage volume '
        "(chown -R 999:999 on the host folder, or once from a root container)")
UNPINNED = Rule(
    "OH-DOCKER-012", "medium", "Orthanc's image is not pinned",
    "An image without a tag, or tagged `latest`, is whatever was newest when the host pulled it: another "
    "host or the next `docker compose pull` runs another Orthanc release, with other defaults and other "
    "flaws, and nobody can tell from the compose file which release runs or whether its fixes are there.",
    needs="deployment",
    doc=DOCKER_BOOK,
    fix=f"pin a release tag: orthancteam/orthanc:{NEWEST_TAG} ships Orthanc {show(releases.NEWEST)}")
STOPS = Rule(
    "OH-DOCKER-013", "critical", "Orthanc's container stops at start-up",
    "The image's start-up script builds Orthanc's configuration from the variables, files and secrets, "
    "and exits before Orthanc starts when it finds an error (invalid JSON, a legacy variable name, remote "
    "access with authentication on and no user): the service restarts in a loop and serves nothing.",
    needs="deployment",
    doc=DOCKER_BOOK,
    fix="mend what the message names; `docker compose logs` shows the script's ERROR lines")
RULES = (ROOT, UNPINNED, STOPS)


def findings(deployment: Deployment, facts: Facts) -> list[Finding]:
    return root(deployment) + image(deployment, facts) + stops(deployment)


def root(deployment: Deployment) -> list[Finding]:
    service = deployment.service
    user = (service.user or "").strip()
    if user and user.split(":")[0] not in ("root", "0"):
        return []
    if not user:
        return [at(ROOT, deployment.file, service.line, service.name,
                   f"services.{service.name} has no `user:`: Orthanc runs as root in the container",
                   current="root", recommended="999:999")]
    return [at(ROOT, deployment.file, key_line(service, "user"), "user",
               f"services.{service.name}: user: {user} runs Orthanc as root", current=user, recommended="999:999")]


def image(deployment: Deployment, facts: Facts) -> list[Finding]:
    """An unpinned image (or a Dockerfile's FROM); a pinned one judged by the release rules (OH-SVC-*)."""
    found = image_line(deployment)
    if found is None:
        return []
    reference, file, line, key = found
    _, tag, digest = images.split(reference)
    if digest is None and images.tag_number(reference) is None:
        return [at(UNPINNED, file, line, key, moving(reference, tag), current=reference,
                   recommended=f"orthancteam/orthanc:{NEWEST_TAG}")]
    return releases_missing(reference, facts, file, line, key)


def image_line(deployment: Deployment) -> tuple[str, object, int, str] | None:
    """(image, file, line, word on the line): the service's `image:`, or its Dockerfile's FROM."""
    service = deployment.service
    if service.image:
        return service.image, deployment.file, key_line(service, "image"), "image"
    dockerfile = getattr(service.dockerfile, "path", None)
    if not service.base or dockerfile is None:
        return None
    try:
        lines = dockerfile.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    froms = [(number, m.group(1)) for number, text in enumerate(lines, start=1)
             if (m := _FROM.match(text))]
    line = next((n for n, base in reversed(froms) if base == service.base), froms[-1][0] if froms else 1)
    return service.base, dockerfile, line, "FROM"


def moving(reference: str, tag: str | None) -> str:
    if tag is None or tag.startswith("latest"):
        return images.release_of(reference)[1]
    kind = " (a pre-release image, built from Orthanc's mainline)" if "pre-release" in reference else ""
    return (f"{reference}: the tag `{tag}` is not a release number{kind}: it follows each new build, so each "
            "pull may bring another Orthanc")


def releases_missing(reference: str, facts: Facts, file, line: int, key: str) -> list[Finding]:
    """service_user's release rules on the release judged (the image's own unless --orthanc-version
    says otherwise), placed at the image's line and naming the tag that ships the fixes."""
    if facts.target is None:
        return []
    shipped, said = images.release_of(reference)
    judged = show(facts.target)
    where = said if shipped == judged else f"Orthanc {judged} is judged ({said})"
    config = facts.deployment.generated.config if facts.deployment is not None else None
    return [at(service_user.RELEASE_RULES[advisory.release], file, line, key,
               f"{where}: older than {show(advisory.release)}, which fixed {fixed}; orthancteam/orthanc:{NEWEST_TAG} "
               f"ships {show(releases.NEWEST)}", current=judged, recommended=f"orthancteam/orthanc:{NEWEST_TAG}",
               severity=severity)
            for advisory, severity, fixed in release_rules.judged(config or {}, facts)]


def stops(deployment: Deployment) -> list[Finding]:
    generated, service = deployment.generated, deployment.service
    if generated.exit == 0:
        return []
    if generated.exit == 254 and generated.legacy:
        return []  # OH-DOCKER-009 names each legacy variable
    if generated.exit == 253 and not images.refuses(service.image or service.base or ""):
        return []  # this image's generator does not refuse: Orthanc's own rules judge the missing user
    why = generated.reason or f"the image's generator exits {generated.exit}"
    return [at(STOPS, deployment.file, service.line, service.name,
               f"services.{service.name}: the container stops at start-up (exit {generated.exit}): {why}")]
