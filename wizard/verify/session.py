"""One verify run: plan the rows from the saved answers, start Orthanc, send them, collect the rows."""

from __future__ import annotations

from collections.abc import Callable

from wizard.orthanc import proxy_secret
from wizard.verify import dicom_plan, dicom_run, http_plan, server
from wizard.verify.checks import Check, DicomRequest, HttpRequest, Outcome, PortClosed, Row, judge, unrun
from wizard.verify.http_run import Rest
from wizard.verify.target import Target


def plan(target: Target) -> list[Check]:
    """DICOM first: the REST rows add a modality (PUT /modalities) that must not change them."""
    return dicom_plan.dicom_checks(target.answers) + http_plan.http_checks(
        target.answers, target.logins, proxy_secret.kept(target.values))


def verify(target: Target, program: str, progress: Callable[[str], None]) -> Outcome:
    checks = plan(target)
    # What Orthanc will open is what its files say, even where they disagree with the answers.
    ready = ("http" if target.values.get("HttpServerEnabled", True) is not False
             else "dicom" if target.values.get("DicomServerEnabled", True) is not False else "")
    progress("starting Orthanc on 127.0.0.1 with a temporary storage")
    with server.running(program, target.values, target.folder, ready) as orthanc:
        rest = Rest(orthanc.http_port, http_plan.keeper(target.answers, target.logins), orthanc.work)
        tls = dicom_run.tls_context(target.values)
        tls_ok = tls is None or dicom_run.tls_accepted(orthanc.dicom_port, tls)
        outcome = Outcome()
        progress(f"checking {len(checks)} rows on ports {orthanc.http_port} (HTTP) and {orthanc.dicom_port} (DICOM)")
        for number, check in enumerate(checks, 1):
            progress(f"row {number}/{len(checks)}: {check.who}: {check.what}")
            outcome.rows.append(_run(check, orthanc, rest, tls, tls_ok))
    return outcome


def _run(check: Check, orthanc: server.Running, rest: Rest, tls, tls_ok: bool) -> Row:
    request = check.request
    if request is None:
        return unrun(check)
    if isinstance(request, PortClosed):
        port = orthanc.http_port if request.which == "http" else orthanc.dicom_port
        return judge(check, "open" if server.accepts(port) else "closed")
    if isinstance(request, DicomRequest):
        return dicom_run.run(check, orthanc.dicom_port, tls, tls_ok)
    assert isinstance(request, HttpRequest)
    return rest.run(check)
