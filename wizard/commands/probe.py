"""`orthanc-harden probe [URL]`: what a stranger gets from a running Orthanc; exit 1 when a finding
reaches --fail-on, 2 when nothing answers."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from wizard import findings, versions
from wizard.audit import as_json, report, sarif, text
from wizard.audit.host import Target
from wizard.errors import BadInput, Problem
from wizard.orthanc import config_files
from wizard.probe import judge, look, rules, web
from wizard.probe.rest import site
from wizard.topics import service_user
from wizard.topics.base import setting

RENDER = {"text": text.render, "json": as_json.render, "sarif": sarif.render}
LOCAL_CONFIG = Path(service_user.DEBIAN_CONFIG)  # where the DICOM port is looked up by default


def run(args) -> int:
    where = site(args.url)
    if where is None:
        raise BadInput(Problem(args.url, "$", "not an http:// or https:// URL, such as http://127.0.0.1:8042"))
    values = _local_values()
    root = _dicom_web(args.dicom_web) or web.configured_root(values)
    where = replace(where, dicom_web=root.rstrip("/")) if root else where  # "/": /studies at the top
    local = _local_dicom(values)
    dicom_at = _dicom(args.dicom, where.host, local)
    seen = look.look(where, dicom_at, args.aet or (local[1] if local else "ORTHANC"))
    if not seen.http_answers and not seen.dicom_answers:
        tried = [where.url] + ([f"{dicom_at[0]}:{dicom_at[1]} (DICOM)"] if dicom_at else [])
        raise BadInput(Problem(where.url, "$", f"nothing answers at {' or '.join(tried)} ({seen.anonymous.error})"))
    version = look.version(seen)
    result = _report(where.url, seen, version, args.fail_on)
    if dicom_at is None:
        print("note: no DICOM port probed: give --dicom HOST:PORT", file=sys.stderr)
    sys.stdout.write(RENDER[args.format](result))
    return 1 if result.failed else 0


def _report(url: str, seen: look.Observed, version: str | None, fail_on: str) -> report.Report:
    release_rules = list(service_user.RELEASE_RULES.values())
    run = (list(rules.HTTP_RULES) if seen.http_answers else []) + (list(rules.DICOM_RULES) if seen.dicom_answers else []) \
        + (release_rules if version else [])
    catalog = list(rules.RULES) + release_rules
    known = versions.parse(version) if version and version.count(".") == 2 and version.replace(".", "").isdigit() else None
    found = sorted(judge.findings(seen, version if known else None), key=findings.order)
    return report.Report(url, [], Target(known, "server" if known else None, None), found, run,
                         [r for r in catalog if r not in run], {}, fail_on, kind="probe", catalog=catalog)


def _local_values() -> dict | None:
    """This host's configuration (Debian's folder), when it has a readable one."""
    try:
        return config_files.read(LOCAL_CONFIG).values if LOCAL_CONFIG.exists() else None
    except BadInput:
        return None


def _dicom_web(given: str | None) -> str | None:
    """--dicom-web, when given and a path."""
    if given is not None and (not given.startswith("/") or any(c in given for c in "?# ")):
        raise BadInput(Problem("--dicom-web", "$", f"{given!r}: expected a path such as /dicom-web"))
    return given


def _local_dicom(values: dict | None) -> tuple[int, str] | None:
    """(DicomPort, DicomAet) of this host's configuration, when it has one with DICOM on."""
    if values is None or setting(values, "DicomServerEnabled", True) is False:
        return None
    port, aet = setting(values, "DicomPort", 4242), setting(values, "DicomAet", "ORTHANC")
    return (port, aet) if isinstance(port, int) and isinstance(aet, str) else None


def _dicom(given: str | None, host: str, local: tuple[int, str] | None) -> tuple[str, int] | None:
    if given is None:
        return (host, local[0]) if local else None
    name, _, port = given.rpartition(":")
    if not name or not port.isdigit() or not 0 < int(port) < 65536:
        raise BadInput(Problem("--dicom", "$", f"{given!r}: expected HOST:PORT, such as 127.0.0.1:4242"))
    return name.strip("[]"), int(port)
