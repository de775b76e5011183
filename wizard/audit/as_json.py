"""The audit for a machine: one JSON object whose shape is documented in the README (format 1)."""

from __future__ import annotations

import json

from wizard.audit import fixes
from wizard.audit.report import Report
from wizard.errors import json_path
from wizard.topics.base import Finding

FORMAT = 1


def document(report: Report) -> dict:
    waived = len(report.findings) - len(report.counted)
    return {
        "format": FORMAT,
        "path": report.path,
        "files": report.files,
        "service": report.service,
        "orthanc": {"version": report.release, "source": report.target.source,
                    "debian_package": report.target.debian_package},
        "summary": {**report.counts(), "waived": waived, "hardening_index": report.index,
                    "fail_on": report.fail_on, "failed": report.failed,
                    "rules_run": [r.id for r in report.rules], "rules_not_run": [r.id for r in report.skipped]},
        "findings": [finding_object(f, report) for f in report.findings],
    }


def finding_object(finding: Finding, report: Report) -> dict:
    rule = finding.rule
    reason = report.waived(finding)
    return {
        "id": finding.id, "severity": finding.severity, "title": rule.title if rule else "",
        "option": finding.key, "json_path": json_path(finding.path) if finding.path else None,
        "file": finding.file, "line": finding.line,
        "current": finding.current, "recommended": finding.recommended,
        "message": finding.message, "why": rule.why if rule else "",
        "fix": {"set": list(rule.sets) if rule else [], "command": fixes.command(finding, report.path, report.service),
                "text": rule.fix if rule else ""},
        "doc": rule.doc if rule else "",
        "waived": {"reason": reason} if reason else None,
    }


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2) + "\n"
