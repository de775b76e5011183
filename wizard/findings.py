"""Weaknesses of an Orthanc configuration, from every topic's rules, most severe first."""

from __future__ import annotations

from wizard.topics import TOPICS
from wizard.topics.base import Finding

SEVERITIES = ("high", "medium", "low")


def of(config: dict) -> list[Finding]:
    found = [finding for topic in TOPICS for finding in topic.findings(config)]
    return sorted(found, key=lambda f: (SEVERITIES.index(f.severity), f.key))
