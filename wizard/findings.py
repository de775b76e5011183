"""Weaknesses of an Orthanc configuration, from every topic's rules, most severe first."""

from __future__ import annotations

from wizard.audit import crashes, reading
from wizard.audit import secrets as plugin_secrets
from wizard.sources.compose import exposure
from wizard.sources.compose import rules as compose_rules
from wizard.topics import TOPICS
from wizard.topics.base import NO_FACTS, SEVERITIES, Facts, Finding, Rule

# Besides the topics: what Orthanc does not read (comments, typos, options of other releases), and
# what a compose deployment does around Orthanc (ports, secrets, the generator's pitfalls).
SOURCES = (*TOPICS, reading, plugin_secrets, crashes, compose_rules)
RULES: dict[str, Rule] = {rule.id: rule for source in SOURCES for rule in source.RULES}


def of(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    """The findings of the merged values `config`; `facts` adds what the files and the host tell."""
    judged = exposure.as_judged(config, facts.deployment)  # a compose service: what it publishes decides
    found = [finding for source in SOURCES
             for finding in source.findings(config if source is compose_rules else judged, facts)]
    return sorted(found, key=order)


def order(finding: Finding) -> tuple:
    return SEVERITIES.index(finding.severity), finding.id, finding.key


def judged(facts: Facts) -> list[Rule]:
    """The rules an audit with these facts runs: a rule needing what it does not know is left out."""
    known = {"": True, "files": facts.files is not None, "target": facts.target is not None,
             "host": facts.debian_package is not None, "deployment": facts.deployment is not None}
    return [rule for rule in RULES.values() if known[rule.needs]]


__all__ = ["RULES", "SEVERITIES", "judged", "of", "order"]
