"""How to fix a finding, as the admin types it: the `apply --set` answers, or what to do by hand."""

from __future__ import annotations

import os
import shlex
import shutil
import sys

from wizard.topics.base import Finding


def program() -> str:
    """This program as the admin can run it again from where they are: `orthanc-harden` when that
    name on PATH is this very program, else its full path (after the README's quick start,
    scripts/run.sh runs .venv/bin/orthanc-harden, which is not on PATH), else this Python with -m."""
    started = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if os.path.basename(started) == "orthanc-harden":
        found = shutil.which("orthanc-harden")
        if found and os.path.realpath(found) == os.path.realpath(started):
            return "orthanc-harden"
        return shlex.quote(os.path.abspath(started))
    return f"{shlex.quote(sys.executable)} -m wizard"


def command(finding: Finding, config_path: str, service: str | None = None) -> str | None:
    """The command that fixes the finding, or None when no answer of the profile does: without
    --preset, an edit of config_path that changes only what its --set answers change. A compose
    service (`service`) is edited by the wizard, whose review shows the compose diff: apply
    without a preset edits configuration files only (a compose edit also moves ports and mounts)."""
    rule = finding.rule
    if rule is None or not rule.sets or "://" in config_path:  # a probe's server has no file here to edit
        return None
    if service is not None:
        return (f"{program()} --config {shlex.quote(config_path)} --service {shlex.quote(service)}"
                f"  # the wizard: set {', '.join(rule.sets)}, read the review, write")
    sets = " ".join(f"--set {shlex.quote(item)}" for item in rule.sets)
    return f"{program()} apply --config {shlex.quote(config_path)} {sets}"


def advice(finding: Finding, config_path: str, service: str | None = None) -> list[str]:
    """Every way to fix it that the rule knows: the command, then the words."""
    rule = finding.rule
    words = rule.fix if rule else ""
    if finding.file and "FILE" in words:
        words = words.replace("FILE", shlex.quote(finding.file))
    return [text for text in (command(finding, config_path, service), words) if text]
