"""The audit for a person: worst first, each finding with why and how to fix, then the summary."""

from __future__ import annotations

import json
import textwrap

from wizard.audit import fixes
from wizard.audit.report import Report
from wizard.topics.base import SEVERITIES, Finding

WIDTH = 100
INDENT = " " * 11
BAR = 20


def render(report: Report) -> str:
    lines = [_heading(report), ""]
    counted = [f for f in report.findings if not report.waived(f)]
    waived = [f for f in report.findings if report.waived(f)]
    for finding in counted:
        lines += _finding(finding, report) + [""]
    for finding in waived:
        lines += _finding(finding, report, waived=report.waived(finding)) + [""]
    if not report.findings:
        lines += ["No finding.", ""]
    return "\n".join(lines + _summary(report)) + "\n"


def _heading(report: Report) -> str:
    files = f" ({len(report.files)} files)" if len(report.files) > 1 else " (1 file)" if report.files else ""
    if report.service is not None:
        files = f" (compose service {report.service})"
    if report.release is None:
        release = "release unknown" + (" (give --orthanc-version)" if report.kind == "audit" else " (/system is not readable)")
    else:
        where = {"installed": "installed here", "--orthanc-version": "--orthanc-version",
                 "server": "its /system", "image": "the image's tag"}[report.target.source]
        debian = ", Debian's package" if report.target.debian_package else ""
        release = f"Orthanc {report.release} ({where}{debian})"
    return f"orthanc-harden {report.kind} of {report.path}{files}, {release}"


def _finding(finding: Finding, report: Report, waived: str | None = None) -> list[str]:
    label = "[WAIVED]" if waived else f"[{finding.severity.upper()}]"
    title = finding.rule.title if finding.rule else finding.key
    lines = [f"{label:<10} {finding.id}  {title}"]
    where = _where(finding)
    lines.append(INDENT + " · ".join(part for part in (finding.key, where, _values(finding)) if part))  # whole, to grep
    lines += _wrapped(finding.message)
    if waived:
        lines += _wrapped(f"waived ({finding.severity}): {waived}")
        return lines
    if finding.rule:
        lines += _wrapped("why: " + finding.rule.why)
    lines += [INDENT + "fix: " + text for text in fixes.advice(finding, report.path, report.service)]  # whole, to copy
    if finding.rule and finding.rule.doc:
        lines += _wrapped("doc: " + finding.rule.doc)
    return lines


def _where(finding: Finding) -> str:
    if finding.file is None:
        return ""
    return f"{finding.file}:{finding.line}" if finding.line else f"{finding.file} (not set)"


def _values(finding: Finding) -> str:
    if finding.current is None and finding.recommended is None:
        return ""
    shown = [f"current {json.dumps(finding.current)}" if finding.current is not None else "",
             f"recommended {json.dumps(finding.recommended)}" if finding.recommended is not None else ""]
    return ", ".join(part for part in shown if part)


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT + "  ",
                         break_long_words=False, break_on_hyphens=False) or []


def _summary(report: Report) -> list[str]:
    counts = report.counts()
    shown = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s]) or "none"
    waived = len(report.findings) - len(report.counted)
    filled = round(BAR * report.index / 100)
    lines = [f"Findings: {shown}" + (f" ({waived} waived)" if waived else "")
             + f"; {len(report.rules)} rules run",
             f"Hardening index: {report.index} [{'#' * filled}{' ' * (BAR - filled)}]"]
    if report.skipped:
        needs = {need: [r.id for r in report.skipped if r.needs == need] for need in (*_NEEDS, "")}
        why = {**_NEEDS, **_PROBE_NEEDS} if report.kind == "probe" else _NEEDS
        lines.append("Not run: " + "; ".join(f"{', '.join(ids)} (need {why[need]})"
                                             for need, ids in needs.items() if ids))
    if report.service is None and any(fixes.command(f, report.path) for f in report.counted):
        lines.append("fix: each `apply --config ... --set ...` line changes that answer's options and nothing else "
                     "(add --check --diff to see the change first)")
    verdict = "FAIL" if report.failed else "PASS"
    lines.append(f"Result: {verdict} (--fail-on {report.fail_on})")
    return lines


_NEEDS = {"target": "the release: give --orthanc-version", "host": "the Orthanc installed here",
          "files": "the files", "deployment": "a compose deployment"}
_PROBE_NEEDS = {"target": "the release, which /system did not show", "": "an answer of that port"}
