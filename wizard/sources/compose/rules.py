"""Rules of a compose deployment itself (ports, secrets, the image's generator): placeholder
until the rule table lands; no rule yet, so nothing is claimed."""

from __future__ import annotations

from wizard.topics.base import NO_FACTS, Facts, Finding

RULES = ()


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    return []
