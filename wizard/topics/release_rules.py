"""The release rules (OH-SVC-*): one per release of advisories.ADVISORIES, found when the target is
older; each finding names the CVEs, what they allow and who can trigger them in this configuration,
and its severity is that of the worst who (anyone over DICOM or HTTP: high; a user: medium)."""

from __future__ import annotations

from wizard.orthanc.advisories import (ADVISORIES, DICOM_ANYONE, HTTP_ANYONE, HTTP_USER, SEVERITY, UPLOADER,
                                       Advisory, Fix)
from wizard.topics import network
from wizard.topics.base import SEVERITIES, Facts, Finding, Rule, setting
from wizard.versions import Version, show

NEWS = "https://orthanc.uclouvain.be/hg/orthanc/file/default/NEWS"
# (Debian's release, the fix its package backports): 1.10.1+dfsg-2+deb12u1 has RestApiWriteToFileSystemEnabled.
DEBIAN_BACKPORTS = {((1, 10, 1), (1, 12, 0))}
# (Debian's release, the fix its package lacks though the release has it): advisories.py, 1.13.0's builds.
DEBIAN_LACKS = {((1, 13, 0), (1, 13, 0))}


def _severity(fix: Fix, who: str) -> str:
    """Who's severity; a flaw not shown to be reached through Orthanc is at most medium."""
    severity = SEVERITY[who]
    return "medium" if fix.unshown and SEVERITIES.index(severity) < SEVERITIES.index("medium") else severity


def _rule(advisory: Advisory) -> Rule:
    worst = min((_severity(fix, who) for fix in advisory.fixes for who in fix.who), key=SEVERITIES.index)
    return Rule(advisory.rule_id, worst, f"Security fixes of Orthanc {show(advisory.release)} missing",
                f"The target release is older than {show(advisory.release)}, which fixed flaws an exposed server "
                f"must not have: {advisory.summary}. The finding names each CVE, what it allows and who can "
                "trigger it here; its severity is that of the worst of them (anyone over DICOM or HTTP: high; a "
                "user of a role: medium). A distribution package may carry fixes as backports: read its changelog.",
                doc=NEWS, fix=f"upgrade Orthanc to {show(advisory.release)} or later; until then, "
                              f"{advisory.instead}", needs="target")


RULES_BY_RELEASE: dict[Version, Rule] = {advisory.release: _rule(advisory) for advisory in ADVISORIES}


def missing(target: Version, debian: bool | None) -> list[Advisory]:
    """The advisories whose fixes `target` lacks (Debian's package: with its backports and gaps)."""
    return [a for a in ADVISORIES
            if (target < a.release and not (debian and (target, a.release) in DEBIAN_BACKPORTS))
            or (debian and (target, a.release) in DEBIAN_LACKS)]


def judged(config: dict, facts: Facts) -> list[tuple[Advisory, str, str]]:
    """Each advisory whose fixes the target lacks: its rule's severity here, and what it says."""
    if facts.target is None:
        return []
    found = []
    for advisory in missing(facts.target, facts.debian_package):
        whos = [(fix, _who(fix, config)) for fix in advisory.fixes]
        severity = min((_severity(fix, w) for fix, ws in whos for w in ws), key=SEVERITIES.index, default="low")
        said = "; ".join(_said(fix, ws) for fix, ws in whos)
        found.append((advisory, severity, said + (f"; Debian: {advisory.builds}" if facts.debian_package and
                                                   advisory.builds else "")))
    return found


def findings(config: dict, facts: Facts) -> list[Finding]:
    return [RULES_BY_RELEASE[advisory.release].found(
        "", f"Orthanc {show(facts.target)} lacks the fixes of {show(advisory.release)}: {said}", path=(),
        current=show(facts.target), recommended=show(advisory.release), severity=severity)
        for advisory, severity, said in judged(config, facts)]


def _who(fix: Fix, config: dict) -> list[str]:
    """Who can trigger `fix`'s flaw in this configuration, worst first."""
    dicom = setting(config, "DicomServerEnabled", True) is not False
    http = setting(config, "HttpServerEnabled", True) is not False
    open_store = dicom and setting(config, "DicomAlwaysAllowStore", True) is not False
    anonymous = http and not network.authentication_on(config) and setting(config, "RemoteAccessAllowed", False)
    whos = []
    if fix.only_with and setting(config, fix.only_with, True) is False:
        return whos
    for who in fix.who:
        if who == DICOM_ANYONE:
            whos.append(DICOM_ANYONE if open_store else UPLOADER)
        elif who == HTTP_USER and anonymous:
            whos.append(HTTP_ANYONE)
        elif http or who not in (HTTP_ANYONE, HTTP_USER):
            whos.append(who)
    return sorted(set(whos), key=lambda w: SEVERITIES.index(SEVERITY[w]))


def _said(fix: Fix, whos: list[str]) -> str:
    cves = ", ".join(fix.cves) or "no CVE"
    by = " or ".join(whos) or f"nobody here ({fix.without or 'its server is off'})"
    unshown = f"; not shown to reach Orthanc: {fix.unshown}" if fix.unshown else ""
    return f"{cves}: {fix.allows}, by {by} ({fix.via}{unshown})"
