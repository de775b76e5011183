"""What the audit's rules still find in the configuration a run writes: apply and the wizard say
them with the audit's words (one finding, one wording, everywhere)."""

from __future__ import annotations

from wizard import findings, versions
from wizard.topics.base import SEVERITIES, Answers, Facts, Finding

SHOWN = SEVERITIES[:SEVERITIES.index("medium") + 1]  # lower ones are counted: `audit` lists them


def of(values: dict, answers: Answers) -> list[Finding]:
    """The findings of the values Orthanc reads after the write, for the target release."""
    return findings.of(values, Facts(target=versions.parse(answers["orthanc_version"]), answers=answers))


def lines(found: list[Finding], where: str) -> list[str]:
    """One line a finding at or above medium, then how many lower ones `audit` would show."""
    shown = [f"{f.id} ({f.severity}) {f.rule.title if f.rule else f.key}: {f.message}"
             for f in found if f.severity in SHOWN]
    low = len(found) - len(shown)
    return shown + ([f"{low} low or informational, listed by: orthanc-harden audit {where}"] if low else [])
