"""Rules of a compose deployment itself, around the configuration Orthanc reads: what the host
publishes, who the container runs as, which image and release, where the passwords are, and how
the image's generator reads (or refuses) the variables. Each finding is placed at the compose (or
env_file) line that causes it, or at the service's line when something is missing there.

The release an image ships is judged by service_user's release rules (OH-SVC-*), said at the
image's line with its tag."""

from __future__ import annotations

from wizard.sources.compose import rules_image, rules_names, rules_ports, rules_secrets
from wizard.topics.base import NO_FACTS, Facts, Finding

_MODULES = (rules_ports, rules_image, rules_secrets, rules_names)
RULES = tuple(sorted((rule for module in _MODULES for rule in module.RULES), key=lambda rule: rule.id))


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    deployment = facts.deployment
    if deployment is None:
        return []
    values = deployment.generated.config if deployment.generated.config is not None else config
    return (rules_ports.findings(deployment, values) + rules_image.findings(deployment, facts)
            + rules_secrets.findings(deployment) + rules_names.findings(deployment, facts))
