"""The audit as SARIF 2.1.0 (code scanning dashboards): every rule with its help, results at file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from wizard import __version__
from wizard.audit import fixes
from wizard.audit.report import Report
from wizard.topics.base import Finding, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning ranks security results by this score (CVSS-like, 0.0 to 10.0).
SCORES = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}


def document(report: Report) -> dict:
    rules = report.catalog
    index = {rule.id: number for number, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "orthanc-harden", "version": __version__,
                                "rules": [_descriptor(rule) for rule in rules]}},
            "results": [_result(f, report, index) for f in report.findings],
            "properties": {"hardeningIndex": report.index, "orthancVersion": report.release},
        }],
    }


def _descriptor(rule: Rule) -> dict:
    fix = " ".join(filter(None, [f"Fix: apply --set {' --set '.join(rule.sets)}." if rule.sets else "",
                                 f"{rule.fix[0].upper()}{rule.fix[1:]}." if rule.fix else ""]))
    seen_by = f"Scanners: {rule.scanner}." if rule.scanner else ""  # probe's rules: the scanner check it matches
    descriptor = {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in re.split(r"[^A-Za-z0-9]+", rule.title)),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {"text": " ".join(filter(None, [rule.why, fix, seen_by])),
                 "markdown": "\n\n".join(filter(None, [rule.why, fix, seen_by, f"[Documentation]({rule.doc})"]))},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"security-severity": SCORES[rule.severity], "tags": ["security", "orthanc"],
                       "severity": rule.severity},
    }
    if rule.doc:
        descriptor["helpUri"] = rule.doc
    return descriptor


def _result(finding: Finding, report: Report, index: dict[str, int]) -> dict:
    result = {
        "ruleId": finding.id,
        "ruleIndex": index[finding.id],
        "level": LEVELS[finding.severity],
        "message": {"text": " ".join([finding.message + ".", *fixes.advice(finding, report.path, report.service)])},
        "properties": {"severity": finding.severity, "option": finding.key},
    }
    if finding.file is not None:
        location = {"artifactLocation": {"uri": Path(finding.file).resolve().as_uri()}}
        if finding.line:
            location["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": location}]
    reason = report.waived(finding)
    if reason:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": reason}]
    return result


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2) + "\n"
