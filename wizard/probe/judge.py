"""What a stranger saw, judged by the probe's rule table (probe/rules.py)."""

from __future__ import annotations

from wizard.probe import dicom, web
from wizard.probe.rules import (
    ANONYMOUS,
    ANY_CALLED_AET,
    CLEAR_DICOM,
    CLEAR_HTTP,
    CORS_CREDENTIALS,
    DEFAULT_CALLED_AET,
    EXPLORER_OPEN,
    IMPLEMENTATION,
    QIDO_OPEN,
    STOW_OPEN,
    UNKNOWN_ASSOCIATION,
    UNKNOWN_ECHO,
    UNKNOWN_FIND,
    UNVERIFIED_CERTIFICATE,
    WELL_KNOWN_LOGIN,
)
from wizard.probe.seen import Observed, loopback
from wizard.topics import service_user
from wizard.topics.base import Facts, Finding
from wizard.versions import parse


def findings(seen: Observed, version: str | None) -> list[Finding]:
    found = _http(seen) + _web(seen) if seen.http_answers else []
    if seen.dicom_answers:
        found += _dicom(seen) + _callers(seen)
    if version is not None:
        found += service_user.findings({}, Facts(target=parse(version)))
    return found


def _http(seen: Observed) -> list[Finding]:
    local = loopback(seen.site.host)
    severity = "high" if local else None  # from this host: every local account, not the world
    found = []
    if seen.anonymous.status == 200:
        found.append(ANONYMOUS.found("GET /system", f"{seen.site.url}/system answered 200 without credentials",
                                     path=(), current=200, recommended=401, severity=severity))
    if seen.well_known is not None and seen.well_known.status == 200:
        found.append(WELL_KNOWN_LOGIN.found("GET /system", f"{seen.site.url}/system answered 200 to orthanc:orthanc",
                                            path=(), current=200, recommended=401, severity=severity))
    if seen.explorer is not None and seen.explorer.status == 200:
        found.append(EXPLORER_OPEN.found("GET /app/explorer.html", "Orthanc Explorer answered 200 without credentials",
                                         path=(), current=200, recommended=401))
    if seen.site.scheme == "http" and not local:
        found.append(CLEAR_HTTP.found(seen.site.url, f"{seen.site.host} is not a loopback address and the API "
                                      "answers over plain HTTP", path=(), current="http", recommended="https"))
    if seen.verified is not None and seen.verified.status is None:
        found.append(UNVERIFIED_CERTIFICATE.found(seen.site.url, f"the certificate does not verify: {seen.verified.error}",
                                                  path=()))
    return found


def _web(seen: Observed) -> list[Finding]:
    """DICOMweb without a login, and CORS with credentials."""
    found = []
    if seen.qido is not None and seen.qido.status in (200, 204):
        found.append(QIDO_OPEN.found(f"GET {seen.site.dicom_web}/studies", f"a QIDO-RS search answered {seen.qido.status} "
                                     "without credentials (for a patient ID that cannot exist: nothing read)",
                                     path=(), current=seen.qido.status, recommended=401))
    if web.handled(seen.stow):
        found.append(STOW_OPEN.found(f"POST {seen.site.dicom_web}/studies", f"an empty STOW-RS upload answered {seen.stow.status} "
                                     "without credentials (nothing could be stored)", path=(),
                                     current=seen.stow.status, recommended=401))
    origin = seen.strangers.origin if seen.strangers else ""
    kinds = {kind for answer in (seen.anonymous, seen.preflight) if (kind := web.credentialed_origin(answer, origin))}
    if kinds:
        reflected = "reflected" in kinds
        found.append(CORS_CREDENTIALS.found(
            "Access-Control-Allow-Origin", f"the origin {origin} is {'echoed' if reflected else 'answered *'} with "
            "Access-Control-Allow-Credentials: true", path=(), current="reflected" if reflected else "*",
            recommended="no CORS, or the viewer's origin only", severity="high" if reflected else None))
    return found


def _dicom(seen: Observed) -> list[Finding]:
    host, port = seen.dicom
    where, found = f"DICOM {host}:{port}", []
    if seen.stranger.outcome == "success":
        found.append(UNKNOWN_ECHO.found(where, "C-ECHO from an unknown AET succeeded", path=(),
                                        current="success", recommended="rejected"))
    elif seen.stranger.outcome == "refused":
        found.append(UNKNOWN_ASSOCIATION.found(where, "the association of an unknown AET was accepted (its C-ECHO "
                                               "was refused)", path=(), current="accepted", recommended="rejected"))
    if seen.any_called is not None and seen.any_called.accepted:
        found.append(ANY_CALLED_AET.found(where, "an association from a random calling AET to a random called AET "
                                          "was accepted", path=(), current="accepted", recommended="rejected"))
    if seen.stranger.outcome in ("success", "refused", "rejected") and not loopback(host):
        found.append(CLEAR_DICOM.found(where, f"{host} is not a loopback address and answers plain DICOM", path=(),
                                       current="plain DICOM", recommended="DICOM TLS"))
    return found


def _callers(seen: Observed) -> list[Finding]:
    """What the AET oracle, the C-FIND and the association's implementation tell a stranger."""
    host, port = seen.dicom
    where, found = f"DICOM {host}:{port}", []
    default, random = seen.default_called, seen.any_called
    called_checked = random is not None and random.detail == "called AE title not recognized"
    if default is not None and called_checked and (default.accepted or default.detail == "calling AE title not recognized"):
        how = "accepted" if default.accepted else "refused for the calling AET, not the called one"
        found.append(DEFAULT_CALLED_AET.found(where, f"an association to the called AET ORTHANC was {how}", path=(),
                                              current="ORTHANC", recommended="a site-specific AET"))
    if seen.find is not None and seen.find.outcome == "success":
        found.append(UNKNOWN_FIND.found(where, "a Patient Root C-FIND from an unknown AET answered success (for a patient "
                                        "ID that cannot exist: nothing read)", path=(), current="success", recommended="refused"))
    named = seen.implementation
    if named is not None:
        name = named.version_name + (f" ({kit})" if (kit := dicom.toolkit(named.version_name)) else "")
        found.append(IMPLEMENTATION.found(where, f"the association names {name}, class UID {named.class_uid}", path=(),
                                          current=named.version_name))
    return found
