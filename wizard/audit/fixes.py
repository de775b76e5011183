"""How to fix a finding, as the admin types it: the `apply --set` answers, or what to do by hand."""

from __future__ import annotations

import shlex

from wizard.topics.base import Finding

# apply needs a preset or a profile: the admin's own (orthanc-harden.jsonc, written by an earlier
# run) or a shipped preset; the --set answers go on top of it.
PROFILE = "P"


def command(finding: Finding, config_path: str) -> str | None:
    """The apply command that fixes the finding, or None when no answer of the profile does."""
    rule = finding.rule
    if rule is None or not rule.sets:
        return None
    sets = " ".join(f"--set {shlex.quote(item)}" for item in rule.sets)
    return f"orthanc-harden apply --config {shlex.quote(config_path)} --preset {PROFILE} {sets}"


def advice(finding: Finding, config_path: str) -> list[str]:
    """Every way to fix it that the rule knows: the command, then the words."""
    rule = finding.rule
    words = rule.fix if rule else ""
    if finding.file and "FILE" in words:
        words = words.replace("FILE", shlex.quote(finding.file))
    return [text for text in (command(finding, config_path), words) if text]
