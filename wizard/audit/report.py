"""An audit's result: located findings, waivers, the rules run, the summary and the score."""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard import findings, versions
from wizard.audit.host import Target
from wizard.audit.locate import Locator
from wizard.orthanc.config_files import ConfigSet
from wizard.topics.base import SEVERITIES, Facts, Finding, Rule

# Points of a rule in the hardening index (as Lynis weighs its tests): what failing it costs.
WEIGHTS = {"critical": 10, "high": 5, "medium": 3, "low": 1, "info": 0}


@dataclass
class Report:
    path: str
    files: list[str]
    target: Target
    findings: list[Finding]  # worst first
    rules: list[Rule]  # the rules run
    skipped: list[Rule]  # the rules that needed what this audit does not know
    waivers: dict[str, str] = field(default_factory=dict)
    fail_on: str = "high"
    kind: str = "audit"  # or "probe": what was judged, the files or a running server
    catalog: list[Rule] = field(default_factory=lambda: list(findings.RULES.values()))  # every rule of the kind
    service: str | None = None  # the compose service judged, when the path is a compose file

    def waived(self, finding: Finding) -> str | None:
        return self.waivers.get(finding.id)

    @property
    def counted(self) -> list[Finding]:
        return [f for f in self.findings if f.id not in self.waivers]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.counted:
            counts[finding.severity] += 1
        return counts

    @property
    def failed(self) -> bool:
        """Something not waived is at least as severe as --fail-on."""
        limit = SEVERITIES.index(self.fail_on)
        return any(SEVERITIES.index(f.severity) <= limit for f in self.counted)

    @property
    def index(self) -> int:
        """Hardening index, 0 to 100: the share of the rules' points kept. A rule with findings
        loses the points of its worst one, however many there are; a waived rule keeps them."""
        worst: dict[str, int] = {}
        for finding in self.counted:
            worst[finding.id] = max(worst.get(finding.id, 0), WEIGHTS[finding.severity])
        possible = sum(WEIGHTS[rule.severity] for rule in self.rules)
        lost = sum(min(WEIGHTS[rule.severity], worst.get(rule.id, 0)) for rule in self.rules)
        return round(100 * (possible - lost) / possible) if possible else 100

    @property
    def release(self) -> str | None:
        return versions.show(self.target.version) if self.target.version else None


def saved_answers(config: ConfigSet) -> dict | None:
    """The answers an earlier run saved beside the files: the proxy in front of Orthanc and each
    user's networks, which its files cannot show (OH-AUTH-002 judges who logs in from elsewhere)."""
    from wizard import previous, profile  # only when the audit reads files

    saved = previous.load(config.folder, [])
    return profile.effective(saved) if saved else None


def audit(config: ConfigSet, target: Target, waivers: dict[str, str], fail_on: str) -> Report:
    facts = Facts(files=config, target=target.version, debian_package=target.debian_package,
                  deployment=config.deployment, answers=saved_answers(config))
    locator = Locator(config)
    found = [locator.locate(finding) for finding in findings.of(config.values, facts)]
    run = findings.judged(facts)
    # A compose deployment's own rules do not apply to files: not "not run", simply not theirs.
    skipped = [rule for rule in findings.RULES.values()
               if rule not in run and (rule.needs != "deployment" or facts.deployment is not None)]
    deployment = facts.deployment
    return Report(str(config.path), [str(f.path) for f in config.files], target, found, run, skipped,
                  waivers, fail_on, service=deployment.service.name if deployment is not None else None)
